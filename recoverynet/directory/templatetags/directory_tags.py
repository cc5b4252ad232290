"""Words for meeting times: "Tonight 19:30", "Tomorrow 07:00", "Tuesday 19:30"."""

import datetime

from django import template
from django.utils import timezone

from recoverynet.directory import links
from recoverynet.directory.models import DAY_NAMES

register = template.Library()


def when_label(start, now=None) -> str:
    """How the finder says when a meeting next starts, relative to `now` in the meeting's own zone."""
    if start is None:
        return "By appointment"
    now = (now or timezone.now()).astimezone(start.tzinfo)
    days = (start.date() - now.date()).days
    clock = f"{start:%H:%M}"
    if start < now:
        return f"Started {clock}" if days == 0 else f"Started {start:%A} {clock}"
    if days == 0:
        return f"Tonight {clock}" if start.hour >= 17 else f"Today {clock}"
    if days == 1:
        return f"Tomorrow {clock}"
    if days < 7:
        return f"{start:%A} {clock}"
    return f"{start:%A} {start.day} {start:%B} {clock}"


@register.simple_tag
def when(start, now=None):
    return when_label(start, now)


@register.filter
def day_name(number):
    try:
        return DAY_NAMES[int(number)]
    except (TypeError, ValueError, IndexError):
        return ""


@register.filter
def km(distance):
    if distance is None:
        return ""
    if distance < 1:
        return f"{distance * 1000:.0f} m"
    return f"{distance:.1f} km"


@register.filter
def distance(distance_km, units=links.DEFAULT_UNITS):
    """{{ result.distance_km|distance:units }}: "0.4 miles", "1 mile", "12 miles", or "400 m", "1.2 km"."""
    return links.format_distance(distance_km, units)


@register.filter
def radius(radius_km, units=links.DEFAULT_UNITS):
    """{{ radius|radius:units }}: a search radius in round numbers ("6 miles", "10 km")."""
    return links.format_radius(radius_km, units)


@register.filter
def join_label(url):
    """{{ meeting.conference_url|join_label }}: "Join on Zoom", "Join on Microsoft Teams" or "Join online"."""
    return links.join_label(url)


@register.filter
def provider(url):
    """{{ meeting.conference_url|provider }}: "Zoom", "Microsoft Teams", or "" when not known."""
    return links.conference_provider(url) or ""


@register.filter
def safe_url(url):
    """{{ url|safe_url }}: the link when it is http(s), else "" (never a javascript: or data: link)."""
    return links.safe_url(url) or ""


@register.filter
def tel_href(phone):
    """{{ phone|tel_href }}: "tel:+441611234567" (a leading + and digits only), or "" for no number."""
    return links.tel_href(phone) or ""


@register.simple_tag
def schedule_words(meeting):
    """ "Every Tuesday and Thursday, 19:30 to 20:30" or "First Monday of the month, 19:00 to 20:00"."""
    names = [DAY_NAMES[d] for d in meeting.weekdays]
    if not names or meeting.start_time is None:
        return "By appointment"
    day_text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if meeting.monthly_week:
        prefix = meeting.get_monthly_week_display()
        lead = f"{prefix} {day_text} of the month"
    else:
        lead = f"Every {day_text}"
    end = meeting.effective_end_time
    end_text = f" to {end:%H:%M}" if end else ""
    return f"{lead}, {meeting.start_time:%H:%M}{end_text}"


@register.filter
def minutes_between(start, end):
    if not start or not end:
        return ""
    base = datetime.date(2000, 1, 3)
    delta = datetime.datetime.combine(base, end) - datetime.datetime.combine(base, start)
    return int(delta.total_seconds() // 60) % (24 * 60)
