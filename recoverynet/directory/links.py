"""Links a person taps on a phone: directions in their own maps app, "Join on Zoom", a dial-in number,
and distances in the units they read ("0.4 miles", "1 mile", "12 miles").

Everything here is text in, text out, and never raises: the values come from coordinators' forms and
imported feeds, so a conference link may be anything. Only http(s) links are ever given back as links.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlsplit

# Where an online meeting is held, by the conference link's host: the hosts TSML-UI (Code for
# Recovery's meeting finder) names, plus the other hosts the Meeting Guide import accepts. A host
# matches itself and its subdomains ("us02web.zoom.us" is Zoom), never a look-alike ("notzoom.us").
CONFERENCE_PROVIDERS = {
    "bluejeans.com": "BlueJeans",
    "discord.gg": "Discord",
    "freeconference.com": "Free Conference",
    "freeconferencecall.com": "FreeConferenceCall",
    "goto.com": "GoTo",
    "gotomeet.me": "GoTo",
    "gotomeeting.com": "GoTo",
    "horizon.meta.com": "Meta Horizon",
    "maps.secondlife.com": "Second Life",
    "meet.google.com": "Google Meet",
    "meet.jit.si": "Jitsi",
    "meetings.dialpad.com": "Dialpad",
    "signal.group": "Signal",
    "skype.com": "Skype",
    "slurl.com": "Second Life",
    "teams.live.com": "Microsoft Teams",
    "teams.microsoft.com": "Microsoft Teams",
    "vrchat.com": "VRChat",
    "webex.com": "Webex",
    "zoho.com": "Zoho",
    "zoom.us": "Zoom",
    # Not in TSML-UI's list, but accepted by our Meeting Guide import (formats/meeting_guide.py).
    "zoom.com": "Zoom",
    "zoomgov.com": "Zoom",
    "discord.com": "Discord",
    "jitsi.org": "Jitsi",
    "whereby.com": "Whereby",
    "ringcentral.com": "RingCentral",
    "chime.aws": "Amazon Chime",
    "meet.lync.com": "Skype for Business",
}
SAFE_SCHEMES = ("http", "https")


def safe_url(url) -> str | None:
    """`url` when it is an http(s) link with a host, else None (javascript:, data:, relative, garbage)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return None  # control characters: browsers drop them, so "java\tscript:" would be javascript:
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not hostname:
        return None
    return url


def conference_provider(url) -> str | None:
    """The provider's name ("Zoom", "Microsoft Teams") of a conference link, or None when unknown or unsafe."""
    if safe_url(url) is None:
        return None
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    for domain, name in CONFERENCE_PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def join_label(url) -> str:
    """ "Join on Zoom", or "Join online" when the host is not one we know."""
    provider = conference_provider(url)
    return f"Join on {provider}" if provider else "Join online"


# A dial-in is a number, then perhaps pauses and a PIN ("0161 123 4567,,987654#"): the link dials the number.
PHONE_NUMBER_END = re.compile(r"[,;#*wWpPxX]|ext", re.IGNORECASE)


def tel_href(phone) -> str | None:
    """ "tel:+441611234567" for a dial-in number: a leading + and digits only, or None when there are
    too few digits to be a phone number."""
    if not isinstance(phone, str):
        return None
    number = PHONE_NUMBER_END.split(phone, maxsplit=1)[0].strip()
    digits = "".join(char for char in number if char in "0123456789")
    if not 3 <= len(digits) <= 15:  # 999 to the E.164 maximum
        return None
    return "tel:" + ("+" if number.startswith("+") else "") + digits


# --- Directions ------------------------------------------------------------------------


def directions_links(latitude, longitude, name="") -> list[tuple[str, str]]:
    """(label, href) for directions from where the person is to (latitude, longitude): their phone's
    own maps app (geo:), Apple Maps, Google Maps and OpenStreetMap. Links only: nothing is fetched
    from these hosts, and the starting point is left to the app ("from my location")."""
    lat, lng = f"{float(latitude):.6f}".rstrip("0").rstrip("."), f"{float(longitude):.6f}".rstrip("0").rstrip(".")
    place = f"{lat},{lng}"
    label = re.sub(r"[()\r\n]", " ", name or "").strip()
    geo = f"geo:{place}?q={place}" + (f"({quote(label, safe='')})" if label else "")
    return [
        ("Your phone’s maps app", geo),
        ("Apple Maps", "https://maps.apple.com/?" + urlencode({"daddr": place, "dirflg": "d"})),
        ("Google Maps", "https://www.google.com/maps/dir/?" + urlencode({"api": "1", "destination": place})),
        (
            "OpenStreetMap",
            "https://www.openstreetmap.org/directions?" + urlencode({"route": f";{place}"}) + f"#map=16/{lat}/{lng}",
        ),
    ]


# --- Distances -------------------------------------------------------------------------

MILES = "mi"
KILOMETRES = "km"
UNITS = {MILES: "Miles", KILOMETRES: "Kilometres"}
DEFAULT_UNITS = MILES
KM_PER_MILE = 1.609344


def km_to_miles(distance_km: float) -> float:
    return distance_km / KM_PER_MILE


def format_miles(distance_km) -> str:
    """ "0.4 miles", "1 mile", "2.5 miles", "12 miles": tenths below 10 miles, whole miles above."""
    if distance_km is None:
        return ""
    miles = km_to_miles(float(distance_km))
    if miles < 0.05:
        return "less than 0.1 miles"
    text = f"{miles:.1f}".removesuffix(".0") if miles < 9.95 else f"{round(miles):d}"
    return f"{text} mile" if text == "1" else f"{text} miles"


def format_km(distance_km) -> str:
    """ "400 m", "1.2 km", "12 km"."""
    if distance_km is None:
        return ""
    distance_km = float(distance_km)
    if distance_km < 1:
        return f"{distance_km * 1000:.0f} m"
    if distance_km < 9.95:
        return f"{distance_km:.1f} km".replace(".0 km", " km")
    return f"{round(distance_km):d} km"


def format_radius(radius_km, units=DEFAULT_UNITS) -> str:
    """A search radius in round numbers: "6 miles" for 10 km, "0.6 miles" for 1 km; or "10 km"."""
    if radius_km is None:
        return ""
    if units == KILOMETRES:
        return f"{float(radius_km):g} km"
    miles = km_to_miles(float(radius_km))
    return format_miles(radius_km) if miles < 2 else f"{round(miles)} miles"


def format_distance(distance_km, units=DEFAULT_UNITS) -> str:
    return format_km(distance_km) if units == KILOMETRES else format_miles(distance_km)
