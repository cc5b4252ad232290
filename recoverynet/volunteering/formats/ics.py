"""A member's volunteering shifts as iCalendar (RFC 5545), with the directory's
text escaping and line folding: one VEVENT per shift, times in UTC. A place on
a flexible window is an all-day event spanning the window's days (DTEND is the
day after the last, as RFC 5545 wants), titled with the time expected, unless
the member chose a time: then it is a timed event at that time."""

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
        title = f"Volunteering: {role.title}"
        if signup.chosen_starts_at:
            times = [f"DTSTART:{_utc(signup.chosen_starts_at)}", f"DTEND:{_utc(signup.chosen_ends_at)}"]
        elif shift.is_flexible:
            after = shift.last_day + datetime.timedelta(days=1)
            times = [f"DTSTART;VALUE=DATE:{shift.first_day:%Y%m%d}", f"DTEND;VALUE=DATE:{after:%Y%m%d}"]
            title = f"Volunteering (any {shift.expected}): {role.title}"
        else:
            times = [f"DTSTART:{_utc(shift.starts_at)}", f"DTEND:{_utc(shift.ends_at)}"]
        lines += [
            "BEGIN:VEVENT",
            f"UID:volunteering-shift-{shift.pk}-{signup.pk}@{host}",
            f"DTSTAMP:{_utc(now)}",
            *times,
            f"SUMMARY:{escape_text(title)}",
            f"LOCATION:{escape_text('Remote' if role.is_remote and not role.location else role.location)}",
            f"DESCRIPTION:{escape_text(f'{role.offered_by_name}. {signup.get_status_display()}. Details: {url}')}",
            f"STATUS:{'CONFIRMED' if signup.status == signup.Status.CONFIRMED else 'TENTATIVE'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
