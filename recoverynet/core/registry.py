"""What each app adds to the platform beyond its own pages, declared on its
AppConfig and collected here, so no list elsewhere has to name the next app.

An app's AppConfig may set:

* ``demo_loader``: dotted path of ``load(demo)``, called by ``seed_demo`` in
  one transaction with a shared :class:`DemoContext`; ``demo_after``: the
  labels of apps whose demo data it builds on (loaded first).
* ``panels``: ``{"network": [dotted path, ...], "settlement": [...]}`` — each a
  ``panel(request, obj) -> str | None`` giving a section of HTML for another
  app's page about that object (None leaves it out). Pages: "network" and
  "settlement" (the public pages), "home" (the home page; obj the
  federation, or None before one exists), "network_dashboard" (a coordinator's, obj
  the network), "manage" (/manage/, obj the person signed in) and "profile"
  (/me/, obj the person), "initiative" (an initiative's public page, obj the
  initiative).
* ``indicators``: dotted path of a sequence of :class:`Indicator` — the
  figures the app owns, for the outcomes framework, which reads them without
  knowing the app's tables.
* ``givers``: dotted path of ``givers(networks, period) -> {network_id: set of
  user ids}`` — the people who gave back through the app in the period
  (outcome 2: time-bank givers, volunteers, coordinators and hosts). The
  federation's "people giving back" and the share of them in recovery merge
  every app's with :func:`givers`, so no list names the sources.
* ``daily_tasks``: dotted paths of django-tasks tasks (taking no arguments)
  that must run once a day — reminders, automatic confirmations.
  ``manage.py run_daily`` enqueues every app's, so one timer serves them all
  and a new app's jobs cannot be left out of the deployment.
* ``report_models``: ``("events.Report",)`` — the app's models of members'
  reports (each a ``core.moderation.ReportBase``), for the coordinators'
  shared queue of reports (``/manage/reports/``) and the reporting rate limit
  counted over every app.

Audited models need no declaration: every model written through
core.services is audited, and the audit log's filters read the log itself.
The permission matrix needs none either: it finds every URL served by our
code from the URL patterns.
"""

import datetime
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, wraps

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe


def _declared(attribute):
    """(app label, value) for every installed app that sets `attribute`, in INSTALLED_APPS order."""
    return [
        (config.label, getattr(config, attribute)) for config in apps.get_app_configs() if hasattr(config, attribute)
    ]


# --- Demo data ------------------------------------------------------------------


@dataclass
class DemoContext:
    """Shared by the demo loaders of one seed_demo run: each adds what later ones build on."""

    objects: dict = field(default_factory=dict)  # e.g. "networks": {slug: Network}
    notes: list = field(default_factory=list)  # lines for seed_demo to print


def demo_loaders() -> list[tuple[str, Callable]]:
    """(app label, loader) for every declared demo loader, each after the apps it names in demo_after."""
    declared = {label: apps.get_app_config(label) for label, _ in _declared("demo_loader")}
    ordered: list[str] = []

    def visit(label, path=()):
        if label in ordered:
            return
        if label in path:
            raise ValueError(f"Demo loaders depend on each other in a circle: {' -> '.join((*path, label))}")
        for dependency in getattr(declared[label], "demo_after", ()):
            if dependency not in declared:
                raise ValueError(f"{label}'s demo builds on {dependency!r}, which declares no demo_loader")
            visit(dependency, (*path, label))
        ordered.append(label)

    for label in declared:
        visit(label)
    return [(label, import_string(declared[label].demo_loader)) for label in ordered]


# --- Panels on other apps' pages ------------------------------------------------


@cache
def _panel_functions(page: str) -> tuple:
    return tuple(import_string(path) for _, panels in _declared("panels") for path in panels.get(page, ()))


def render_panels(page: str, request, obj) -> list[SafeString]:
    """The HTML sections other apps add to a page about `obj` ("network", "settlement")."""
    sections = (panel(request, obj) for panel in _panel_functions(page))
    return [mark_safe(html) for html in sections if html]  # noqa: S308 - each panel renders a template


# --- Outcome indicators ----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A half-open span of dates [start, end), e.g. a quarter."""

    start: datetime.date
    end: datetime.date

    @property
    def start_at(self) -> datetime.datetime:
        """Midnight at the start, in the site's time zone: compare timestamps with this rather
        than with `__date` lookups, which SQLite evaluates in Python row by row."""
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        return _midnight(self.end)


def _midnight(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Indicator:
    """One figure an app contributes to the nine outcomes.

    ``measure(networks, period)`` returns ``{network_id: value}`` for the given
    networks (a queryset or list of Network) over `period`, computed in the
    database with a fixed number of queries whatever the number of networks; a
    network with nothing to count is 0, not missing. ``count`` says the value
    counts people or things (so small numbers are suppressed); rates, averages
    and hours set it False. Every figure that is a sum or an average over people
    names its ``denominator``: the registered count of the people it rests on
    (hours volunteered rest on the volunteers active), and it is not shown where
    that group is under 5 or its count is hidden. A figure that rests on no group
    of people says why in ``no_denominator`` instead (a rate over meetings and
    the population)."""

    key: str  # unique across apps: "<app label>.<name>"
    outcomes: tuple[int, ...]  # the seed's outcomes (1-9) it evidences
    name: str
    definition: str
    unit: str  # "people", "hours", "%", "meetings", ...
    period: str  # "quarter", "month" or "snapshot" (as at the period's end)
    source: str  # where the data comes from, in plain words
    measure: Callable
    count: bool = True
    denominator: str | None = None
    no_denominator: str = ""  # why a figure that is not a count needs no denominator
    caveats: str = ""  # what a reader should know before relying on it, printed in reports
    # Optional: measure_settlements(settlements, period) -> {settlement_id: value}, one aggregate
    # query, for indicators that can be broken down by settlement (the dashboard's settlement filter).
    measure_settlements: Callable | None = None
    # Optional: measure_periods(networks, periods) -> [{network_id: value}, ...], one per period in
    # order, the same figures as measure() gives for each, in a fixed number of queries for all the
    # periods together (a dashboard shows 4 or 8 quarters). Without it, measure() runs per period.
    measure_periods: Callable | None = None

    def measure_over(self, networks, periods) -> list[dict]:
        """One ``{network_id: value}`` per period, in order: `measure_periods` where the app gives
        it, else `measure` once per period."""
        periods = list(periods)
        if self.measure_periods is not None:
            return list(self.measure_periods(networks, periods))
        return [self.measure(networks, period) for period in periods]


_shared: ContextVar[dict | None] = ContextVar("shared_measurements", default=None)


@contextmanager
def measuring():
    """While measuring indicators together (the outcomes framework's compute()): a function
    decorated with ``shared_measurement`` runs once for the same arguments, so two indicators
    read from one query (a count and its mean) cost one query, not two."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared_measurement(function):
    """Run `function` (of hashable arguments) once per arguments inside ``measuring()``; outside
    it, every call runs (no result outlives the measurement that asked for it)."""

    @wraps(function)
    def wrapper(*args):
        memo = _shared.get()
        if memo is None:
            return function(*args)
        key = (function, args)
        if key not in memo:
            memo[key] = function(*args)
        return memo[key]

    return wrapper


@cache
def indicators() -> tuple[Indicator, ...]:
    """Every app's indicators, in INSTALLED_APPS order; keys are unique."""
    found: list[Indicator] = []
    for _, path in _declared("indicators"):
        declared: Sequence[Indicator] = import_string(path)
        found.extend(declared)
    keys = [indicator.key for indicator in found]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"Indicator keys declared twice: {duplicates}")
    return tuple(found)


# --- People giving back (outcome 2) -----------------------------------------------


def giver_sources() -> list[tuple[str, Callable]]:
    """(app label, givers function) for every app that declares its givers, in INSTALLED_APPS order."""
    return [(label, import_string(path)) for label, path in _declared("givers")]


def givers(networks, period) -> dict[int, set]:
    """{network_id: ids of the distinct people who gave back there in `period`}, over every app's
    declared givers (a person giving back in two ways counts once per network). One call per app."""
    networks = list(networks)
    merged: dict[int, set] = {network.pk: set() for network in networks}
    for _, source in giver_sources():
        for network_id, user_ids in source(networks, period).items():
            if network_id in merged:
                merged[network_id] |= set(user_ids)
    return merged


# --- Daily jobs --------------------------------------------------------------------


def daily_tasks() -> list[tuple[str, object]]:
    """(app label, task) for every app's declared daily task, in INSTALLED_APPS order."""
    return [(label, import_string(path)) for label, paths in _declared("daily_tasks") for path in paths]


# --- Members' reports ------------------------------------------------------------------


def report_models() -> tuple:
    """Every app's report models (core.moderation.ReportBase), in INSTALLED_APPS order."""
    found = tuple(apps.get_model(label) for _, labels in _declared("report_models") for label in labels)
    for model in found:
        if not hasattr(model, "in_networks"):  # (core.moderation imports this module, not the other way)
            raise TypeError(f"{model._meta.label} is declared in report_models but is not a ReportBase")
    return found
