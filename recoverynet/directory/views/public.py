"""The public directory: find a meeting or support near you, and the pages of
meetings, services and fellowships. Read-only, open to everyone, work without
JavaScript, constant queries per page whatever the number of results."""

import dataclasses
import datetime
import hashlib
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import condition

from recoverynet.core.page_cache import cache_public_page
from recoverynet.federation.models import Network

from .. import links
from ..finder import (
    SORT_TIME,
    FinderQuery,
    find_meetings,
    find_services,
    local_now,
    meetings_in_progress,
    mg_day,
    next_occurrence,
)
from ..formats.ics import meeting_calendar
from ..formats.schedule_pdf import schedule_pdf, types_used
from ..forms import DEFAULT_DISTANCE, DISTANCE_CHOICES, FinderForm
from ..models import DAY_NAMES, Fellowship, Meeting, MeetingDay, Service

PAGE_SIZE = 20
SHOW_SERVICES = "services"


def paginate(request, items, per_page=PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without(request, *names, form=None) -> str:
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    for name in form.errors if form is not None else ():
        params.pop(name, None)
    return params.urlencode()


def merge_markers_at_same_place(markers):
    """One pin per place (to about 100 m): meetings sharing a venue would
    otherwise stack into pins nobody can pick out."""
    merged = {}
    for marker in markers:
        key = (round(marker["lat"], 3), round(marker["lng"], 3))
        if key in merged:
            merged[key]["name"] = f"{merged[key]['name']}; {marker['name']}"
        else:
            merged[key] = dict(marker)
    return list(merged.values())


def meeting_marker(meeting):
    location = meeting.location
    if location is None or location.latitude is None or location.longitude is None:
        return None
    return {
        "name": meeting.name,
        "url": meeting.get_absolute_url(),
        "lat": float(location.latitude),
        "lng": float(location.longitude),
        "kind": "meeting",
    }


def widen_links(request, form, query, units=links.DEFAULT_UNITS):
    """Ways to find more when nothing matched: further away, any day, fewer filters."""
    found = []
    params = request.GET.copy()
    params.pop("page", None)
    if query.point is not None:
        bigger = [value for value, _ in DISTANCE_CHOICES if float(value) > query.radius_km]
        if bigger:
            wider = params.copy()
            wider["distance"] = bigger[0]
            found.append((f"Search within {links.format_radius(float(bigger[0]), units)}", wider.urlencode()))
    narrowing = ["day", "time", "soon", "type", "more_types", "fellowship", "attendance", "wheelchair", "q"]
    if any(params.get(name) for name in narrowing):
        fewer = params.copy()
        for name in narrowing:
            fewer.pop(name, None)
        found.append(("Search at any time, for any kind of meeting", fewer.urlencode()))
    if query.attendance != Meeting.Attendance.ONLINE:
        online = {"attendance": Meeting.Attendance.ONLINE}
        found.append(("Find an online meeting", urlencode(online)))
    return found


ONLINE_SHOWN = 5
NEAR_PARAMS = ("where", "lat", "lng", "distance", "sort", "page")


def online_group(request, query, now):
    """The online-only meetings that a search near a place would otherwise mix in with distances:
    the next few, and a link to all of them (the same search, online, anywhere)."""
    online = find_meetings(query, now)
    params = request.GET.copy()
    for name in NEAR_PARAMS:
        params.pop(name, None)
    params["attendance"] = Meeting.Attendance.ONLINE
    return {
        "online_results": list(online[:ONLINE_SHOWN]),
        "online_count": len(online),
        "online_in_progress": meetings_in_progress(query, now),
        "online_query": params.urlencode(),
    }


def nothing_left_today(request, query, now, shown=3):
    """When today's meetings have all started: the first few tomorrow, and links to tomorrow's
    and to online meetings starting soon."""
    tomorrow = mg_day(local_now(now).date() + datetime.timedelta(days=1))
    tomorrow_query = dataclasses.replace(query, days=(tomorrow,), date_offset=1)
    params = request.GET.copy()
    params.pop("page", None)
    params["day"] = "tomorrow"
    online = {"attendance": Meeting.Attendance.ONLINE, "soon": "3"}
    return {
        "nothing_left_today": True,
        "tomorrow_results": list(find_meetings(tomorrow_query, now)[:shown]),
        "tomorrow_query": params.urlencode(),
        "online_soon_query": urlencode(online),
    }


# The summary's wording: these filters' labels read as lower case in a list ("Tuesday, evening, online").
LOWER_CASE_FILTERS = {"time", "soon", "attendance"}
RELATIVE_DAYS = {"today", "tomorrow"}


def search_summary(form, show, used_location) -> str:
    """The search in a few words ("Meetings near Preston, Tuesday, evening"). After a search the results
    come before the filters, so this says what they answer and leads to the filters below them."""
    services = show == SHOW_SERVICES
    what = "Support services" if services else "Meetings"
    if form.place is not None:
        what += f" near {form.place.name}"
    elif used_location:
        what += " near your location"
    parts = [what]
    names = ["day", "time", "soon", "attendance", "wheelchair", "type", "more_types", "fellowship"]
    for name in ([] if services else names) + ["network", "q"]:
        value = form.value(name)
        if not value:
            continue
        if name == "wheelchair":
            parts.append("wheelchair accessible")
        elif name == "q":
            parts.append(f"named “{value}”")
        else:
            labels = dict(form.fields[name].choices)
            for item in value if isinstance(value, list) else [value]:
                label = str(labels.get(item, item)).split(" (")[0]  # "Evening (after 5pm)" -> "Evening"
                parts.append(label.lower() if name in LOWER_CASE_FILTERS or item in RELATIVE_DAYS else label)
    return ", ".join(parts)


def units_query(request, units) -> str:
    """The same search with distances in the other unit (miles, kilometres)."""
    params = request.GET.copy()
    params.pop("page", None)
    params["units"] = links.KILOMETRES if units == links.MILES else links.MILES
    return params.urlencode()


def directory_version(request) -> str:
    """What the finder's answers depend on, in two quick aggregate queries: the
    newest change to a meeting, its location or a service, and how many there are
    (so a deletion shows too). Renamed networks and fellowships show within the
    page cache's minute."""
    services = Service.objects.order_by().aggregate(newest=Max("updated_at"), count=Count("pk"))
    return "|".join(str(value) for value in (*Meeting.objects.change_stamp(), *services.values()))


@cache_public_page(version=directory_version)
def finder(request):
    """/meetings/: find a meeting (or, with ?show=services, a support service) near you.
    The same search in the same minute is built once for everyone signed out."""
    now = timezone.now()
    bound = bool(request.GET)
    form = FinderForm(request.GET if bound else None, now=now)
    query = form.to_query() if bound else FinderQuery()
    show = SHOW_SERVICES if request.GET.get("show") == SHOW_SERVICES else "meetings"
    online_query = None
    if show != SHOW_SERVICES and query.point is not None:
        # Online is not near: online-only meetings are listed apart, without a distance.
        if query.attendance == Meeting.Attendance.ONLINE:
            query = dataclasses.replace(query, point=None, sort=SORT_TIME)
        elif not query.attendance:
            online_query = dataclasses.replace(query, point=None, sort=SORT_TIME, attendance=Meeting.Attendance.ONLINE)
            query = dataclasses.replace(query, in_person=True)
    context = {
        "form": form,
        "now": now,
        "query": query,
        "place": form.place,
        "place_choices": form.place_choices,
        "show": show,
        "radius": query.radius_km,
        "used_location": query.point is not None and form.place is None,
        "searched": bound,
        "units": form.distance_units,
        "units_query": units_query(request, form.distance_units),
    }
    place_problem = bound and "where" in form.errors
    # "More filters" opens by itself when one is in use or has an error, so nothing chosen is hidden.
    # (The units only change how distances read, so choosing them alone leaves it closed.)
    filter_names = [name for name in form.fields if name not in ("where", "lat", "lng", "units")]
    context["filters_open"] = bound and (
        "units" in form.errors
        or any(
            name in form.errors
            or (request.GET.get(name) and not (name == "distance" and request.GET[name] == DEFAULT_DISTANCE))
            for name in filter_names
        )
    )
    context["place_problem"] = place_problem
    # After a search the results come first (on a phone the filters would push them off the first screen);
    # a place to choose, or no search yet, keeps the form first.
    context["results_first"] = bound and not place_problem
    if context["results_first"]:
        context["search_summary"] = search_summary(form, show, context["used_location"])
    if place_problem:
        # Searching everywhere instead would look like an answer: ask for the place first.
        page_obj = paginate(request, [])
        context.update(page_obj=page_obj, results=[], services=[])
        markers = []
    elif show == SHOW_SERVICES:
        services = find_services(query.point, query.radius_km, query.q, query.network)
        page_obj = paginate(request, services)
        context.update(page_obj=page_obj, services=page_obj.object_list)
        markers = []
        for result in page_obj.object_list:
            location = result.location or next(iter(result.service.locations.all()), None)
            if location is not None and location.latitude is not None:
                markers.append(
                    {
                        "name": result.service.name,
                        "url": result.service.get_absolute_url(),
                        "lat": float(location.latitude),
                        "lng": float(location.longitude),
                        "kind": "service",
                    }
                )
    else:
        results = find_meetings(query, now)
        page_obj = paginate(request, results)
        context.update(page_obj=page_obj, results=page_obj.object_list)
        markers = [m for m in (meeting_marker(r.meeting) for r in page_obj.object_list if r.meeting) if m]
        context["in_progress"] = meetings_in_progress(query, now)
        if online_query is not None and page_obj.number == 1:
            context.update(online_group(request, online_query, now))
        if not page_obj.paginator.count:
            context["widen_links"] = widen_links(request, form, query, form.distance_units)
            if query.date_offset == 0:
                context.update(nothing_left_today(request, query, now))
    meetings_params = request.GET.copy()
    meetings_params.pop("show", None)
    meetings_params.pop("page", None)
    services_params = meetings_params.copy()
    services_params["show"] = SHOW_SERVICES
    context.update(
        # A map helps only around a place: across the whole federation the pins of
        # one town overlap into targets too small to use (WCAG 2.5.8).
        markers=merge_markers_at_same_place(markers) if query.point is not None else [],
        query_string=query_without(request, form=form if bound else None),
        meetings_query=meetings_params.urlencode(),
        services_query=services_params.urlencode(),
        default_distance=DEFAULT_DISTANCE,
    )
    return render(request, "directory/finder.html", context)


def public_meetings():
    return Meeting.objects.listed().select_related("fellowship", "location", "location__settlement", "network")


def report_change_url(meeting):
    try:
        return reverse("directory:changes:report", kwargs={"slug": meeting.slug})
    except NoReverseMatch:
        return None


def meeting_detail(request, slug):
    meeting = get_object_or_404(public_meetings().prefetch_related("days", "types"), slug=slug)
    now = timezone.now()
    next_start = next_occurrence(meeting.weekdays, meeting.start_time, meeting.timezone, meeting.monthly_week, now)
    location = meeting.location
    marker = meeting_marker(meeting) if meeting.is_in_person else None
    # Directions from wherever the person is, in their own maps app; none for a meeting held only online.
    directions = links.directions_links(location.latitude, location.longitude, meeting.name) if marker else []
    return render(
        request,
        "directory/meeting_detail.html",
        {
            "meeting": meeting,
            "now": now,
            "next_start": next_start,
            "location": location,
            "markers": [marker] if marker else [],
            "directions": directions,
            "conference_url": links.safe_url(meeting.conference_url),
            "conference_phone_href": links.tel_href(meeting.conference_phone),
            "types": list(meeting.types.all()),
            "report_change_url": report_change_url(meeting),
            "other_timezone": meeting.timezone != "Europe/London",
        },
    )


def saved_meetings(request):
    """/my-meetings/: "my meetings", kept in the person's own browser (localStorage) and listed there by
    saved-meetings.js. The server never sees them: this page is the same for everyone."""
    return render(request, "directory/saved_meetings.html")


def meeting_ics(request, slug):
    meeting = get_object_or_404(public_meetings().prefetch_related("days"), slug=slug)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    body = meeting_calendar(meeting, url=url, host=request.get_host().split(":")[0] or "recoverynet")
    if body is None:
        raise Http404("This meeting is by appointment: there is no regular time to add to a calendar.")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response


def service_detail(request, slug):
    service = get_object_or_404(
        Service.objects.listed()
        .select_related("organisation", "network")
        .prefetch_related("locations", "phones", "contacts", "schedules", "taxonomy_terms"),
        slug=slug,
    )
    locations = list(service.locations.all())
    markers = [
        {
            "name": service.name,
            "url": service.get_absolute_url(),
            "lat": float(loc.latitude),
            "lng": float(loc.longitude),
            "kind": "service",
        }
        for loc in locations
        if loc.latitude is not None and loc.longitude is not None
    ]
    return render(
        request,
        "directory/service_detail.html",
        {"service": service, "locations": locations, "markers": markers},
    )


def fellowship_detail(request, slug):
    fellowship = get_object_or_404(Fellowship.objects.all(), slug=slug)
    now = timezone.now()
    page_obj = paginate(request, find_meetings(FinderQuery(fellowship=fellowship.slug), now))
    return render(
        request,
        "directory/fellowship_detail.html",
        {"fellowship": fellowship, "page_obj": page_obj, "results": page_obj.object_list, "now": now},
    )


# Monday first, as people in the UK read a week.
WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0]


def listed_meeting_days(meeting_filter):
    """The weekday rows of listed meetings matching meeting_filter: what a schedule and its PDF's ETag read."""
    return MeetingDay.objects.filter(meeting__in=Meeting.objects.listed().filter(**meeting_filter))


def schedule_days(meeting_filter):
    """[{"name": "Monday", "rows": [MeetingDay...]}] for listed meetings matching meeting_filter, in a constant
    number of queries."""
    rows = (
        listed_meeting_days(meeting_filter)
        .select_related("meeting", "meeting__fellowship", "meeting__location")
        .prefetch_related(Prefetch("meeting__types"))
        .order_by("day", "meeting__start_time", "meeting__name", "meeting__pk")
    )
    by_day = {day: [] for day in WEEK_ORDER}
    for row in rows:
        by_day[row.day].append(row)
    return [{"name": DAY_NAMES[day], "rows": by_day[day]} for day in WEEK_ORDER]


def active_network_schedule(slug):
    """(network, days) for an active network's schedule page and its PDF, which must list the same meetings."""
    network = get_object_or_404(Network.objects.active(), slug=slug)
    return network, schedule_days({"network": network})


def network_schedule(request, slug):
    network, days = active_network_schedule(slug)
    return render(
        request,
        "directory/network_schedule.html",
        {
            "network": network,
            "days": days,
            "total": sum(len(d["rows"]) for d in days),
            "now": timezone.now(),
            # The same key as the PDF's: only the codes this schedule uses.
            "type_codes": types_used(days),
        },
    )


def schedule_page_url(request, network):
    return request.build_absolute_uri(reverse("directory:network_schedule", kwargs={"slug": network.slug}))


# Every value of a schedule row that the PDF prints (the time, the meeting's name, fellowship, place, status
# and type codes, the key's type names), ordered so that the same schedule always reads the same.
SCHEDULE_PDF_VALUES = (
    "day",
    "meeting_id",
    "meeting__name",
    "meeting__start_time",
    "meeting__end_time",
    "meeting__monthly_week",
    "meeting__status",
    "meeting__fellowship__name",
    "meeting__fellowship__short_name",
    "meeting__location__name",
    "meeting__location__address",
    "meeting__location__town",
    "meeting__location__approximate",
    "meeting__types__code",
    "meeting__types__name",
)


def schedule_pdf_etag(request, slug):
    """The PDF's ETag, so a repeat download gets a 304 without ReportLab building the file again: a hash of
    what it prints, read as plain values in one query, with its date ("Generated 1 December 2026") and the
    page address in its footer. The values themselves rather than updated_at, which edits through
    update_instance (save(update_fields=...)) leave alone, and which days, types and fellowships lack.
    The HTML page gets none: its header shows who is signed in."""
    network = get_object_or_404(Network.objects.active(), slug=slug)
    shown = (
        listed_meeting_days({"network": network})
        .order_by("meeting_id", "day", "meeting__types__code")
        .values_list(*SCHEDULE_PDF_VALUES)
    )
    digest = hashlib.sha256()
    for part in (network.name, timezone.localdate().isoformat(), schedule_page_url(request, network), *shown):
        digest.update(repr(part).encode())
    return digest.hexdigest()[:32]


@condition(etag_func=schedule_pdf_etag)
def network_schedule_pdf(request, slug):
    network, days = active_network_schedule(slug)
    page_url = schedule_page_url(request, network)
    body = schedule_pdf(network=network, days=days, url=page_url, generated_at=timezone.now())
    response = HttpResponse(body, content_type="application/pdf")
    # A slug is only letters, digits, hyphens and underscores, so it is safe inside the quoted filename.
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-meetings-schedule.pdf"'
    return response


def data_sources(request):
    return render(request, "directory/data_sources.html")


def meetings_for(network=None, settlement=None, limit=10, now=None):
    """The next few meetings of a network or at a settlement, for their pages (constant queries)."""
    query = FinderQuery(network=network.slug if network else None, settlement=settlement.slug if settlement else None)
    results = find_meetings(query, now or timezone.now())
    return {"count": len(results), "items": list(results[:limit])}
