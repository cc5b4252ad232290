"""A member's volunteering shifts as iCalendar (RFC 5545), with the directory's
text escaping and line folding: one VEVENT per shift, times in UTC."""

import datetime

from django.utils import timezone

from recoverynet.directory.formats.ics import escape_text, fold

PRODID = "-//RecoveryNet//Volunteering//EN"


def _utc(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"


def shifts_calendar(signups, *, host: str, url: str, now=None) -> str:
    now = now or timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for signup in signups:
        shift, role = signup.shift, signup.shift.role
        lines += [
            "BEGIN:VEVENT",
            f"UID:volunteering-shift-{shift.pk}-{signup.pk}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(shift.starts_at)}",
            f"DTEND:{_utc(shift.ends_at)}",
            f"SUMMARY:{escape_text('Volunteering: ' + role.title)}",
            f"LOCATION:{escape_text('Remote' if role.is_remote and not role.location else role.location)}",
            f"DESCRIPTION:{escape_text(f'{role.offered_by_name}. {signup.get_status_display()}. Details: {url}')}",
            f"STATUS:{'CONFIRMED' if signup.status == signup.Status.CONFIRMED else 'TENTATIVE'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
