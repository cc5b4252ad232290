from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry

from ...encryption import encrypted_fields, forget_keys, models_with_encrypted_fields, raw_tokens, token_state

HELP = """Re-encrypt every encrypted field (people's legal name, phone number, date
of birth, self-descriptions) with the current key.

The encryption key of each value is derived from a salt in
FIELD_ENCRYPTION_SALT_KEYS and a secret in DJANGO_SECRET_KEY /
DJANGO_SECRET_KEY_FALLBACKS. New values are encrypted with the FIRST salt and
DJANGO_SECRET_KEY; every configured salt and secret can decrypt.

To rotate keys:
  1. Put a new salt at the head of FIELD_ENCRYPTION_SALT_KEYS, keeping the old
     one after it (e.g. "new-salt,old-salt"). To change the secret key too, set
     the new DJANGO_SECRET_KEY and move the old one into
     DJANGO_SECRET_KEY_FALLBACKS. Restart the application.
  2. Run this command. It reads each row's raw ciphertext, and rows whose
     values are not yet under the current key are saved again (in batches, one
     transaction per batch), which re-encrypts them with the first salt and the
     current secret key. It stops without touching a batch if any value cannot
     be decrypted with the configured keys.
  3. Run it with --dry-run: it must report 0 rows still to re-encrypt.
  4. Remove the old salt from FIELD_ENCRYPTION_SALT_KEYS and the old secret
     from DJANGO_SECRET_KEY_FALLBACKS, and restart.

The command never prints the values themselves.
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, *args, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(*args, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the rows still to re-encrypt; change nothing."
        )

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        # Derive the keys from the settings as they are now.
        forget_keys()
        total = 0
        for model in models_with_encrypted_fields():
            checked, rotated = self.rotate_model(model, batch_size=batch_size, dry_run=dry_run)
            total += rotated
            verb = "to re-encrypt" if dry_run else "re-encrypted"
            self.stdout.write(f"{model._meta.label}: {checked} rows checked, {rotated} {verb}.")
        if dry_run:
            self.stdout.write(f"Dry run: {total} rows still to re-encrypt.")
        else:
            if total:
                audit.record(
                    actor=None,
                    action=AuditEntry.Action.UPDATE,
                    summary=f"Encryption keys rotated: {total} rows re-encrypted",
                )
            self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted."))

    def rotate_model(self, model, *, batch_size, dry_run):
        fields = encrypted_fields(model)
        db = router.db_for_write(model)
        connection = connections[db]
        quote = connection.ops.quote_name
        pk_column = model._meta.pk.column
        columns = ", ".join(quote(f.column) for f in fields)
        select = f"SELECT {quote(pk_column)}, {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608
        first_sql = f"{select} ORDER BY {quote(pk_column)} LIMIT %s"
        next_sql = f"{select} WHERE {quote(pk_column)} > %s ORDER BY {quote(pk_column)} LIMIT %s"
        checked = rotated = 0
        last_pk = None
        while True:
            with transaction.atomic(using=db):
                with connection.cursor() as cursor:
                    if last_pk is None:
                        cursor.execute(first_sql, [batch_size])
                    else:
                        cursor.execute(next_sql, [last_pk, batch_size])
                    rows = cursor.fetchall()
                if not rows:
                    break
                last_pk = rows[-1][0]
                checked += len(rows)
                stale = {}  # pk -> names of fields to re-encrypt
                unreadable = []
                for pk, *raw_values in rows:
                    for field, raw in zip(fields, raw_values, strict=True):
                        states = {token_state(field, t) for t in raw_tokens(field, raw)}
                        if "unreadable" in states:
                            unreadable.append(f"{model._meta.label} #{pk} {field.name}")
                        elif "old" in states:
                            stale.setdefault(pk, []).append(field.name)
                if unreadable:
                    raise CommandError(
                        "These values cannot be decrypted with the configured keys (nothing in this batch was "
                        "changed; add the missing salt or secret key and run again): " + ", ".join(unreadable)
                    )
                rotated += len(stale)
                if dry_run or not stale:
                    continue
                for instance in model._base_manager.using(db).select_for_update().filter(pk__in=list(stale)):
                    # Loading decrypted the values; saving encrypts them with the first key.
                    instance.save(using=db, update_fields=stale[instance.pk])
        return checked, rotated
