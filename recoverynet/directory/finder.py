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
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, FloatField, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from .models import DEFAULT_TIMEZONE, Meeting, MeetingType, Service

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


@dataclass
class FinderResult:
    meeting_id: int
    next_start: datetime.datetime | None  # aware, in the meeting's time zone; None for meetings by appointment
    distance_km: float | None
    meeting: Meeting | None = None


class MeetingResults(Sequence):
    """The sorted results. len() is cheap; indexing or slicing makes FinderResults
    and loads the Meeting objects of just that slice (one query + prefetches), so
    Django's Paginator (and DRF's) can page through it."""

    def __init__(self, rows, now, base_queryset=None):
        self.rows = rows  # [(sort key, distance_km, meeting_id, exact next start or None)]
        self.now = now
        self.base_queryset = base_queryset
        self._cache = {}

    def __len__(self):
        return len(self.rows)

    def count(self):
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._results(self.rows[index])
        return self._results([self.rows[index]])[0]

    def _results(self, chunk):
        missing = [row[2] for row in chunk if row[2] not in self._cache]
        if missing:
            queryset = self.base_queryset if self.base_queryset is not None else result_queryset()
            for meeting in queryset.filter(pk__in=missing):
                self._cache[meeting.pk] = meeting
        results = []
        for _key, distance, pk, start in chunk:
            meeting = self._cache.get(pk)
            if meeting is None:  # deleted between the two queries
                continue
            if start is None and meeting.start_time is not None:
                start = next_occurrence(
                    [d.day for d in meeting.days.all()],
                    meeting.start_time,
                    meeting.timezone,
                    meeting.monthly_week,
                    self.now,
                )
            meeting.next_start, meeting.distance_km = start, distance
            results.append(FinderResult(pk, start, distance, meeting))
        return results


def result_queryset():
    """What a results page needs about each meeting, in a fixed number of queries."""
    return Meeting.objects.select_related("fellowship", "location", "network").prefetch_related("days", "types")


# --- Geometry --------------------------------------------------------------------------


def haversine_km(lat1, lng1, lat2, lng2) -> float:
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


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


def _window_q(now, hours) -> Q:
    """A SQL prefilter for 'starting in the next N hours': (day, start time range)
    pairs covering the window in Europe/London, an hour wider each side for a
    clock change. Meetings in other zones pass; the exact check on each
    meeting's next occurrence follows in Python."""
    start = local_now(now)
    end = (start.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)).astimezone(LONDON)
    midnight, last = datetime.time(0, 0), datetime.time(23, 59, 59)
    slack = datetime.timedelta(hours=1)
    parts = Q()
    date = start.date()
    for _ in range(8):
        if date > end.date():
            break
        low, high = midnight, last
        if date == start.date():
            low_dt = datetime.datetime.combine(date, start.time()) - slack
            low = low_dt.time() if low_dt.date() == date else midnight
        if date == end.date():
            high_dt = datetime.datetime.combine(date, end.time()) + slack
            high = high_dt.time() if high_dt.date() == date else last
        parts |= Q(days__day=mg_day(date), start_time__gte=low, start_time__lte=high)
        date += datetime.timedelta(days=1)
    return parts | ~Q(timezone=DEFAULT_TIMEZONE)


# --- The query -------------------------------------------------------------------------


def base_meetings():
    """Meetings anyone can find: listed, and not temporarily closed unless they also meet online."""
    return Meeting.objects.listed().exclude(Q(status=Meeting.Status.TEMPORARILY_CLOSED) & ~Meeting.ONLINE_Q)


def filtered_meetings(query: FinderQuery, now=None):
    """The SQL part of the search: a Meeting queryset (rows may repeat per matching day)."""
    now = now or timezone.now()
    qs = base_meetings()
    if query.network:
        qs = qs.filter(network__slug=query.network)
    if query.settlement:
        qs = qs.filter(location__settlement__slug=query.settlement)
    if query.fellowship:
        qs = qs.filter(fellowship__slug=query.fellowship)
    types = set(query.types)
    if query.wheelchair:
        types.add(WHEELCHAIR_TYPE)
    through = Meeting.types.through
    for code in sorted(types):
        # A correlated EXISTS, checked per candidate row: the planner drives the
        # query from the selective bounding box / day instead of from a common type.
        qs = qs.filter(Exists(through.objects.filter(meeting_id=OuterRef("pk"), meetingtype__code=code)))
    if query.attendance:
        qs = qs.with_attendance(query.attendance)
    if query.q:
        for word in query.q.split()[:8]:
            qs = qs.filter(Q(name__icontains=word) | Q(group_name__icontains=word))
    if query.point is not None:
        qs = qs.filter(bbox_q("location__", query.point[0], query.point[1], query.radius_km))
    if query.time_of_day:
        time_q = Q()
        for name in query.time_of_day:
            low, high = TIMES_OF_DAY[name]
            part = Q(start_time__gte=low)
            if high is not None:
                part &= Q(start_time__lt=high)
            time_q |= part
        qs = qs.filter(time_q)
    # One filter() call for everything about days, so values() reuses the same join.
    day_q = Q()
    if query.days:
        day_q &= Q(days__day__in=sorted(set(query.days)))
    if query.starting_within_hours:
        day_q &= _window_q(now, query.starting_within_hours)
    return qs.filter(day_q) if day_q else qs


NO_TIME = float("inf")


def find_meetings(query: FinderQuery, now=None, queryset=None) -> MeetingResults:
    """Every meeting matching `query`, sorted, as a lazily-loaded sequence of FinderResult.

    now: the instant to count from (aware; defaults to timezone.now()).
    queryset: the Meeting queryset to load each page's objects from (default: result_queryset();
    it must prefetch "days").

    Sorting by time uses each meeting's next start as London wall-clock minutes from
    today's midnight: exact for weekly London meetings by arithmetic alone (no
    datetime work per row), and from next_occurrence() for monthly meetings and
    other zones. By-appointment meetings come last.
    """
    now = now or timezone.now()
    now_utc = now.astimezone(datetime.UTC)
    local = now.astimezone(LONDON)
    today = local.date()
    today_mg = mg_day(today)
    now_time = local.time().replace(tzinfo=None)
    fields = ["pk", "days__day", "start_time", "timezone", "monthly_week"]
    qs = filtered_meetings(query, now).order_by()
    if query.point is not None:
        qs = qs.annotate(_lat=Cast("location__latitude", FloatField()), _lng=Cast("location__longitude", FloatField()))
        fields += ["_lat", "_lng"]
    grouped = {}
    for row in qs.values_list(*fields):
        entry = grouped.get(row[0])
        if entry is None:
            grouped[row[0]] = [[] if row[1] is None else [row[1]], *row[2:]]
        elif row[1] is not None:
            entry[0].append(row[1])

    window_end = None
    if query.starting_within_hours:
        window_end = now_utc + datetime.timedelta(hours=query.starting_within_hours)
    rows = []
    for pk, entry in grouped.items():
        days, start_time, tz_name, monthly_week = entry[:4]
        distance = None
        if query.point is not None:
            lat, lng = entry[4], entry[5]
            if lat is None or lng is None:
                continue
            distance = haversine_km(query.point[0], query.point[1], lat, lng)
            if distance > query.radius_km:
                continue
        start = None
        if start_time is None or not days:
            key = NO_TIME
        elif window_end is None and not monthly_week and tz_name == DEFAULT_TIMEZONE:
            minutes = start_time.hour * 60 + start_time.minute + start_time.second / 60
            key = min(((day - today_mg) % 7 or (7 if start_time < now_time else 0)) * 1440 + minutes for day in days)
        else:
            start = next_occurrence(days, start_time, tz_name, monthly_week, now)
            if window_end is not None and (start is None or start > window_end):
                continue
            if start is None:
                key = NO_TIME
            else:
                wall = start.astimezone(LONDON)
                key = (wall.date() - today).days * 1440 + wall.hour * 60 + wall.minute + wall.second / 60
        rows.append((key, distance, pk, start))

    if query.sort == SORT_DISTANCE and query.point is not None:
        rows.sort(key=lambda r: (r[1], r[0], r[2]))
    else:
        rows.sort(key=lambda r: (r[0], r[1] or 0.0, r[2]))
    return MeetingResults(rows, now, base_queryset=queryset)


# --- Services ------------------------------------------------------------------------


@dataclass
class ServiceResult:
    service: Service
    distance_km: float | None
    location: object = None


def find_services(point=None, radius_km=10.0, q="", network=None):
    """Listed support services, nearest first when a point is given (by their
    nearest location), else by name. A list of ServiceResult; constant queries."""
    qs = Service.objects.listed().select_related("organisation", "network")
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
            distance = haversine_km(point[0], point[1], location.latitude, location.longitude)
            if distance <= radius_km and (best is None or distance < best[0]):
                best = (distance, location)
        if best:
            found.append(ServiceResult(service, best[0], best[1]))
    found.sort(key=lambda r: (r.distance_km, r.service.name, r.service.pk))
    return found


def type_names(codes) -> dict:
    return dict(MeetingType.objects.filter(code__in=codes).values_list("code", "name"))
