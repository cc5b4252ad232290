"""Finding a meeting or a service near someone: the one query behind the public
finder page (/meetings/) and the REST API.

    query = FinderQuery(point=(53.76, -2.70), radius_km=10, days=(2,), time_of_day=("evening",), types=("X",))
    results = find_meetings(query, now=timezone.now())
    len(results)                    # how many meetings match
    for result in results[:20]:     # slicing loads just those meetings (one query + prefetches)
        result.meeting, result.next_start, result.distance_km

How it stays fast on 100,000 meetings: everything that can be said in SQL is
(status, network, fellowship, types, wheelchair, attendance, the day through
MeetingDay, the time range, a latitude/longitude bounding box around the
point), and only small scalar rows (id, day, start time, time zone, monthly
week, coordinates) come back for the rest. The exact distance (haversine) and
each meeting's next occurrence, in its own time zone with monthly rules, are
worked out in Python on those rows; full Meeting objects are loaded only for
the page being shown. No database-specific functions: SQLite and PostgreSQL
give the same answers.
"""

from __future__ import annotations

import datetime
import math
import zoneinfo
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import (
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TimeField,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from .models import DEFAULT_DURATION, DEFAULT_TIMEZONE, Meeting, MeetingDay, MeetingType, Service

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = EARTH_RADIUS_KM * math.pi / 180  # the same sphere as the haversine
LONDON = zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)

# Time of day, by the meeting's local start time.
TIMES_OF_DAY = {
    "morning": (datetime.time(0, 0), datetime.time(12, 0)),  # [start, end)
    "afternoon": (datetime.time(12, 0), datetime.time(17, 0)),
    "evening": (datetime.time(17, 0), None),
}
TIME_OF_DAY_LABELS = {
    "morning": "Morning (before 12pm)",
    "afternoon": "Afternoon (12pm to 5pm)",
    "evening": "Evening (after 5pm)",
}
WHEELCHAIR_TYPE = "X"
SORT_TIME = "time"
SORT_DISTANCE = "distance"
MAX_RADIUS_KM = 200.0


def mg_day(date: datetime.date) -> int:
    """Meeting Guide day number (0 = Sunday) of a date."""
    return (date.weekday() + 1) % 7


@dataclass(frozen=True)
class FinderQuery:
    """What someone is looking for. Every part is optional.

    point: (latitude, longitude) to search around; radius_km: how far (used only with a point).
    days: Meeting Guide day numbers (0 = Sunday ... 6 = Saturday); a meeting on any of them matches.
    time_of_day: any of "morning", "afternoon", "evening" (local start time).
    starting_within_hours: only meetings whose next start is between now and now + N hours.
    types: Meeting Guide type codes; a meeting must have all of them.
    fellowship, network, settlement: slugs (settlement: meetings at its locations).
    attendance: a Meeting.Attendance value (in_person, online, hybrid).
    wheelchair: only meetings with type X. q: words in the meeting's or group's name.
    sort: "time" (next occurrence, the default) or "distance" (needs a point).
    date_offset: only meetings on the date today + N (London): 0 is "what is left of today", 1 tomorrow.
    include_started: meetings that started up to JUST_STARTED ago stay in the list, at their start
        today (as TSML-UI does); meetings further into their hour are left out (see meetings_in_progress).
    in_person: only meetings one can go to in person (in person or hybrid; online-only ones left out).
    """

    point: tuple[float, float] | None = None
    radius_km: float = 10.0
    days: tuple[int, ...] = ()
    time_of_day: tuple[str, ...] = ()
    starting_within_hours: float | None = None
    types: tuple[str, ...] = ()
    fellowship: str | None = None
    attendance: str | None = None
    wheelchair: bool = False
    network: str | None = None
    settlement: str | None = None
    q: str = ""
    sort: str = SORT_TIME
    date_offset: int | None = None
    include_started: bool = False
    in_person: bool = False


@dataclass
class FinderResult:
    meeting_id: int
    next_start: datetime.datetime | None  # aware, in the meeting's time zone; None for meetings by appointment
    distance_km: float | None
    meeting: Meeting | None = None


class MeetingResults(Sequence):
    """The sorted results. len() is one COUNT; indexing or slicing fetches just
    enough ordered rows for that slice, makes FinderResults and loads their Meeting
    objects (one query + prefetches), so Django's Paginator (and DRF's) can page
    through it without reading every match.

    Two sources are merged: `stream`, MeetingDay rows already ordered by the
    database (weekly and monthly meetings in Europe/London: nearly all of them),
    and `extras`, a small list of meetings whose next start needs Python (other
    time zones; meetings by appointment with no day), each with its sort key.
    """

    def __init__(self, stream, extras, sort_key, now, base_queryset=None):
        self.stream = stream  # values_list(meeting_id, offset, start_time, distance²) in result order
        self.extras = sorted(extras, key=sort_key)  # [Row]
        self.sort_key = sort_key
        self.now = now
        self.today = local_now(now).date()
        self.base_queryset = base_queryset
        self._count = None
        self._fetched = []  # the stream's first distinct meetings, as Rows
        self._seen = set()  # their ids
        self._stream_offset = 0  # stream rows read so far
        self._fetched_all = False
        self._cache = {}

    def __len__(self):
        if self._count is None:
            self._count = self.stream.order_by().values("meeting_id").distinct().count() + len(self.extras)
        return self._count

    def count(self):
        return len(self)

    @property
    def rows(self):
        """Every result's Row, in order (reads the whole stream: for tests and benchmarks)."""
        return self.rows_until(None)

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
                return self._results(self.rows[index])
            return self._results(self.rows_until(index.stop)[index])
        if index < 0:
            return self._results([self.rows[index]])[0]
        return self._results([self.rows_until(index + 1)[index]])[0]

    def _stream_rows(self, wanted):
        """At least `wanted` distinct meetings from the stream (all of them when None or fewer exist)."""
        batch = max(64, 2 * (wanted or 0))
        while not self._fetched_all and (wanted is None or len(self._fetched) < wanted):
            offset = self._stream_offset
            chunk = list(self.stream[offset : offset + batch]) if wanted is not None else list(self.stream[offset:])
            self._stream_offset = offset + len(chunk)
            if wanted is None or len(chunk) < batch:
                self._fetched_all = True
            for meeting_id, day_offset, start_time, distance_sq in chunk:
                if meeting_id not in self._seen:  # a meeting's later days come after its next one
                    self._seen.add(meeting_id)
                    distance = math.sqrt(distance_sq) if distance_sq is not None else None
                    self._fetched.append(Row(meeting_id, day_offset, start_time, distance, None))
            batch *= 2
        return self._fetched

    def rows_until(self, stop):
        """The Rows of the first `stop` results (all of them when None)."""
        stream = self._stream_rows(None if stop is None else stop)
        if not self.extras:
            return stream
        return sorted([*stream, *self.extras], key=self.sort_key)

    def _results(self, chunk):
        missing = [row.meeting_id for row in chunk if row.meeting_id not in self._cache]
        if missing:
            queryset = self.base_queryset if self.base_queryset is not None else result_queryset()
            for meeting in queryset.filter(pk__in=missing):
                self._cache[meeting.pk] = meeting
        results = []
        for row in chunk:
            meeting = self._cache.get(row.meeting_id)
            if meeting is None:  # deleted between the two queries
                continue
            start = row.next_start
            if start is None and row.day_offset != NO_TIME:
                # A stream row: the day it sorted by, at its start time, in London.
                date = self.today + datetime.timedelta(days=row.day_offset)
                start = datetime.datetime.combine(date, row.start_time, tzinfo=LONDON)
                start = start.astimezone(datetime.UTC).astimezone(LONDON)  # the hour the clocks skip
            meeting.next_start, meeting.distance_km = start, row.distance_km
            results.append(FinderResult(row.meeting_id, start, row.distance_km, meeting))
        return results


def result_queryset():
    """What a results row shows about each meeting (name, fellowship, town, attendance), in one query.
    Callers that show more (the API: days, types) pass their own queryset."""
    return Meeting.objects.select_related("fellowship", "location").only(
        # Only what the row and its map pin read: fewer columns to fetch and convert on every search.
        # (test_finder_order checks the finder page's query count stays flat, so a missing one shows.)
        *("name", "slug", "status", "monthly_week", "conference_url", "conference_phone"),
        *("location__town", "location__name", "location__approximate", "location__latitude", "location__longitude"),
        *("fellowship__name", "fellowship__short_name"),
    )


# --- Geometry --------------------------------------------------------------------------


def haversine_km(lat1, lng1, lat2, lng2) -> float:
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(point, lat, lng) -> float:
    """Kilometres from `point` to (lat, lng): the equirectangular projection at the
    two points' mid latitude, with the cosine from a second-order Taylor series
    around the point's latitude. Plain arithmetic, so the database computes the
    very same number (distance_sq_expression) for filtering and sorting; within
    metres of haversine_km at 10 km and well under 1% at 200 km."""
    lat0, lng0 = float(point[0]), float(point[1])
    c0, s0 = math.cos(math.radians(lat0)), math.sin(math.radians(lat0))
    dlat = float(lat) - lat0
    half = dlat * (math.pi / 360)
    cos_mid = c0 - s0 * half - (c0 / 2) * half * half
    dy = dlat * KM_PER_DEGREE_LATITUDE
    dx = (float(lng) - lng0) * KM_PER_DEGREE_LATITUDE * cos_mid
    return math.sqrt(dy * dy + dx * dx)


def bounding_box(lat, lng, radius_km):
    """(min_lat, max_lat, min_lng, max_lng) containing every point within radius_km."""
    lat, lng = float(lat), float(lng)
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(min(89.0, abs(lat) + dlat))), 0.01)
    dlng = radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def bbox_q(prefix, lat, lng, radius_km) -> Q:
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius_km)
    return Q(
        **{
            f"{prefix}latitude__gte": round(min_lat, 5),
            f"{prefix}latitude__lte": round(max_lat, 5),
            f"{prefix}longitude__gte": round(min_lng, 5),
            f"{prefix}longitude__lte": round(max_lng, 5),
        }
    )


# --- Time ------------------------------------------------------------------------------


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name or DEFAULT_TIMEZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return LONDON


def matches_monthly(date: datetime.date, monthly_week: int | None) -> bool:
    """Is `date` in the right week of its month for a "first/second/.../last <weekday>" rule?"""
    if not monthly_week:
        return True
    if monthly_week == -1:
        return (date + datetime.timedelta(days=7)).month != date.month
    return (date.day - 1) // 7 + 1 == monthly_week


def next_occurrence(days, start_time, tz_name, monthly_week, now) -> datetime.datetime | None:
    """The next start (aware, in the meeting's zone) at or after `now`, or None
    for meetings by appointment (no start time or no days). A start time that
    does not exist on a spring-forward day is read as the time before the clocks
    changed (so 01:30 becomes 02:30 BST)."""
    if start_time is None or not days:
        return None
    zone = _zone(tz_name)
    local_now = now.astimezone(zone)
    day_set = set(days)
    horizon = 7 * 6 if monthly_week else 8
    for offset in range(horizon + 1):
        date = local_now.date() + datetime.timedelta(days=offset)
        if mg_day(date) not in day_set or not matches_monthly(date, monthly_week):
            continue
        start = datetime.datetime.combine(date, start_time, tzinfo=zone)
        # Normalise a non-existent local time (the hour the clocks skip) to a real instant.
        start = start.astimezone(datetime.UTC).astimezone(zone)
        if start.astimezone(datetime.UTC) >= now:  # compare instants, not wall-clock times
            return start
    return None


def local_now(now=None) -> datetime.datetime:
    return (now or timezone.now()).astimezone(LONDON)


def resolve_day(value, now=None) -> int | None:
    """'today', 'tomorrow' or '0'..'6' as a Meeting Guide day number, in Europe/London."""
    if value in ("", None):
        return None
    today = local_now(now).date()
    if value == "today":
        return mg_day(today)
    if value == "tomorrow":
        return mg_day(today + datetime.timedelta(days=1))
    day = int(value)
    if not 0 <= day <= 6:
        raise ValueError(value)
    return day


# --- The query -------------------------------------------------------------------------


# Meetings the finder shows: listed, and not temporarily closed unless they also meet online.
FINDABLE_Q = Meeting.LISTED_Q & ~(Q(status=Meeting.Status.TEMPORARILY_CLOSED) & ~Meeting.ONLINE_Q)


def prefixed(condition, prefix):
    """The Q `condition` (written against Meeting) with every lookup under `prefix`."""
    if not prefix or not isinstance(condition, Q):
        return condition
    children = [
        prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def meeting_conditions(query: FinderQuery, prefix=""):
    """Everything the finder asks of a meeting itself (not its days, time or place), as
    filter() arguments against Meeting, or against a model reaching it through `prefix`."""
    meeting_pk = OuterRef(prefix.removesuffix("__")) if prefix else OuterRef("pk")
    conditions = [FINDABLE_Q]
    if query.network:
        conditions.append(Q(network__slug=query.network))
    if query.settlement:
        conditions.append(Q(location__settlement__slug=query.settlement))
    if query.fellowship:
        conditions.append(Q(fellowship__slug=query.fellowship))
    if query.attendance:
        conditions.append(Meeting.attendance_q(query.attendance))
    if query.in_person:
        conditions.append(Meeting.IN_PERSON_Q)
    for word in query.q.split()[:8] if query.q else ():
        conditions.append(Q(name__icontains=word) | Q(group_name__icontains=word))
    conditions = [prefixed(c, prefix) for c in conditions]
    types = set(query.types)
    if query.wheelchair:
        types.add(WHEELCHAIR_TYPE)
    through = Meeting.types.through
    for code in sorted(types):
        # A correlated EXISTS per candidate row, so the plan is driven by the selective
        # day / place index rather than by a common type.
        type_id = Subquery(MeetingType.objects.filter(code=code).values("pk")[:1])  # worked out once per query
        conditions.append(Exists(through.objects.filter(meeting_id=meeting_pk, meetingtype_id=type_id)))
    return conditions


def time_of_day_q(query: FinderQuery, field="start_time") -> Q:
    time_q = Q()
    for name in query.time_of_day:
        low, high = TIMES_OF_DAY[name]
        part = Q(**{f"{field}__gte": low})
        if high is not None:
            part &= Q(**{f"{field}__lt": high})
        time_q |= part
    return time_q


def filtered_meetings(query: FinderQuery, now=None):
    """The finder's filters as a Meeting queryset (rows may repeat per matching day);
    "starting within N hours" is checked later, on each meeting's next start."""
    qs = Meeting.objects.filter(*meeting_conditions(query))
    if query.point is not None:
        qs = qs.filter(bbox_q("location__", query.point[0], query.point[1], query.radius_km))
    if query.time_of_day:
        qs = qs.filter(time_of_day_q(query))
    return qs.filter(days__day__in=sorted(set(query.days))) if query.days else qs


# The offset given to meetings by appointment: after every meeting with a next start.
NO_TIME = 99


class DayOffset(Expression):
    """SQL: how many days from today (Europe/London) until a MeetingDay row's next
    occurrence, for weekly and monthly ("first Monday") rules alike.

    The answer for every (day, monthly rule) pair is worked out in Python and
    written as nested CASEs over the row's own columns, so the database orders
    100,000 rows without date arithmetic of its own (and SQLite and PostgreSQL
    agree). Built as one expression rather than dozens of When(Q(...)) so the ORM
    spends little time assembling it on every search."""

    output_field = IntegerField()
    RULES = (1, 2, 3, 4, -1)  # monthly weeks; NULL is weekly

    def __init__(self, now, days=range(7)):
        super().__init__()
        local = local_now(now)
        self.today, self.now_time = local.date(), local.time().replace(tzinfo=None)
        self.days = sorted(set(days))
        self.columns = [F("day"), F("monthly_week"), F("start_time")]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = exprs

    def offset(self, day, monthly_week, first):
        for k in range(first, first + 7 * 6):
            date = self.today + datetime.timedelta(days=k)
            if mg_day(date) == day and matches_monthly(date, monthly_week):
                return k
        raise AssertionError("every rule meets within six weeks")

    def by_rule(self, rule_sql, day, first):
        """CASE monthly_week WHEN 1 THEN … ELSE <weekly> END for one weekday (integers only)."""
        whens = " ".join(f"WHEN {int(rule)} THEN {int(self.offset(day, rule, first))}" for rule in self.RULES)
        return f"CASE {rule_sql} {whens} ELSE {int(self.offset(day, None, first))} END"

    def as_sql(self, compiler, connection):
        (day, _), (rule, _), (start, _) = (compiler.compile(column) for column in self.columns)
        now_sql, now_params = compiler.compile(Value(self.now_time, output_field=TimeField()))
        today = mg_day(self.today)
        parts, params = [f"WHEN {start} IS NULL THEN {NO_TIME}"], []
        if today in self.days:  # today's meetings that have already started meet next on a later date
            parts.append(f"WHEN {day} = {today} AND {start} < {now_sql} THEN {self.by_rule(rule, today, 1)}")
            params += now_params
        parts += [f"WHEN {day} = {int(d)} THEN {self.by_rule(rule, d, 0)}" for d in self.days]
        return f"CASE {' '.join(parts)} ELSE {NO_TIME} END", params


def distance_sq_expression(point, latitude="latitude", longitude="longitude"):
    """SQL: the squared distance in km² from `point` (see distance_km), in plain arithmetic.
    `latitude` and `longitude` are float columns' names, or expressions (such as a Cast of a decimal column)."""
    lat0, lng0 = float(point[0]), float(point[1])
    c0, s0 = math.cos(math.radians(lat0)), math.sin(math.radians(lat0))
    latitude, longitude = (F(v) if isinstance(v, str) else v for v in (latitude, longitude))
    dlat = latitude - Value(lat0)
    half = dlat * Value(math.pi / 360)
    cos_mid = Value(c0) - Value(s0) * half - Value(c0 / 2) * half * half
    dy = dlat * Value(KM_PER_DEGREE_LATITUDE)
    dx = (longitude - Value(lng0)) * Value(KM_PER_DEGREE_LATITUDE) * cos_mid
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


Row = namedtuple("Row", "meeting_id day_offset start_time distance_km next_start")
LAST = datetime.time.max


def time_order(row):
    return (row.day_offset, row.start_time or LAST, row.distance_km or 0.0, row.meeting_id)


def distance_order(row):
    return (row.distance_km, row.day_offset, row.start_time or LAST, row.meeting_id)


def find_meetings(query: FinderQuery, now=None, queryset=None) -> MeetingResults:
    """Every meeting matching `query`, sorted, as a lazily-loaded sequence of FinderResult.

    now: the instant to count from (aware; defaults to timezone.now()).
    queryset: the Meeting queryset to load each page's objects from (default: result_queryset()).

    Sorted by next start (as London wall-clock: days from today, then start time),
    then distance; or by distance, then next start. Meetings by appointment come
    last. Nearly every meeting is answered by one ordered query on MeetingDay (its
    copies of the start time and coordinates make that one index range per day);
    meetings in other time zones, and by appointment with no day, are few and have
    their next start worked out in Python, then merged in.
    """
    now = now or timezone.now()
    local = local_now(now)
    today = local.date()
    point = query.point
    by_distance = query.sort == SORT_DISTANCE and point is not None

    # The ordered stream: one row per (meeting, day), London meetings.
    rows = MeetingDay.objects.filter(*meeting_conditions(query, "meeting__"), meeting__timezone=DEFAULT_TIMEZONE)
    days = sorted(set(query.days))
    window_end = None
    if query.starting_within_hours:
        window_end = (now.astimezone(datetime.UTC) + datetime.timedelta(hours=query.starting_within_hours)).astimezone(
            LONDON
        )
        within = {mg_day(today + datetime.timedelta(days=k)) for k in range((window_end.date() - today).days + 1)}
        days = sorted(within & set(days)) if days else sorted(within)
        rows = rows.filter(day__in=days)  # nothing, when the chosen days are not in the window
    elif days:
        rows = rows.filter(day__in=days)
    elif point is not None:
        rows = rows.filter(day__in=range(7))  # one index range per day rather than a scan
    if query.time_of_day:
        rows = rows.filter(time_of_day_q(query))
    rows = rows.annotate(day_offset=DayOffset(now, days or range(7)))
    if query.date_offset is not None:
        rows = rows.filter(day_offset=query.date_offset)
    if window_end is not None:
        end_offset, end_time = (window_end.date() - today).days, window_end.time().replace(tzinfo=None)
        rows = rows.filter(
            Q(day_offset__lt=end_offset) | Q(day_offset=end_offset, start_time__lte=end_time), start_time__isnull=False
        )
    if point is not None:
        rows = rows.filter(bbox_q("", point[0], point[1], query.radius_km))
        rows = rows.annotate(distance_sq=distance_sq_expression(point)).filter(
            distance_sq__lte=query.radius_km * query.radius_km
        )
    else:
        rows = rows.annotate(distance_sq=Value(None, output_field=FloatField()))
    if by_distance:
        rows = rows.order_by("distance_sq", "day_offset", "start_time", "meeting_id")
    else:
        rows = rows.order_by("day_offset", "start_time", "distance_sq", "meeting_id")
    stream = rows.values_list("meeting_id", "day_offset", "start_time", "distance_sq")

    user_days = sorted(set(query.days))
    changing = {today} | ({window_end.date()} if window_end is not None else set())
    early_days = sorted({mg_day(date) for date in changing if clocks_change_on(date)})
    ids = _exceptional_ids(no_day=not (user_days or query.time_of_day or window_end is not None), early_days=early_days)
    if early_days and ids:
        stream = stream.exclude(meeting_id__in=ids)  # worked out in Python instead, below
    # Other zones' day numbers are their own, so the window's London days do not apply to them.
    extras = _exceptional_meetings(query, now, user_days, window_end, ids)
    if started_applies(query):
        started = in_progress_rows(query, now)
        if started:
            # A meeting under way is shown as it is now (or in the "in progress" row), not next week.
            stream = stream.exclude(meeting_id__in=[row.meeting_id for row in started])
            extras = [row for row in extras if row.meeting_id not in {r.meeting_id for r in started}]
            extras += [row for row in started if now - row.next_start <= JUST_STARTED]
    return MeetingResults(stream, extras, distance_order if by_distance else time_order, now, queryset)


# --- Meetings under way ------------------------------------------------------------------

# A meeting that started this long ago stays in the list (people arrive late); after that, until it
# ends, it sits in the collapsed "N meetings in progress" row. TSML-UI's rule.
JUST_STARTED = datetime.timedelta(minutes=10)


def started_applies(query: FinderQuery) -> bool:
    """Does the search ask about now (today, or no day at all), so that meetings under way matter?"""
    if not query.include_started or query.time_of_day:
        return False
    if query.date_offset is not None:
        return query.date_offset == 0
    return not query.days


def in_progress_rows(query: FinderQuery, now) -> list:
    """Rows (next_start = today's start) for London meetings that have started today and not yet
    ended at `now`, nearest start first. Few rows: today's, started before now."""
    local = local_now(now)
    today = local.date()
    now_time = local.time().replace(tzinfo=None)
    rows = MeetingDay.objects.filter(
        *meeting_conditions(query, "meeting__"),
        meeting__timezone=DEFAULT_TIMEZONE,
        day=mg_day(today),
        start_time__isnull=False,
        start_time__lt=now_time,
    )
    if query.point is not None:
        rows = rows.filter(bbox_q("", query.point[0], query.point[1], query.radius_km))
        rows = rows.annotate(distance_sq=distance_sq_expression(query.point))
        rows = rows.filter(distance_sq__lte=query.radius_km * query.radius_km)
    else:
        rows = rows.annotate(distance_sq=Value(None, output_field=FloatField()))
    found = []
    for meeting_id, start_time, monthly_week, end_time, distance_sq in rows.values_list(
        "meeting_id", "start_time", "monthly_week", "meeting__end_time", "distance_sq"
    ):
        if not matches_monthly(today, monthly_week):
            continue
        start = datetime.datetime.combine(today, start_time, tzinfo=LONDON).astimezone(datetime.UTC).astimezone(LONDON)
        if end_time is None:
            end = start + DEFAULT_DURATION
        else:
            end = datetime.datetime.combine(today, end_time, tzinfo=LONDON)
            if end_time <= start_time:
                end += datetime.timedelta(days=1)  # ends after midnight
        if start <= now < end:
            distance = math.sqrt(distance_sq) if distance_sq is not None else None
            found.append(Row(meeting_id, 0, start_time, distance, start))
    found.sort(key=lambda row: (row.start_time, row.distance_km or 0.0, row.meeting_id))
    return found


def meetings_in_progress(query: FinderQuery, now=None) -> list:
    """FinderResults (meetings loaded, latest start first) for meetings under way for longer than
    JUST_STARTED: the collapsed "N meetings in progress" row. Empty when the search is not about now."""
    now = now or timezone.now()
    if not started_applies(query):
        return []
    rows = [row for row in in_progress_rows(query, now) if now - row.next_start > JUST_STARTED]
    rows.sort(key=lambda row: (row.next_start, row.meeting_id), reverse=True)
    meetings = result_queryset().in_bulk([row.meeting_id for row in rows])
    results = []
    for row in rows:
        meeting = meetings.get(row.meeting_id)
        if meeting is not None:
            meeting.next_start, meeting.distance_km = row.next_start, row.distance_km
            results.append(FinderResult(row.meeting_id, row.next_start, row.distance_km, meeting))
    return results


# On the days the clocks change, wall-clock times before 03:00 are skipped or happen
# twice, so "has it started?" cannot be answered by comparing times of day.
CLOCK_CHANGE_HOURS_END = datetime.time(3, 0)


def clocks_change_on(date) -> bool:
    """Do London's clocks go forward or back on `date`?"""
    midnight = datetime.datetime.combine(date, datetime.time(0), tzinfo=LONDON)
    next_midnight = datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time(0), tzinfo=LONDON)
    return midnight.utcoffset() != next_midnight.utcoffset()


def _exceptional_ids(no_day: bool, early_days=()) -> list:
    """Ids of meetings outside Europe/London; (no_day) by appointment with no day;
    and meeting before 03:00 on any of `early_days` (weekdays whose date the clocks
    change on).

    Asked on every search, so written as plain SQL (the ORM would spend longer
    building it than the database answering it), each part on its own index: an
    OR of two ranges would make SQLite scan the table."""
    meeting, meeting_day = (connection.ops.quote_name(m._meta.db_table) for m in (Meeting, MeetingDay))
    # Table names come from the models, values go as parameters.
    sql = f"SELECT id FROM {meeting} WHERE timezone < %s UNION ALL SELECT id FROM {meeting} WHERE timezone > %s"  # noqa: S608
    if no_day:  # a meeting with no day cannot match a day or a time
        sql += (
            f" UNION ALL SELECT m.id FROM {meeting} m WHERE m.start_time IS NULL"  # noqa: S608
            f" AND NOT EXISTS (SELECT 1 FROM {meeting_day} d WHERE d.meeting_id = m.id)"  # noqa: S608
        )
    params = [DEFAULT_TIMEZONE, DEFAULT_TIMEZONE]
    database = connections[Meeting.objects.none().db]
    if early_days:
        days = ", ".join(str(int(day)) for day in early_days)
        sql += f" UNION ALL SELECT meeting_id FROM {meeting_day} WHERE day IN ({days}) AND start_time < %s"  # noqa: S608
        params.append(database.ops.adapt_timefield_value(CLOCK_CHANGE_HOURS_END))
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted({row[0] for row in cursor.fetchall()})


def _exceptional_meetings(query, now, days, window_end, ids) -> list:
    """Rows for the meetings the stream cannot order (see _exceptional_ids), each with
    its next start from next_occurrence(). Few or none."""
    if not ids:
        return []
    qs = filtered_meetings(query, now).filter(pk__in=ids)
    if days:
        qs = qs.filter(days__day__in=days)
    fields = ["pk", "start_time", "timezone", "monthly_week"]
    if query.point is not None:
        qs = qs.annotate(_lat=Cast("location__latitude", FloatField()), _lng=Cast("location__longitude", FloatField()))
        fields += ["_lat", "_lng"]
    found = {row[0]: row for row in qs.order_by().values_list(*fields)}
    if not found:
        return []
    meeting_days = {}
    meeting_day_rows = MeetingDay.objects.filter(meeting_id__in=found)
    if days:  # the next start on one of the days asked for
        meeting_day_rows = meeting_day_rows.filter(day__in=days)
    for meeting_id, day in meeting_day_rows.values_list("meeting_id", "day"):
        meeting_days.setdefault(meeting_id, []).append(day)
    today = local_now(now).date()
    rows = []
    for pk, start_time, tz_name, monthly_week, *place in found.values():
        distance = None
        if query.point is not None:
            if place[0] is None or place[1] is None:
                continue
            distance = distance_km(query.point, place[0], place[1])
            if distance > query.radius_km:
                continue
        start = next_occurrence(meeting_days.get(pk, []), start_time, tz_name, monthly_week, now)
        if window_end is not None and (start is None or start > window_end):
            continue
        if query.date_offset is not None and (
            start is None or (start.astimezone(LONDON).date() - today).days != query.date_offset
        ):
            continue
        if start is None:
            rows.append(Row(pk, NO_TIME, None, distance, None))
        else:
            wall = start.astimezone(LONDON)
            offset = (wall.date() - today).days
            rows.append(Row(pk, offset, wall.time().replace(tzinfo=None), distance, start))
    return rows


# --- Services ------------------------------------------------------------------------


@dataclass
class ServiceResult:
    service: Service
    distance_km: float | None
    location: object = None


def find_services(point=None, radius_km=10.0, q="", network=None):
    """Findable support services (not temporarily closed), nearest first when a point is given (by their
    nearest location), else by name. A list of ServiceResult; constant queries."""
    qs = Service.objects.findable().select_related("organisation", "network")
    if network:
        qs = qs.filter(network__slug=network)
    for word in (q or "").split()[:8]:
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if point is None:
        return [ServiceResult(s, None) for s in qs.order_by("name", "pk").prefetch_related("locations")]
    qs = qs.filter(bbox_q("locations__", point[0], point[1], radius_km)).distinct()
    found = []
    for service in qs.prefetch_related("locations"):
        best = None
        for location in service.locations.all():
            if location.latitude is None or location.longitude is None:
                continue
            distance = distance_km(point, location.latitude, location.longitude)
            if distance <= radius_km and (best is None or distance < best[0]):
                best = (distance, location)
        if best:
            found.append(ServiceResult(service, best[0], best[1]))
    found.sort(key=lambda r: (r.distance_km, r.service.name, r.service.pk))
    return found


def type_names(codes) -> dict:
    return dict(MeetingType.objects.filter(code__in=codes).values_list("code", "name"))
