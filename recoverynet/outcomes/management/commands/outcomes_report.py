"""manage.py outcomes_report NETWORK_SLUG --format csv|pdf [--quarter 2026Q3] [--output FILE]

The commissioners' quarterly report for one network, with the same suppressed
figures as the dashboard, to standard output or a file. Default quarter: the
last complete one."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recoverynet.federation.models import Network
from recoverynet.outcomes.formats.report_csv import render_csv
from recoverynet.outcomes.formats.report_pdf import render_pdf
from recoverynet.outcomes.framework import Quarter, last_complete_quarter
from recoverynet.outcomes.report import build_report


class Command(BaseCommand):
    help = "Write a network's quarterly outcomes report (CSV or PDF) for commissioners."

    def add_arguments(self, parser):
        parser.add_argument("network", help="The network's slug, for example cumbria.")
        parser.add_argument("--format", choices=("csv", "pdf"), default="csv")
        parser.add_argument("--quarter", help="For example 2026Q3 (default: the last complete quarter).")
        parser.add_argument("--output", help="A file to write (default: standard output).")

    def handle(self, *args, **options):
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the slug {options['network']!r}.")
        try:
            quarter = (
                Quarter.parse(options["quarter"]) if options["quarter"] else last_complete_quarter(timezone.localdate())
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        report = build_report(network, quarter)
        content = render_pdf(report) if options["format"] == "pdf" else render_csv(report).encode("utf-8")
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            stream = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(stream, "buffer"):
                stream.flush()
                stream.buffer.write(content)
                stream.buffer.flush()
            else:
                stream.write(content.decode("latin-1") if options["format"] == "pdf" else content.decode("utf-8"))
