import datetime
import zoneinfo

import pytest

from recoverynet.directory.factories import LocationFactory, MeetingFactory
from recoverynet.directory.models import Meeting

from ..formats.ics import escape_text, fold, meeting_calendar, vtimezone

LONDON = zoneinfo.ZoneInfo("Europe/London")
SUN, MON, TUE, WED, THU, FRI, SAT = range(7)


def unfold(body: str) -> list[str]:
    """RFC 5545 3.1: CRLF followed by one space or tab continues the line."""
    assert "\n" not in body.replace("\r\n", "")  # every line break is CRLF
    assert body.endswith("\r\n")
    return body.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def parse(body: str) -> list[tuple[str, dict, str]]:
    """[(name, params, value)] for each content line."""
    lines = []
    for line in unfold(body):
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        lines.append((name, dict(p.split("=", 1) for p in params), value))
    return lines


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def event(body):
    lines = parse(body)
    start = lines.index(("BEGIN", {}, "VEVENT"))
    end = lines.index(("END", {}, "VEVENT"))
    return {name: (params, value) for name, params, value in lines[start + 1 : end]}


@pytest.fixture
def tuesday_meeting(db):
    location = LocationFactory(
        name="St Mary's Hall", address="1 Church St, Upper Room", town="Preston", postcode="PR1 2HE"
    )
    return MeetingFactory(
        name="Living Sober; Preston, Tuesday\\Thursday",
        slug="living-sober",
        network=location.network,
        location=location,
        days=[TUE, THU],
        start_time=datetime.time(19, 30),
        end_time=datetime.time(21, 0),
        notes="Ring the bell.\nUp the stairs, on the left.",
        conference_url="https://zoom.example/j/123",
    )


NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)  # Monday


def test_calendar_structure_and_every_required_property(tuesday_meeting):
    body = meeting_calendar(
        tuesday_meeting, url="https://example.org/meetings/living-sober/", host="example.org", now=NOW
    )
    lines = parse(body)
    names = [name for name, _, _ in lines]
    assert lines[0] == ("BEGIN", {}, "VCALENDAR") and lines[-1] == ("END", {}, "VCALENDAR")
    assert ("VERSION", {}, "2.0") in lines
    assert "PRODID" in names
    assert names.count("BEGIN") == names.count("END")
    ev = event(body)
    assert ev["UID"][1] == f"{tuesday_meeting.uuid}@example.org"
    assert ev["DTSTAMP"][1] == "20261123T120000Z"
    assert ev["DTSTART"] == ({"TZID": "Europe/London"}, "20261124T193000")
    assert ev["DTEND"] == ({"TZID": "Europe/London"}, "20261124T210000")
    assert ev["RRULE"][1] == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert unescape(ev["SUMMARY"][1]) == "Living Sober; Preston, Tuesday\\Thursday"
    assert unescape(ev["LOCATION"][1]) == "St Mary's Hall, 1 Church St, Upper Room, Preston, PR1 2HE, UK"
    description = unescape(ev["DESCRIPTION"][1])
    assert "Ring the bell.\nUp the stairs" in description
    assert "https://zoom.example/j/123" in description
    assert ev["URL"][1] == "https://example.org/meetings/living-sober/"


def test_text_is_escaped():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("x\r\ny") == "x\\ny"


def test_lines_are_folded_at_75_octets_without_breaking_characters(tuesday_meeting):
    tuesday_meeting.notes = "Café " * 60 + "🙂" * 30
    body = meeting_calendar(tuesday_meeting, url="https://example.org/m/", host="example.org", now=NOW)
    for line in body.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # each physical line is valid UTF-8
    assert "Café " * 60 + "🙂" * 30 in unescape(event(body)["DESCRIPTION"][1])


def test_fold_leaves_short_lines_alone_and_continues_with_a_space():
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X:" + "a" * 200)
    parts = folded.split("\r\n")
    assert len(parts[0]) == 75 and all(p.startswith(" ") and len(p) <= 75 for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == "X:" + "a" * 200


def test_vtimezone_for_london_has_bst_and_gmt_rules():
    lines = vtimezone("Europe/London", 2026)
    text = "\n".join(lines)
    assert lines[0] == "BEGIN:VTIMEZONE" and "TZID:Europe/London" in lines
    daylight = text.split("BEGIN:DAYLIGHT")[1].split("END:DAYLIGHT")[0]
    standard = text.split("BEGIN:STANDARD")[1].split("END:STANDARD")[0]
    assert "DTSTART:20260329T010000" in daylight  # 01:00 GMT on the last Sunday of March
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in daylight
    assert "TZOFFSETFROM:+0000" in daylight and "TZOFFSETTO:+0100" in daylight
    assert "DTSTART:20261025T020000" in standard  # 02:00 BST on the last Sunday of October
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in standard
    assert "TZOFFSETFROM:+0100" in standard and "TZOFFSETTO:+0000" in standard


def test_vtimezone_without_daylight_saving():
    lines = vtimezone("UTC", 2026)
    assert "BEGIN:STANDARD" in lines and "TZOFFSETTO:+0000" in lines


@pytest.mark.parametrize(
    ("now", "expected_start"),
    [
        # Saturday before the clocks go forward: Sunday's meeting is at 19:30 BST.
        (datetime.datetime(2026, 3, 28, 12, 0, tzinfo=datetime.UTC), "20260329T193000"),
        # Saturday before the clocks go back: 19:30 GMT.
        (datetime.datetime(2026, 10, 24, 12, 0, tzinfo=datetime.UTC), "20261025T193000"),
    ],
)
def test_dtstart_is_local_wall_time_across_dst(db, now, expected_start):
    meeting = MeetingFactory(days=[SUN], start_time=datetime.time(19, 30))
    ev = event(meeting_calendar(meeting, url="https://example.org/m/", host="example.org", now=now))
    assert ev["DTSTART"] == ({"TZID": "Europe/London"}, expected_start)
    assert ev["DTEND"][1] == expected_start[:9] + "203000"  # the spec's default hour
    wall = datetime.datetime.strptime(expected_start, "%Y%m%dT%H%M%S").replace(tzinfo=LONDON)
    assert wall.utcoffset() == (datetime.timedelta(hours=1) if now.month == 3 else datetime.timedelta(0))


@pytest.mark.parametrize(
    ("monthly_week", "byday"),
    [(1, "1MO"), (3, "3MO"), (-1, "-1MO")],
)
def test_monthly_rules(db, monthly_week, byday):
    meeting = MeetingFactory(days=[MON], start_time=datetime.time(19, 0), monthly_week=monthly_week)
    ev = event(meeting_calendar(meeting, url="https://example.org/m/", host="example.org", now=NOW))
    assert ev["RRULE"][1] == f"FREQ=MONTHLY;BYDAY={byday}"


def test_first_monday_starts_on_the_right_date(db):
    meeting = MeetingFactory(days=[MON], start_time=datetime.time(19, 0), monthly_week=1)
    ev = event(meeting_calendar(meeting, url="https://example.org/m/", host="example.org", now=NOW))
    assert ev["DTSTART"][1] == "20261207T190000"


def test_meeting_past_midnight_ends_the_next_day(db):
    meeting = MeetingFactory(days=[SAT], start_time=datetime.time(23, 30), end_time=datetime.time(0, 30))
    ev = event(meeting_calendar(meeting, url="https://example.org/m/", host="example.org", now=NOW))
    assert (ev["DTSTART"][1], ev["DTEND"][1]) == ("20261128T233000", "20261129T003000")


def test_by_appointment_has_no_calendar(db):
    meeting = MeetingFactory(days=[MON], start_time=None)
    assert meeting_calendar(meeting, url="https://example.org/m/", host="example.org", now=NOW) is None


def test_ics_view_headers_and_body(client, tuesday_meeting, time_machine):
    time_machine.move_to(NOW, tick=False)
    response = client.get(f"/meetings/{tuesday_meeting.slug}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="living-sober.ics"'
    body = response.content.decode("utf-8")
    ev = event(body)
    assert ev["UID"][1] == f"{tuesday_meeting.uuid}@testserver"
    assert ev["URL"][1] == "http://testserver/meetings/living-sober/"
    assert ev["DTSTART"][1] == "20261124T193000"  # the next one after Monday noon: Tuesday evening


def test_ics_view_404_for_inactive_or_by_appointment_meetings(client, db):
    inactive = MeetingFactory(status=Meeting.Status.INACTIVE)
    by_appointment = MeetingFactory(start_time=None)
    assert client.get(f"/meetings/{inactive.slug}.ics").status_code == 404
    assert client.get(f"/meetings/{by_appointment.slug}.ics").status_code == 404
    assert client.get("/meetings/no-such-meeting.ics").status_code == 404
