"""manage.py timebank_audit: prove the ledger's invariants, name every violation."""

from django.core.management.base import BaseCommand, CommandError

from recoverynet.timebank.audit import ledger_violations
from recoverynet.timebank.models import Account, Transaction


class Command(BaseCommand):
    help = (
        "Check the time bank's ledger: postings sum to zero in total, per network and per transaction; "
        "no transaction without postings; every account inside its limits; nothing posted has changed. "
        "Exits non-zero when anything is wrong, naming each violation."
    )

    def handle(self, *args, **options):
        violations = ledger_violations()
        for violation in violations:
            self.stderr.write(f"VIOLATION: {violation}")
        summary = (
            f"timebank_audit: {Account.objects.count()} accounts, {Transaction.objects.count()} transactions, "
            f"{len(violations)} violation{'s' if len(violations) != 1 else ''}"
        )
        if violations:
            raise CommandError(summary)
        self.stdout.write(summary)
