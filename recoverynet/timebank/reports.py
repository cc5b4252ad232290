"""A network's time bank report for its coordinators: hours by month, people
active, the reciprocity rate, hours by month and category, co-production hours
and a social value estimate. Built from the
indicators' functions (timebank.indicators), so the report and the outcomes
dashboard count the same way. Counts of people below SUPPRESS_BELOW are never
shown ("fewer than 5"), and nor is a rate computed from them."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from recoverynet.core.registry import Period

from . import indicators

SUPPRESS_BELOW = 5
FEWER = f"fewer than {SUPPRESS_BELOW}"
MONTHS = 12


def shown_count(value: int) -> str:
    return FEWER if value < SUPPRESS_BELOW else f"{value:,}"


def hourly_rate() -> Decimal:
    return Decimal(str(settings.TIMEBANK_SOCIAL_VALUE_HOURLY_RATE_GBP))


def social_value(hours) -> Decimal:
    """Hours × the configured hourly rate, to the penny."""
    return (Decimal(str(hours)) * hourly_rate()).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


NO_CATEGORY = "No category"


def hours_by_category(network, period, months):
    """Hours credited by month (`months`: their first days, in the order shown) and
    by category, from the ledger (confirmed exchanges and group activities, less
    reversals), in one query. Hours are not counts of people: nothing is suppressed.
    {"columns": [category names, "No category" last], "rows": [(month label, [hours per column])],
    "totals": [hours per column]}; None when nothing was credited in the period."""
    found = indicators.minutes_by_month_and_category([network], period)
    if not found:
        return None
    names = sorted({name for _, _, category_id, name, _ in found if category_id is not None})
    columns = names + ([NO_CATEGORY] if any(category_id is None for _, _, category_id, _, _ in found) else [])
    minutes = {}
    for _, month, category_id, name, amount in found:
        key = (month, name if category_id is not None else NO_CATEGORY)
        minutes[key] = minutes.get(key, 0) + amount
    rows = [
        (month.strftime("%B %Y"), [round(minutes.get((month, column), 0) / 60, 2) for column in columns])
        for month in months
    ]
    totals = [round(sum(m for (_, column_), m in minutes.items() if column_ == column) / 60, 2) for column in columns]
    return {"columns": columns, "rows": rows, "totals": totals}


@dataclass
class Row:
    label: str
    start: datetime.date
    hours: float
    active: int
    givers: int
    receivers: int
    reciprocity: float | None

    @property
    def shown(self) -> dict:
        return {
            "active": shown_count(self.active),
            "givers": shown_count(self.givers),
            "receivers": shown_count(self.receivers),
            # A rate over fewer than 5 people would tell who they are.
            "reciprocity": (
                "not shown" if self.active < SUPPRESS_BELOW or self.reciprocity is None else f"{self.reciprocity}%"
            ),
        }


def _row(network, period, label) -> Row:
    networks = [network]
    return Row(
        label=label,
        start=period.start,
        hours=indicators.hours_exchanged(networks, period)[network.pk],
        active=indicators.active_members(networks, period)[network.pk],
        # The indicators count from the ledger's side: an account credited earned hours (its
        # holder gave help); an account debited spent them (its holder received help).
        givers=indicators.active_givers(networks, period)[network.pk],
        receivers=indicators.active_receivers(networks, period)[network.pk],
        reciprocity=indicators.reciprocity_rate(networks, period)[network.pk],
    )


def network_report(network, today: datetime.date) -> dict:
    """The last MONTHS whole and current months, newest first, and their total."""
    months = []
    for back in range(MONTHS):
        start = month_start(today, back)
        period = Period(start, month_start(today, back - 1))
        months.append(_row(network, period, start.strftime("%B %Y")))
    whole = Period(month_start(today, MONTHS - 1), month_start(today, -1))
    total = _row(network, whole, f"{months[-1].label} to {months[0].label}")
    return {
        "months": months,
        "total": total,
        "categories": hours_by_category(network, whole, [row.start for row in months]),
        "coproduction_hours": indicators.coproduction_hours([network], whole)[network.pk],
        "social_value": social_value(total.hours),
        "hourly_rate": hourly_rate(),
        "period": whole,
    }
