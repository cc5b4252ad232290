"""Who sees which assessment, and the member's journey read in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q

from recoverynet.accounts.models import ConsentPurpose, User
from recoverynet.accounts.privacy import consent_stands

from . import scoring
from .models import Assessment, Goal


def assessments_visible_to(user, queryset=None):
    """Answers are health data: the member's own, and one a worker is entering with them
    while it is in progress (once finished it is the member's alone). Coordinators do not
    browse them: the outcomes framework sees only aggregates."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(person=user) | Q(entered_by=user, completed_at__isnull=True))


@dataclass
class Series:
    key: str
    name: str
    higher_is_better: bool = True
    points: list = field(default_factory=list)  # (completed_at, score, band label or "")


@dataclass
class Chart:
    """One instrument's scores over time: the total and/or each domain."""

    instrument: object
    low: int
    high: int
    series: list
    bands: list  # the instrument's bands, for the plain-English explanation
    latest: list  # (series name, score, band) of the latest assessment

    @property
    def dates(self):
        return sorted({p[0] for s in self.series for p in s.points})

    def rows(self):
        """[(date, [score or None per series])] for the data table."""
        table = {}
        for index, s in enumerate(self.series):
            for when, value, band in s.points:
                table.setdefault(when, [None] * len(self.series))[index] = (value, band)
        return sorted(table.items())


def journey(user) -> list[Chart]:
    """Every instrument the member finished, as a chart of its scales over time (one query)."""
    completed = (
        Assessment.objects.filter(person=user, completed_at__isnull=False)
        .select_related("instrument")
        .order_by("completed_at", "pk")
    )
    charts: dict = {}
    for assessment in completed:
        instrument = assessment.instrument
        definition = instrument.definition
        chart = charts.get(instrument.slug)
        if chart is None:
            ranges = scoring.scale_ranges(definition)
            series = []
            if definition["scoring"]["total"]:
                name = definition["scoring"].get("total_name", "Total")
                series.append(Series("total", name))
            for domain in definition["scoring"].get("domains", []):
                series.append(Series(domain["key"], domain["name"], domain.get("higher_is_better", True)))
            lows, highs = zip(*(ranges[s.key] for s in series), strict=True)
            # A total and its subscales differ in range: chart the subscales when there are some.
            if len(series) > 1 and series[0].key == "total":
                series = series[1:]
                lows, highs = lows[1:], highs[1:]
            chart = Chart(instrument, min(lows), max(highs), series, definition["scoring"].get("bands", []), [])
            charts[instrument.slug] = chart
        for s in chart.series:
            value = assessment.total_score if s.key == "total" else assessment.domain_scores.get(s.key)
            if value is None:
                continue
            band = scoring.band_for(definition, s.key, value)
            s.points.append((assessment.completed_at, value, band["label"] if band else ""))
    for chart in charts.values():
        chart.latest = [(s.name, s.points[-1][1], s.points[-1][2]) for s in chart.series if s.points]
        if chart.series and chart.series[0].key != "total" and chart.instrument.definition["scoring"]["total"]:
            pass
    return list(charts.values())


def goals_of(user):
    return Goal.objects.filter(person=user).prefetch_related("steps")


def consented(assessments):
    """Of `assessments`, those of people whose outcome-measurement consent stands now (their
    latest decision is yes): what the figures for the outcomes may count. One condition
    inside the query, no query of its own, over the people (``person IN (...)``) rather than
    every assessment: PostgreSQL looks each person's consent up once, not once per row."""
    standing = User.objects.filter(consent_stands(ConsentPurpose.OUTCOME_MEASUREMENT, OuterRef("pk")))
    return assessments.filter(person__in=standing.values("pk"))
