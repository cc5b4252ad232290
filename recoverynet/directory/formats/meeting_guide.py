"""The Meeting Guide JSON spec (code4recovery/spec), in one place: its rules,
and the mapping between our meetings and feed rows, both ways.

Out: `build_feed(queryset, base_url)` gives one row per *listed weekly*
meeting. The spec only describes weekly meetings (a `day` of 0-6 or a list of
them), so monthly meetings ("first Monday") are left out of the feed; they
are still on the site, the finder, the API and Open Referral. Meetings by
appointment (no start time) are in the feed without `day` and `time`, as the
spec allows. A temporarily closed meeting carries the spec's "TC" type.

In: `row_to_data(row)` turns one feed row into the values the import service
writes, after `validate_meeting(row)` has listed every broken rule. Text is
stored as plain text: HTML tags and control characters are removed (the spec
says apps strip HTML), and values too long for their field are rejected with
the reason rather than cut short.
"""

import datetime
import math
import re
import zoneinfo
from decimal import Decimal
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from ..addresses import location_parts, split_address
from ..models import Meeting
from ..reference import meeting_guide_types

# Codes the spec knows (the 87 in use plus the proposed ones).
KNOWN_TYPES = frozenset(meeting_guide_types())
TEMPORARILY_CLOSED_TYPE = "TC"

# Conference providers the spec's apps recognise (host name suffixes).
CONFERENCE_PROVIDERS = (
    "zoom.us",
    "zoom.com",
    "zoomgov.com",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "gotomeeting.com",
    "gotomeet.me",
    "goto.com",
    "skype.com",
    "join.skype.com",
    "meet.jit.si",
    "jitsi.org",
    "whereby.com",
    "discord.gg",
    "discord.com",
    "freeconferencecall.com",
    "bluejeans.com",
    "ringcentral.com",
    "signal.group",
    "chime.aws",
    "meet.lync.com",
)

MAX_NAME = 255
MAX_SLUG = 64
MAX_NOTES = 10_000
# \Z, not $: "$" also matches before a final line break ("19:30\n").
SLUG_RE = re.compile(r"^[A-Za-z0-9_-]+\Z")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d\Z")
PHONE_RE = re.compile(r"^\+?[0-9,*#]+\Z")
# A coordinate given as text: plain ASCII decimals (float() would also take "1e999", "nan" or "١٢").
COORDINATE_RE = re.compile(r"^\s*[-+]?\d{1,3}(\.\d{0,30})?\s*\Z", re.ASCII)
# Numbers accepted where the spec has text (a postcode or phone number written as a number).
MAX_TEXT_NUMBER = 10**30
PHONE_DIGITS = (7, 30)
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$|^[A-Z]{1,2}\d[A-Z\d]?$", re.IGNORECASE)
# Control and bidirectional characters, and lone surrogates (JSON can spell "\\ud800"; no database stores it).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
COUNTRY_NAMES = {"UK", "GB", "UNITED KINGDOM", "GREAT BRITAIN", "ENGLAND"}

# Text fields of a row and the longest value each may hold (our model's limits).
TEXT_LIMITS = {
    "name": MAX_NAME,
    "location": 255,
    "address": 255,
    "city": 100,
    "postal_code": 10,
    "region": 100,
    "group": 255,
    "notes": MAX_NOTES,
    "location_notes": MAX_NOTES,
    "conference_url_notes": MAX_NOTES,
    "conference_phone_notes": MAX_NOTES,
    "formatted_address": 600,
    "contact_1_name": 100,
    "contact_1_email": 254,
    "contact_1_phone": 30,
    "url": 500,
    "conference_url": 500,
    "conference_phone": 50,
}


def clean_text(value) -> str:
    """Plain text: HTML tags and control characters removed, ends trimmed.
    Line breaks and tabs are kept. Applying it twice changes nothing."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = strip_tags(text)
    text = CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def is_text_value(value) -> bool:
    """Text, or a modest finite number standing for text (a postcode written as 12345)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_TEXT_NUMBER < value < MAX_TEXT_NUMBER
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str)


def row_slug(row) -> str:
    """A row's slug as text ("slug": 12345 and "12345" are one meeting), or ""."""
    slug = row.get("slug") if isinstance(row, dict) else None
    if isinstance(slug, int) and not isinstance(slug, bool) and is_text_value(slug):
        return str(slug)
    return slug if isinstance(slug, str) else ""


def parse_coordinate(value) -> Decimal | None:
    """A latitude or longitude as a Decimal of 5 places; None when not given.
    ValueError for anything that is not a finite number of sensible size."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not finite")
    if isinstance(value, (int, float)) and not -1000 < value < 1000:
        raise ValueError("out of range")  # a 400-digit integer overflows float(), 1e300 the quantize
    if isinstance(value, str) and not COORDINATE_RE.match(value):
        raise ValueError("not a number")
    number = Decimal(str(value).strip()).quantize(Decimal("0.00001"))
    return abs(number) if number.is_zero() else number  # "-0" is 0, or every re-import would "change" it


def _hhmm(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _coordinate(value) -> float | None:
    return None if value is None else float(round(Decimal(value), 5))


def meeting_url(meeting, base_url: str) -> str:
    """The meeting's own website page if it has one, else its page here."""
    if meeting.url:
        return meeting.url
    try:
        return base_url.rstrip("/") + reverse("directory:meeting_detail", kwargs={"slug": meeting.slug})
    except NoReverseMatch:
        return ""


def feedback_url(meeting, base_url: str) -> str:
    try:
        return base_url.rstrip("/") + reverse("directory:changes:report", kwargs={"slug": meeting.slug})
    except NoReverseMatch:
        return ""


def feed_queryset(queryset=None):
    """Listed weekly meetings, with everything a row needs in a fixed number of queries."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    return (
        queryset.listed()
        .filter(monthly_week__isnull=True)
        .select_related("location", "network", "fellowship")
        .prefetch_related("days", "types")
        .order_by("slug")
    )


def location_fields(location, network) -> dict:
    """The location part of a row. A meeting with no location (online only) is
    placed approximately at its network, as the spec asks of online meetings."""
    if location is None:
        return {"city": network.name, "country": "GB", "formatted_address": f"{network.name}, UK", "approximate": "yes"}
    row = {
        "location": location.name,
        "address": location.address,
        "city": location.town,
        "postal_code": location.postcode,
        "country": "GB",
        "formatted_address": location.formatted_address,
        "approximate": "yes" if location.approximate else "no",
        "location_notes": location.notes,
        "region": location.region,
    }
    if location.latitude is not None and location.longitude is not None:  # the spec's coordinates go in pairs
        row.update(latitude=_coordinate(location.latitude), longitude=_coordinate(location.longitude))
    return row


def meeting_to_feed(meeting, base_url: str = "") -> dict:
    """One Meeting Guide row. Empty optional values are left out."""
    row = {"name": meeting.name, "slug": meeting.slug}
    if meeting.start_time is not None:
        days = meeting.weekdays
        row["day"] = days[0] if len(days) == 1 else days
        row["time"] = _hhmm(meeting.start_time)
        row["end_time"] = _hhmm(meeting.effective_end_time)
    row["timezone"] = meeting.timezone
    row.update(location_fields(meeting.location, meeting.network))
    # Proposed codes stay on our pages; the feed carries only the spec's own, which apps know.
    types = sorted(t.code for t in meeting.types.all() if t.code != TEMPORARILY_CLOSED_TYPE and not t.proposed)
    if meeting.status == Meeting.Status.TEMPORARILY_CLOSED:
        types.append(TEMPORARILY_CLOSED_TYPE)
    row.update(
        {
            "notes": meeting.notes,
            "group": meeting.group_name,
            "types": types,
            "conference_url": meeting.conference_url,
            "conference_url_notes": meeting.conference_url_notes,
            "conference_phone": meeting.conference_phone,
            "conference_phone_notes": meeting.conference_phone_notes,
            "url": meeting_url(meeting, base_url),
            "feedback_url": feedback_url(meeting, base_url),
            "updated": meeting.updated_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "entity": meeting.network.name,
            "entity_email": meeting.network.contact_email,
            "entity_url": meeting.network.website,
            "contact_1_name": meeting.contact_name,
            "contact_1_email": meeting.contact_email,
            "contact_1_phone": meeting.contact_phone,
        }
    )
    return {k: v for k, v in row.items() if v not in ("", None) or k in ("types",)}


def build_feed(queryset=None, base_url: str = "") -> list:
    return [meeting_to_feed(m, base_url) for m in feed_queryset(queryset)]


# --- Rules -----------------------------------------------------------------------


def _is_day(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6


def _split_url(url: str):
    """urlsplit, or None for what it cannot read ("https://[zoom.us/j/1", a port of 99999)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    return parts


def _check_conference_url(url: str) -> str | None:
    parts = _split_url(url)
    if parts is None or parts.scheme != "https" or not parts.hostname:
        return "conference_url must be an https link"
    host = parts.hostname.lower()
    if not any(host == p or host.endswith("." + p) for p in CONFERENCE_PROVIDERS):
        return f"conference_url is not on a recognised meeting provider ({clean_text(host)[:100]})"
    return None


def validate_meeting(row, *, seen_slugs: set | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one feed row. Any error rejects the row; warnings
    (unknown type codes, which are dropped) do not. `seen_slugs` enforces the
    slug's uniqueness in the feed and is updated."""
    if not isinstance(row, dict):
        return ["the row is not a JSON object"], []
    errors, warnings = [], []

    for field, limit in TEXT_LIMITS.items():
        value = row.get(field)
        if value is None:
            continue
        if not is_text_value(value):
            errors.append(f"{field} must be text")
        elif len(clean_text(value)) > limit:
            errors.append(f"{field} is too long ({len(str(value)):,} characters; the most is {limit:,})")

    name = row.get("name")
    if not isinstance(name, str) or not clean_text(name):
        errors.append("name is required")

    slug = row_slug(row)
    if not slug:
        errors.append("slug is required")
    elif len(slug) > MAX_SLUG:
        errors.append(f"slug is longer than {MAX_SLUG} characters")
    elif not SLUG_RE.match(slug):
        errors.append("slug may only hold letters, digits, hyphens and underscores")
    elif seen_slugs is not None:
        if slug in seen_slugs:
            errors.append("slug is used by another row in this feed")
        seen_slugs.add(slug)

    day, time = row.get("day"), row.get("time")
    if day is not None:
        days = day if isinstance(day, list) else [day]
        if not days or not all(_is_day(d) for d in days):
            errors.append("day must be a number from 0 (Sunday) to 6 (Saturday), or a list of them")
    for field in ("time", "end_time"):
        value = row.get(field)
        if value not in (None, "") and (not isinstance(value, str) or not TIME_RE.match(value)):
            errors.append(f"{field} must be a 24-hour time like 19:30")
    if (day is None) != (time in (None, "")):
        errors.append("day and time go together: give both, or neither for meetings by appointment")
    if row.get("end_time") and not time:
        errors.append("end_time needs a time")

    tz = row.get("timezone")
    if tz not in (None, "") and (not isinstance(tz, str) or tz not in zoneinfo.available_timezones()):
        errors.append("timezone is not in the tz database (for example Europe/London)")

    approximate = row.get("approximate")
    if approximate not in (None, "", "yes", "no"):
        errors.append('approximate must be "yes" or "no"')
    has_address = any(isinstance(row.get(f), str) and clean_text(row.get(f)) for f in ("address", "formatted_address"))
    if not has_address:
        errors.append("address or formatted_address is required")

    coordinates = {}
    for field, bound in (("latitude", 90), ("longitude", 180)):
        try:
            coordinates[field] = number = parse_coordinate(row.get(field))
        except ValueError:
            errors.append(f"{field} must be a number between -{bound} and {bound}")
            continue
        if number is not None and not -bound <= number <= bound:
            errors.append(f"{field} must be between -{bound} and {bound}")
    if len(coordinates) == 2 and (coordinates["latitude"] is None) != (coordinates["longitude"] is None):
        errors.append("latitude and longitude go together: give both, or neither")

    # The rules check the text we would store: a number given for a link or phone is text too.
    stored = {f: clean_text(v) for f in TEXT_LIMITS if is_text_value(v := row.get(f))}
    url = stored.get("conference_url")
    if url:
        problem = _check_conference_url(url)
        if problem:
            errors.append(problem)
    phone = stored.get("conference_phone")
    if phone:
        digits = sum(c.isdigit() for c in phone)
        if not PHONE_RE.match(phone):
            errors.append("conference_phone may hold only digits, a leading +, and , * #")
        elif not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            errors.append(f"conference_phone must have {PHONE_DIGITS[0]} to {PHONE_DIGITS[1]} digits")

    for field in ("url",):
        value = stored.get(field)
        if value and ((parts := _split_url(value)) is None or parts.scheme not in ("http", "https")):
            errors.append(f"{field} must be a web address")

    types = row.get("types")
    if types is not None:
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            errors.append("types must be a list of codes")
        else:
            unknown = sorted({t for t in types if t not in KNOWN_TYPES})
            if unknown:
                warnings.append("unknown type codes dropped: " + ", ".join(clean_text(t)[:20] for t in unknown))
    return errors, warnings


# --- Rows into our values ----------------------------------------------------------


def _time(value) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def split_formatted_address(formatted: str) -> dict:
    """ "12 Fishergate, Preston PR1 8HJ, UK" → address, town, postcode (best effort; see addresses)."""
    return split_address(clean_text(formatted))


def row_to_location(row) -> dict:
    parts = location_parts(
        address=clean_text(row.get("address")),
        city=clean_text(row.get("city")),
        postal_code=clean_text(row.get("postal_code")),
        formatted=clean_text(row.get("formatted_address")),
    )
    address, town, postcode = parts["address"], parts["town"], parts["postcode"]
    approximate = row.get("approximate")
    approximate = approximate == "yes" if approximate in ("yes", "no") else not address
    coordinates = {field: parse_coordinate(row.get(field)) for field in ("latitude", "longitude")}
    return {
        "name": clean_text(row.get("location")),
        "address": address,
        "town": town,
        "postcode": postcode,
        "region": clean_text(row.get("region")),
        "notes": clean_text(row.get("location_notes")),
        "approximate": approximate,
        **coordinates,
    }


def row_to_data(row) -> dict:
    """The meeting's values from a valid row: {"meeting": {...}, "days": [...],
    "types": [codes], "location": {...}}. Call validate_meeting first."""
    start = _time(row.get("time"))
    end = _time(row.get("end_time"))
    if start is not None and end is not None:
        default_end = (datetime.datetime.combine(datetime.date(2000, 1, 3), start) + datetime.timedelta(hours=1)).time()
        if end == default_end:
            end = None  # the spec's default length: stored as "not given"
    day = row.get("day")
    days = sorted(set(day if isinstance(day, list) else [day])) if day is not None and start else []
    codes = sorted({t for t in row.get("types") or [] if t in KNOWN_TYPES})
    status = Meeting.Status.ACTIVE
    if TEMPORARILY_CLOSED_TYPE in codes:
        codes.remove(TEMPORARILY_CLOSED_TYPE)
        status = Meeting.Status.TEMPORARILY_CLOSED
    meeting = {
        "name": clean_text(row.get("name")),
        "start_time": start,
        "end_time": end,
        "timezone": row.get("timezone") or "Europe/London",
        "notes": clean_text(row.get("notes")),
        "group_name": clean_text(row.get("group")),
        "conference_url": clean_text(row.get("conference_url")),
        "conference_url_notes": clean_text(row.get("conference_url_notes")),
        "conference_phone": clean_text(row.get("conference_phone")),
        "conference_phone_notes": clean_text(row.get("conference_phone_notes")),
        "status": status,
        "url": clean_text(row.get("url")),
        "contact_name": clean_text(row.get("contact_1_name")),
        "contact_email": clean_text(row.get("contact_1_email")),
        "contact_phone": clean_text(row.get("contact_1_phone")),
    }
    return {"meeting": meeting, "days": days, "types": codes, "location": row_to_location(row)}
