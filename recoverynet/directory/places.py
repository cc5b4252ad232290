"""The offline gazetteer: turning "Preston", "barrow in furness", "PR1 2HE" or
"M4" into a point on the map, without calling anyone.

Data: data/uk_outcode_centroids.csv (every Great Britain postcode district)
and data/nw_england_places.csv (North West towns, villages and suburbs, with
alternative names). See data/ATTRIBUTION.uk-places.md for sources and licences.

Outcodes marked `not_in_current_list` are not loaded: they are terminated or
non-geographic districts (L41-L49 became CH41-CH49, M10 is non-geographic), so
a person typing one would get a centroid that is probably wrong. A full
postcode in such a district is then "not found", which is the honest answer.

An online postcode geocoder (postcodes.io-compatible) can be switched on with
the POSTCODE_GEOCODER_URL setting (default empty = off); it is only asked
about full postcodes, with a short timeout, and the offline outcode is used
whenever it fails.
"""

from __future__ import annotations

import csv
import difflib
import functools
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F

from recoverynet.core import safe_json

from .finder import distance_km
from .models import Place
from .reference import DATA_DIR

logger = logging.getLogger(__name__)

OUTCODES_CSV = DATA_DIR / "uk_outcode_centroids.csv"
PLACES_CSV = DATA_DIR / "nw_england_places.csv"
MAX_QUERY_LENGTH = 100
GEOCODER_TIMEOUT_SECONDS = 3

OUTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)$")
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
# A postcode sector or a postcode cut short: "M4 5", "M4 5A" (the outcode is before the space).
SECTOR_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9][A-Z]?)$")
# The same typed without the space ("PR12" would be PR1 2): tried only when no outcode has that name.
COMPACT_SECTOR_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]?)$")

# The directory's region, as the gazetteer's counties name it.
REGION_NAME = "North West England"
REGION_COUNTIES = frozenset({"Cheshire", "Cumbria", "Greater Manchester", "Lancashire", "Merseyside"})
# A point further than this from every North West town is outside the region (border outcodes such as
# CH5, in Wales but by Chester, are not).
REGION_MARGIN_KM = 20.0


def normalise(text: str) -> str:
    """Lower case, punctuation and hyphens as spaces, single spaces:
    "Barrow-in-Furness" and "barrow in  furness" both become "barrow in furness"."""
    text = (text or "").lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\bsaint\b", "st", text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def normalise_postcode(text: str) -> str:
    """Upper case, single spaces, and hyphens or dots read as spaces ("m4-5ab" is "M4 5AB")."""
    return re.sub(r"[\s.\-]+", " ", (text or "").strip().upper()).strip()


# --- Loading ----------------------------------------------------------------------------


@functools.cache
def place_rows() -> tuple:
    """The bundled rows, parsed once per process."""
    return tuple(_place_rows())


def _place_rows():
    """(kind, name, search_name, county, lat, lng, population) for every row to load, without duplicates."""
    seen = set()
    with OUTCODES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["status"] != "current":
                continue
            key = (Place.Kind.OUTCODE, row["outcode"].lower(), "")
            if key in seen:
                continue
            seen.add(key)
            yield (
                Place.Kind.OUTCODE,
                row["outcode"],
                row["outcode"].lower(),
                "",
                row["latitude"],
                row["longitude"],
                None,
            )
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        towns = list(csv.DictReader(handle))
    # Most populous first: if two rows claim the same name in a county, the bigger place keeps it.
    towns.sort(key=lambda r: -int(r["population"] or 0))
    for row in towns:
        names = [row["name"]] + [n for n in re.split(r"[;|]", row["alt_names"] or "") if n.strip()]
        population = int(row["population"]) if row["population"] else None
        for name in names:
            search_name = normalise(name)
            key = (Place.Kind.PLACE, search_name, row["county"])
            if not search_name or key in seen:
                continue
            seen.add(key)
            yield (
                Place.Kind.PLACE,
                row["name"],
                search_name,
                row["county"],
                row["latitude"],
                row["longitude"],
                population,
            )


# Places without a population last on every database (PostgreSQL puts NULLs first when descending).
BIGGEST_FIRST = F("population").desc(nulls_last=True)


def load_places() -> int:
    """Make the gazetteer match the bundled data: nothing is written when it
    already does (so seed_demo re-runs change no row); otherwise it is
    replaced in one transaction. Returns how many places there are."""
    wanted = [
        (kind, name, search_name, county, Decimal(lat), Decimal(lng), population)
        for kind, name, search_name, county, lat, lng, population in place_rows()
    ]
    fields = ("kind", "name", "search_name", "county", "latitude", "longitude", "population")
    existing = sorted(Place.objects.values_list(*fields))
    if existing == sorted(wanted):
        return len(wanted)
    with transaction.atomic():
        Place.objects.all().delete()
        Place.objects.bulk_create([Place(**dict(zip(fields, row, strict=True))) for row in wanted], batch_size=500)
    return len(wanted)


# --- Looking up -------------------------------------------------------------------------


@dataclass(frozen=True)
class GeocodedPostcode:
    """A full postcode found by the online geocoder (not stored)."""

    name: str
    latitude: Decimal
    longitude: Decimal
    county: str = ""
    kind: str = "postcode"

    def __str__(self):
        return self.name


def geocode_postcode(postcode: str) -> GeocodedPostcode | None:
    """Ask the configured postcodes.io-compatible service about one full postcode.
    Off unless settings.POSTCODE_GEOCODER_URL is set; any failure returns None.
    Nothing personal is logged (not even the postcode)."""
    base = getattr(settings, "POSTCODE_GEOCODER_URL", "") or ""
    if not base or urllib.parse.urlsplit(base).scheme not in ("https", "http"):
        return None
    url = base.rstrip("/") + "/" + urllib.parse.quote(postcode.replace(" ", ""))
    try:
        with urllib.request.urlopen(url, timeout=GEOCODER_TIMEOUT_SECONDS) as response:  # noqa: S310 (configured https URL)
            data = safe_json.loads(response.read(100_000).decode("utf-8"))
        result = data.get("result") or {}
        lat, lng = result.get("latitude"), result.get("longitude")
        if lat is None or lng is None:
            return None
        return GeocodedPostcode(
            name=normalise_postcode(postcode),
            latitude=Decimal(str(lat)).quantize(Decimal("0.00001")),
            longitude=Decimal(str(lng)).quantize(Decimal("0.00001")),
        )
    except (OSError, ValueError, AttributeError, urllib.error.URLError):
        logger.warning("Postcode geocoder unavailable; using the offline postcode district")
        return None


def lookup(text: str):
    """Resolve what someone typed into "where".

    Returns a Place (or a GeocodedPostcode) when it is clear, a list of Places
    when a town name is ambiguous (for a "Did you mean" choice), or None when
    nothing matches (see suggestions()).
    """
    raw = (text or "").strip()[:MAX_QUERY_LENGTH]
    if not raw:
        return None
    postcode = normalise_postcode(raw)
    full = POSTCODE_RE.match(postcode)
    if full:
        geocoded = geocode_postcode(f"{full.group(1)} {full.group(2)}")
        if geocoded is not None:
            return geocoded
        return Place.objects.filter(kind=Place.Kind.OUTCODE, search_name=full.group(1).lower()).first()
    sector = SECTOR_RE.match(postcode)
    if sector:  # "M4 5" is in M4, not M45
        place = _outcode(sector.group(1))
        if place is not None:
            return place
    compact = postcode.replace(" ", "")
    if " " not in postcode and OUTCODE_RE.match(compact) and any(c.isdigit() for c in compact):
        place = _outcode(compact)
        if place is not None:
            return place
    short = COMPACT_SECTOR_RE.match(compact) if " " not in postcode else None
    if short:
        place = _outcode(short.group(1))
        if place is not None:
            return place
    search_name = normalise(raw)
    if not search_name:
        return None
    # "Preston, Lancashire": a county after a comma narrows the choice.
    county = ""
    if "," in raw:
        head, _, tail = raw.partition(",")
        search_name, county = normalise(head), tail.strip()
    matches = list(Place.objects.filter(kind=Place.Kind.PLACE, search_name=search_name).order_by(BIGGEST_FIRST, "pk"))
    if county:
        narrowed = [p for p in matches if normalise(p.county) == normalise(county)]
        matches = narrowed or matches
    # Alternative names point at the same town: one choice per distinct town.
    distinct = {}
    for place in matches:
        distinct.setdefault((place.name, place.county, place.latitude, place.longitude), place)
    matches = list(distinct.values())
    if not matches:
        return None
    if len(matches) == 1:
        return matches[0]
    return matches


def _outcode(outcode: str):
    return Place.objects.filter(kind=Place.Kind.OUTCODE, search_name=outcode.lower()).first()


@functools.cache
def _region_points() -> tuple:
    return tuple(
        (float(lat), float(lng)) for kind, _, _, county, lat, lng, _ in place_rows() if kind == Place.Kind.PLACE
    )


def in_region(latitude, longitude) -> bool:
    """Is the point in (or by) North West England: within REGION_MARGIN_KM of one of its towns?"""
    point = (float(latitude), float(longitude))
    if not 52.5 < point[0] < 55.6 or not -4.5 < point[1] < -1.2:  # far away: no need to measure
        return False
    return any(distance_km(point, lat, lng) <= REGION_MARGIN_KM for lat, lng in _region_points())


@functools.cache
def _elsewhere() -> dict:
    """{search name: display name} of places and counties in Great Britain outside the region,
    from the outcode list's place and county columns (Bristol, Devon, Glasgow City...)."""
    found = {}
    nw_names = {search_name for kind, _, search_name, *_ in place_rows() if kind == Place.Kind.PLACE}
    with OUTCODES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["county"] in REGION_COUNTIES:
                continue
            county = row["county"]
            for name in (row["place"], county, county.removeprefix("County of ").removeprefix("City of ")):
                key = normalise(name)
                if key and key not in nw_names:
                    found.setdefault(key, name.removeprefix("County of "))
    found.setdefault("london", "London")
    return found


def outside_region(text: str) -> str | None:
    """The name of a place outside North West England that `text` names ("Bristol", "bristol, uk"),
    or None. Asked only when the gazetteer has no North West place of that name."""
    search_name = normalise((text or "").split(",")[0])
    return _elsewhere().get(search_name)


def suggestions(text: str, limit: int = 5) -> list[Place]:
    """Places whose names look like `text`, for "Did you mean" when nothing matched."""
    search_name = normalise(text)
    if len(search_name) < 2:
        return []
    candidates = {
        p.search_name: p
        for p in Place.objects.filter(kind=Place.Kind.PLACE, search_name__startswith=search_name[:2]).order_by(
            BIGGEST_FIRST, "pk"
        )[:2000]
    }
    close = difflib.get_close_matches(search_name, list(candidates), n=limit, cutoff=0.75)
    return [candidates[name] for name in close]
