"""/networks/<slug>/schedule.pdf: the printable weekly schedule as a PDF download.

pypdf is not a dependency, so the PDF's text is read straight from its page content streams
(`pdf_text`): ReportLab writes built-in-font text as literal strings, compressed (Flate) and
ASCII85-encoded."""

import base64
import datetime
import re
import zlib
import zoneinfo

import pytest
from django.urls import reverse

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.models import Meeting, MeetingType
from recoverynet.federation.factories import NetworkFactory
from recoverynet.testing import assert_constant_queries

from ..formats.schedule_pdf import markup_text, printable

LONDON = zoneinfo.ZoneInfo("Europe/London")

pytestmark = pytest.mark.django_db

PDF_URL = "/networks/lancashire/schedule.pdf"
STREAM = re.compile(rb"<<([^<>]*)>>\s*stream\r?\n(.*?)endstream", re.S)
# A string shown with Tj, or an operator that starts a new line of text.
TEXT_TOKEN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj|(T\*|\bET\b|\bT[mdD]\b)", re.S)
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
NAMED_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def unescape_pdf_string(raw: bytes) -> str:
    def replace(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return NAMED_ESCAPES.get(code, code)

    return ESCAPE.sub(replace, raw).decode("cp1252")


def content_streams(pdf: bytes) -> list[bytes]:
    """The decoded streams: the PDF uses only built-in fonts and no images, so these are the pages."""
    streams = []
    for dictionary, data in STREAM.findall(pdf):
        if b"ASCII85Decode" in dictionary:
            data = base64.a85decode(data, adobe=True)
        if b"FlateDecode" in dictionary:
            data = zlib.decompressobj().decompress(data)  # ignores the end-of-line before "endstream"
        streams.append(data)
    return streams


def pdf_text(pdf: bytes) -> str:
    """The text the PDF shows, in drawing order, one line of text a line."""
    lines, line = [], []
    for stream in content_streams(pdf):
        for shown, new_line in TEXT_TOKEN.findall(stream):
            if new_line:
                lines.append("".join(line))
                line = []
            else:
                line.append(unescape_pdf_string(shown))
    return "\n".join(text for text in lines + ["".join(line)] if text)


def flat(text: str) -> str:
    """Text with its lines (and so a paragraph's wrapping) joined by spaces."""
    return " ".join(text.split())


def pdf_info(pdf: bytes) -> bytes:
    return re.search(rb"/Author.*?>>", pdf, re.S).group(0)


@pytest.fixture
def network():
    return NetworkFactory(slug="lancashire", name="Lancashire Recovery Network")


@pytest.fixture
def schedule(network):
    fellowship = FellowshipFactory(name="Narcotics Anonymous", short_name="NA")
    hall = LocationFactory(network=network, name="Friends Meeting House", address="1 Lane", town="Preston")
    online = LocationFactory(network=network, name="", address="", town="Lancaster", approximate=True)
    MeetingFactory(
        network=network,
        name="Early Tuesday",
        fellowship=fellowship,
        location=hall,
        days=[2],
        start_time=datetime.time(7, 0),
        types=["O"],
        contact_name="Sam",
        contact_email="sam.secret@example.org",
        contact_phone="07700 900123",
    )
    MeetingFactory(
        network=network, name="Late Tuesday", location=online, days=[2], start_time=datetime.time(20, 0), types=["X"]
    )
    MeetingFactory(network=network, name="Sunday and Tuesday", location=hall, days=[0, 2], monthly_week=1)
    MeetingFactory(name="Another network's meeting")
    MeetingFactory(network=network, name="Closed for good", status=Meeting.Status.INACTIVE)
    return network


def test_pdf_download_headers_match_the_html_page(client, schedule):
    response = client.get(reverse("directory:network_schedule_pdf", kwargs={"slug": "lancashire"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="lancashire-meetings-schedule.pdf"'
    html = client.get("/networks/lancashire/schedule/")
    assert response.get("Cache-Control") == html.get("Cache-Control")
    assert response.get("Expires") == html.get("Expires")
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in body  # A4


def test_pdf_lists_the_same_meetings_in_the_same_order_as_the_html_page(client, schedule):
    text = pdf_text(client.get(PDF_URL).content)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    positions = [text.index(f"\n{day}\n") for day in days]
    assert positions == sorted(positions)  # Monday first, as the page
    tuesday = text[text.index("\nTuesday\n") : text.index("\nWednesday\n")]
    assert tuesday.index("Early Tuesday") < tuesday.index("Sunday and Tuesday") < tuesday.index("Late Tuesday")
    assert "07:00 to 08:00" in tuesday and "First Tuesday only" in flat(tuesday)
    assert "Friends Meeting House, 1 Lane, Preston" in tuesday
    assert "Online" in tuesday and "Lancaster" not in tuesday  # an approximate place is not an address
    assert "NA" in tuesday  # the fellowship
    assert "Sunday and Tuesday" in text[text.index("\nSunday\n") :]
    assert "No meetings." in text  # Monday
    assert "Another network" not in text and "Closed for good" not in text
    assert "4 meeting times a week." in text  # the same count as the HTML page
    page = client.get("/networks/lancashire/schedule/").content.decode()
    assert "4 meeting times a week." in page


def test_pdf_names_the_network_tagline_date_and_page_address(client, schedule, time_machine):
    # Just after midnight in London, still the day before in UTC: the date printed is London's.
    time_machine.move_to(datetime.datetime(2026, 7, 1, 0, 30, tzinfo=LONDON), tick=False)
    body = client.get(PDF_URL).content
    text = pdf_text(body)
    assert "Lancashire Recovery Network · Recovery is a Reality" in text
    assert "Weekly meeting schedule" in text
    assert "Generated 1 July 2026" in text
    assert "http://testserver/networks/lancashire/schedule/" in text
    assert b"/URI (http://testserver/networks/lancashire/schedule/)" in body  # a working link
    assert "Page 1" in text


def test_legend_explains_only_the_type_codes_used(client, schedule):
    text = pdf_text(client.get(PDF_URL).content)
    legend = text[text.index("Meeting type codes") :]
    assert "O\nOpen" in legend and "X\nWheelchair Access" in legend
    assert "\nC\n" not in legend  # Closed is not used by any meeting here


def test_legend_is_left_out_when_no_meeting_has_a_type(client, network):
    MeetingFactory(network=network, name="Untyped")
    text = pdf_text(client.get(PDF_URL).content)
    assert "Untyped" in text and "Meeting type codes" not in text


def test_metadata_has_title_and_author_and_no_personal_data(client, schedule):
    body = client.get(PDF_URL).content
    info = pdf_info(body)
    assert b"/Author (RecoveryNet)" in info
    assert b"/Title (Weekly meeting schedule: Lancashire Recovery Network)" in info
    assert b"/Lang (en-GB)" in body
    text = pdf_text(body)
    for personal in ("Sam", "sam.secret", "example.org", "07700"):
        assert personal not in text and personal.encode() not in body


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("Tea & Talk <b>bold</b> &amp; <font size=99>", "Tea & Talk <b>bold</b> &amp; <font size=99>"),
        # PostgreSQL cannot store NUL, so that one is only in test_printable_and_markup_text.
        ("Bell\x07and\x1b[31mescape\x0bnext\x7f", "Belland[31mescape next"),
        ("Cwrdd \u0175\u0177 \u0410\u0411 (open)\\", "Cwrdd wy ?? (open)\\"),
    ],
)
def test_hostile_meeting_text_is_shown_as_text(client, network, name, shown):
    location = LocationFactory(network=network, name="<para>", address='"&lt;" Street', town="Preston & Co")
    MeetingFactory(network=network, name=name, location=location, fellowship=FellowshipFactory(short_name="</i>"))
    response = client.get(PDF_URL)
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert shown in text
    assert '<para>, "&lt;" Street, Preston & Co' in text
    assert "</i>" in text


def test_a_very_long_word_wraps_inside_its_column(client, network):
    MeetingFactory(network=network, name="Supercalifragilistic" * 12, location=LocationFactory(network=network))
    text = pdf_text(client.get(PDF_URL).content)
    pieces = [line for line in text.splitlines() if line.startswith("Supercali") or line.endswith("istic")]
    assert len(pieces) > 2 and all(len(piece) < 50 for piece in pieces)
    assert "".join(text.split("\n")).count("Supercalifragilistic" * 12) == 1


def test_the_tallest_possible_row_still_fits_on_a_page(client, network):
    """A table row cannot split across pages: every field at its longest, in the widest letter, must fit."""
    location = LocationFactory(network=network, name="W" * 255, address="W" * 255, town="W" * 100)
    fellowship = FellowshipFactory(name="W" * 150, short_name="")
    meeting = MeetingFactory(network=network, name="W" * 255, location=location, fellowship=fellowship, monthly_week=-1)
    meeting.types.set(MeetingType.objects.all())
    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert "Last Tuesday only" in flat(pdf_text(response.content))


def test_printable_and_markup_text():
    assert printable("  a\tb\r\nc\x00d\u200be\u2028f  ") == "a b cde f"
    assert printable("Caf\u00e9 \u201cquote\u201d \u2014 \u20ac5") == "Caf\u00e9 \u201cquote\u201d \u2014 \u20ac5"
    assert printable("\ufb01sh \U0001f600") == "fish ?"
    assert markup_text("<a href='x'>&</a>") == "&lt;a href='x'&gt;&amp;&lt;/a&gt;"


def test_query_count_is_constant_in_the_number_of_meetings(client, network):
    fellowship = FellowshipFactory()

    def add(count):
        for _ in range(count):
            MeetingFactory(network=network, fellowship=fellowship, days=[1, 3], types=["O", "X"])

    def fetch():
        response = client.get(PDF_URL)
        assert response.status_code == 200
        return response

    response = assert_constant_queries(fetch, add)
    assert pdf_text(response.content).count("Meeting ") >= 60  # every meeting, on Monday and Wednesday


def test_unknown_or_inactive_network_is_404_like_the_page(client):
    NetworkFactory(slug="closed", is_active=False)
    for slug in ("closed", "unknown"):
        assert client.get(f"/networks/{slug}/schedule.pdf").status_code == 404
        assert client.get(f"/networks/{slug}/schedule/").status_code == 404


def test_schedule_page_links_to_the_pdf(client, network):
    page = client.get("/networks/lancashire/schedule/").content.decode()
    assert 'href="/networks/lancashire/schedule.pdf"' in page
    assert "download this schedule as a PDF" in page
