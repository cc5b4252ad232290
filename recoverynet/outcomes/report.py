"""The commissioners' quarterly report for one network: the same suppressed
figures as the dashboard (figures.compute), with each indicator's method and
caveats and the illustrative treatment-savings figure, as rows that the CSV and
PDF renderers (formats/) lay out."""

from dataclasses import dataclass

from recoverynet.core.suppression import FEWER_THAN_FIVE, THRESHOLD

from .figures import NOT_YET_MEASURED, compute
from .framework import Quarter, quarters_ending
from .services import assumptions_for

TREND_QUARTERS = 4
SUPPRESSION_NOTE = (
    f"Counts from 1 to {THRESHOLD - 1} are shown as \u201c{FEWER_THAN_FIVE}\u201d, and another figure in the same "
    "column is withheld where the totals would otherwise give a hidden one away. Rates and averages over fewer than "
    f"{THRESHOLD} people, and hours given by fewer than {THRESHOLD}, are not shown."
)


@dataclass
class ReportRow:
    outcome: int
    key: str
    name: str
    unit: str
    trend: list[str]  # the network's figure per quarter, oldest first, as published
    federation: str  # the federation's figure for the report's quarter
    definition: str
    method: str
    caveats: str


@dataclass
class Report:
    network: object
    quarter: Quarter
    quarters: list[Quarter]
    rows: list[ReportRow]
    savings: object
    suppression_note: str = SUPPRESSION_NOTE

    @property
    def title(self) -> str:
        return f"{self.network.name}: outcomes report, {self.quarter.label}"


def _method(indicator) -> str:
    period = {
        "snapshot": "Counted as at the last day of each quarter.",
        "quarter": "Counted over each quarter.",
        "month": "Counted over each month of the quarter.",
    }.get(indicator.period, "")
    return f"{indicator.source} {period}".strip()


def build_report(network, quarter: Quarter) -> Report:
    quarters = quarters_ending(quarter, TREND_QUARTERS)
    figures = compute(quarters)
    rows = []
    for outcome in figures.outcomes():
        for found in outcome["indicators"]:
            indicator = found.indicator
            published = found.rows.get(network.pk)
            trend = [f.display for f in published] if published else [NOT_YET_MEASURED] * len(quarters)
            federation = found.totals[-1].display if found.totals else "not added up"
            caveats = " ".join(part for part in (indicator.caveats,) if part)
            rows.append(
                ReportRow(
                    outcome["number"],
                    indicator.key,
                    indicator.name,
                    indicator.unit,
                    trend,
                    federation,
                    indicator.definition,
                    _method(indicator),
                    caveats,
                )
            )
        for missing in outcome["missing"]:
            rows.append(
                ReportRow(
                    outcome["number"],
                    missing.key,
                    missing.name,
                    "",
                    [NOT_YET_MEASURED] * len(quarters),
                    NOT_YET_MEASURED,
                    "",
                    missing.why,
                    "",
                )
            )
    return Report(network, quarter, quarters, rows, assumptions_for(network))
