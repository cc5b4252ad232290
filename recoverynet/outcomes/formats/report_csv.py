"""The outcomes report as CSV: one row per outcome and indicator, safe to open in a spreadsheet."""

import csv
import io

from recoverynet.core.spreadsheets import spreadsheet_safe


def render_csv(report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header = [
        "Network", "Quarter", "Outcome", "Indicator key", "Indicator", "Unit",
        *(f"Network {q.label}" for q in report.quarters), f"Federation {report.quarter.label}",
        "Definition", "Method", "Caveats",
    ]  # fmt: skip
    writer.writerow(header)
    for row in report.rows:
        writer.writerow(
            spreadsheet_safe(value)
            for value in [
                report.network.name,
                report.quarter.code,
                row.outcome,
                row.key,
                row.name,
                row.unit,
                *row.trend,
                row.federation,
                row.definition,
                row.method,
                row.caveats,
            ]  # fmt: skip
        )
    writer.writerow([])
    writer.writerow(["Small numbers", spreadsheet_safe(report.suppression_note)])
    writer.writerow(["Illustrative treatment saving", spreadsheet_safe(report.savings.explanation())])
    return out.getvalue()
