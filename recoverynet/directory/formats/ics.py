"""iCalendar (RFC 5545) for one meeting, written by hand: no dependency.

A VCALENDAR with a VTIMEZONE for the meeting's zone (its daylight-saving
rules worked out from the tz database, so Europe/London gives the usual
last-Sunday-of-March / last-Sunday-of-October block) and one recurring VEVENT:
RRULE:FREQ=WEEKLY;BYDAY=TU,TH, or FREQ=MONTHLY;BYDAY=1MO / -1FR for monthly
meetings. Lines end in CRLF and are folded at 75 octets; text is escaped.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from ..finder import next_occurrence
from ..models import DEFAULT_TIMEZONE

ICAL_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]  # Meeting Guide numbering: 0 = Sunday
PRODID = "-//RecoveryNet//Meeting directory//EN"


def escape_text(value) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    text = str(value or "")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line to at most 75 octets per line, never splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        char_bytes = char.encode("utf-8")
        if len(current) + len(char_bytes) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += char_bytes
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _local(dt: datetime.datetime) -> str:
    return dt.strftime("%Y%m%dT%H%M%S")


def _offset(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _transitions(zone: zoneinfo.ZoneInfo, year: int):
    """[(local wall time just before the change, offset before, offset after, name after)] in `year`, hour by hour."""
    found = []
    start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    previous = start.astimezone(zone)
    moment = start
    end = datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC)
    while moment < end:
        moment += datetime.timedelta(hours=1)
        current = moment.astimezone(zone)
        if current.utcoffset() != previous.utcoffset():
            # The change happened at `moment` UTC; DTSTART is the wall time in the old offset.
            wall = (moment + previous.utcoffset()).replace(tzinfo=None)
            found.append((wall, previous.utcoffset(), current.utcoffset(), current.tzname()))
        previous = current
    return found


def _byday_last_or_nth(date: datetime.date) -> str:
    day = ICAL_DAYS[(date.weekday() + 1) % 7]
    if (date + datetime.timedelta(days=7)).month != date.month:
        return f"-1{day}"
    return f"{(date.day - 1) // 7 + 1}{day}"


def vtimezone(tz_name: str, year: int) -> list[str]:
    zone = zoneinfo.ZoneInfo(tz_name)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz_name}"]
    changes = _transitions(zone, year)
    if not changes:
        offset = datetime.datetime(year, 1, 1, tzinfo=zone).utcoffset()
        name = datetime.datetime(year, 1, 1, tzinfo=zone).tzname()
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{_offset(offset)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{name}",
            "END:STANDARD",
        ]
    for wall, before, after, name in changes:
        component = "DAYLIGHT" if after > before else "STANDARD"
        lines += [
            f"BEGIN:{component}",
            f"DTSTART:{_local(wall)}",
            f"RRULE:FREQ=YEARLY;BYMONTH={wall.month};BYDAY={_byday_last_or_nth(wall.date())}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}",
            f"TZNAME:{name}",
            f"END:{component}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def rrule(meeting) -> str:
    days = meeting.weekdays
    if meeting.monthly_week:
        return "RRULE:FREQ=MONTHLY;BYDAY=" + ",".join(f"{meeting.monthly_week}{ICAL_DAYS[d]}" for d in days)
    return "RRULE:FREQ=WEEKLY;BYDAY=" + ",".join(ICAL_DAYS[d] for d in days)


def meeting_calendar(meeting, url: str, host: str, now=None) -> str | None:
    """The meeting as a text/calendar document, or None when it has no regular
    time (meetings by appointment)."""
    now = now or timezone.now()
    tz_name = meeting.timezone or DEFAULT_TIMEZONE
    start = next_occurrence(meeting.weekdays, meeting.start_time, tz_name, meeting.monthly_week, now)
    if start is None:
        return None
    end_time = meeting.effective_end_time
    end = datetime.datetime.combine(start.date(), end_time, tzinfo=start.tzinfo)
    if end <= start:
        end += datetime.timedelta(days=1)  # runs past midnight
    description = [meeting.notes]
    if meeting.conference_url:
        description.append(f"Join online: {meeting.conference_url}")
        if meeting.conference_url_notes:
            description.append(meeting.conference_url_notes)
    if meeting.conference_phone:
        description.append(f"Join by phone: {meeting.conference_phone}")
    description.append(f"Details and changes: {url}")
    location = meeting.location.formatted_address if meeting.location_id and not meeting.location.approximate else ""
    if meeting.location_id and meeting.location.name and location:
        location = f"{meeting.location.name}, {location}"
    if not location and meeting.conference_url:
        location = meeting.conference_url
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines += vtimezone(tz_name, start.year)
    lines += [
        "BEGIN:VEVENT",
        f"UID:{meeting.uuid}@{host}",
        f"DTSTAMP:{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={tz_name}:{_local(start)}",
        f"DTEND;TZID={tz_name}:{_local(end)}",
        rrule(meeting),
        f"SUMMARY:{escape_text(meeting.name)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if meeting.location_id and meeting.location.latitude is not None and not meeting.location.approximate:
        lines.append(f"GEO:{meeting.location.latitude};{meeting.location.longitude}")
    lines += [
        f"DESCRIPTION:{escape_text(chr(10).join(p for p in description if p))}",
        f"URL:{url}",
    ]
    if meeting.status == meeting.Status.TEMPORARILY_CLOSED:
        lines.append("STATUS:TENTATIVE")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
