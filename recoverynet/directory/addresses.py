"""Splitting a one-line UK address ("12 Fishergate, Preston PR1 8HJ, UK") into
street address, town and postcode, using the bundled gazetteer.

- The postcode may be anywhere: its own part, or after the town in the same
  part ("Preston PR1 8HJ"), in any case and with or without its space. It is
  stored as "PR1 8HJ". With no full postcode, a postcode district on its own
  or at the end of the last part ("Preston, PR1") is kept when the gazetteer
  knows it.
- Country names at the end ("UK", "United Kingdom", "England", "Wales", …)
  are dropped, and so are counties and regions ("Cumbria", "North West"): a
  county is not a town. Names that are both (Durham, Newport, Stirling …) are
  taken as the county only after a place the gazetteer knows, or written
  "County Durham".
- The town is the last remaining part, unless it looks like a street (it has
  a digit). With no such part, the town is the gazetteer's place for the
  postcode district, then the county, then nothing.

Best effort, and never loses a postcode: one that is not chosen stays in the
street address. The town never contains a postcode.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

from .places import OUTCODES_CSV, PLACES_CSV, normalise

# A full postcode (or the one non-geographic GIR 0AA) standing on its own: not inside a longer word.
POSTCODE_TOKEN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:(GIR)[ \t]*(0AA)|([A-Z]{1,2}[0-9][A-Z0-9]?)[ \t]*([0-9][A-Z]{2}))(?![A-Za-z0-9])",
    re.ASCII | re.IGNORECASE,
)
OUTCODE_AT_END_RE = re.compile(r"(?:^|(?<=[ \t]))([A-Z]{1,2}[0-9][A-Z0-9]?)$", re.ASCII | re.IGNORECASE)
PART_SEPARATORS_RE = re.compile(r"[,;\n]")

COUNTRIES = frozenset(
    normalise(name)
    for name in (
        "UK",
        "U.K.",
        "GB",
        "United Kingdom",
        "United Kingdom of Great Britain and Northern Ireland",
        "Great Britain",
        "Britain",
        "England",
        "Wales",
        "Cymru",
        "Scotland",
        "Northern Ireland",
    )
)

# The gazetteer's counties cover Great Britain's postcode districts; these add the
# ceremonial counties of England, common short forms, the historic counties people
# still write, Welsh preserved counties, Northern Irish counties and England's regions.
EXTRA_COUNTIES = (
    "Bedfordshire",
    "Berkshire",
    "Buckinghamshire",
    "Cambridgeshire",
    "Cheshire",
    "Cornwall",
    "Cumbria",
    "Derbyshire",
    "Devon",
    "Dorset",
    "County Durham",
    "East Riding of Yorkshire",
    "East Sussex",
    "Essex",
    "Gloucestershire",
    "Greater London",
    "Greater Manchester",
    "Hampshire",
    "Herefordshire",
    "Hertfordshire",
    "Isle of Wight",
    "Kent",
    "Lancashire",
    "Leicestershire",
    "Lincolnshire",
    "Merseyside",
    "Norfolk",
    "North Yorkshire",
    "Northamptonshire",
    "Northumberland",
    "Nottinghamshire",
    "Oxfordshire",
    "Rutland",
    "Shropshire",
    "Somerset",
    "South Yorkshire",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Tyne and Wear",
    "Warwickshire",
    "West Midlands",
    "West Sussex",
    "West Yorkshire",
    "Wiltshire",
    "Worcestershire",
    # short and historic forms
    "Lancs",
    "Gtr Manchester",
    "Cumberland",
    "Westmorland",
    "Westmorland and Furness",
    "Cheshire East",
    "Cheshire West and Chester",
    "Yorkshire",
    "Middlesex",
    "Huntingdonshire",
    # Wales and Northern Ireland
    "Clwyd",
    "Dyfed",
    "Gwent",
    "Gwynedd",
    "Powys",
    "Mid Glamorgan",
    "South Glamorgan",
    "West Glamorgan",
    "Antrim",
    "Armagh",
    "Down",
    "Fermanagh",
    "Londonderry",
    "Tyrone",
    # England's regions
    "North West",
    "North West England",
    "North East",
    "North East England",
    "Yorkshire and the Humber",
    "East Midlands",
    "East of England",
    "South East",
    "South East England",
    "South West",
    "South West England",
)


@dataclass(frozen=True)
class Gazetteer:
    counties: frozenset  # normalised county and region names
    places: frozenset  # normalised town and village names
    ambiguous: frozenset  # names that are both
    place_for_outcode: dict  # "PR1" → "Preston"


@functools.cache
def _gazetteer() -> Gazetteer:
    """What the bundled gazetteer knows about names, read once per process."""
    counties = {normalise(name) for name in EXTRA_COUNTIES}
    places = set()
    place_for_outcode = {}
    with OUTCODES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            counties.add(normalise(row["county"]))
            places.add(normalise(row["place"]))
            # A current district's place wins over a terminated one's.
            if row["place"] and (row["status"] == "current" or row["outcode"].upper() not in place_for_outcode):
                place_for_outcode[row["outcode"].upper()] = row["place"]
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            counties.add(normalise(row["county"]))
            for name in [row["name"], *re.split(r"[;|]", row["alt_names"] or "")]:
                places.add(normalise(name))
    # "County Durham" is the county "Durham", which is also a town.
    counties = {c.removeprefix("county ") for c in counties} - {""}
    places -= {""}
    return Gazetteer(
        counties=frozenset(counties),
        places=frozenset(places),
        ambiguous=frozenset(counties & places),
        place_for_outcode=place_for_outcode,
    )


def normalise_postcode(match: re.Match) -> str:
    outward, inward = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return f"{outward.upper()} {inward.upper()}"


def _tidy(part: str) -> str:
    return re.sub(r"[ \t]+", " ", part).strip(" \t-.")


def _is_country(part: str) -> bool:
    return normalise(part) in COUNTRIES


def _is_county(parts: list[str]) -> bool:
    """Is the last part a county? A name that is also a town is one only after a known place."""
    key = normalise(parts[-1])
    gazetteer = _gazetteer()
    for prefix in ("county ", "co "):
        if key.startswith(prefix) and key[len(prefix) :] in gazetteer.counties:
            return True
    if key not in gazetteer.counties:
        return False
    if key not in gazetteer.ambiguous:
        return True
    return len(parts) > 1 and normalise(parts[-2]) in _gazetteer().places


def _take_postcode(parts: list[str]) -> str:
    """Remove the last full postcode (or, failing that, a known district at the end) from parts."""
    for index in range(len(parts) - 1, -1, -1):
        matches = list(POSTCODE_TOKEN_RE.finditer(parts[index]))
        if matches:
            match = matches[-1]
            parts[index] = _tidy(parts[index][: match.start()] + " " + parts[index][match.end() :])
            return normalise_postcode(match)
    if parts:
        match = OUTCODE_AT_END_RE.search(parts[-1])
        if match and match.group(1).upper() in _gazetteer().place_for_outcode:
            parts[-1] = _tidy(parts[-1][: match.start()])
            return match.group(1).upper()
    return ""


def split_address(text: str) -> dict:
    """{"address", "town", "postcode"} from one line of plain text (see the module's doc)."""
    parts = [_tidy(p) for p in PART_SEPARATORS_RE.split(text or "")]
    parts = [p for p in parts if p]
    while parts and _is_country(parts[-1]):
        parts.pop()
    postcode = _take_postcode(parts)
    parts = [p for p in parts if p]
    county = ""
    while parts and (_is_country(parts[-1]) or _is_county(parts)):
        removed = parts.pop()
        if not county and not _is_country(removed):
            county = removed
    town = ""
    if parts and not any(c.isdigit() for c in parts[-1]):
        town = parts.pop()
    if not town and postcode:
        town = _gazetteer().place_for_outcode.get(postcode.split(" ")[0], "")
    if not town:
        town = county
    return {"address": ", ".join(parts), "town": town, "postcode": postcode}


def clean_postcode(text: str) -> str:
    """A postal_code as given: "pr18hj" → "PR1 8HJ"; anything else upper-cased as it was."""
    match = POSTCODE_TOKEN_RE.fullmatch((text or "").strip())
    return normalise_postcode(match) if match else (text or "").strip().upper()


def location_parts(*, address: str, city: str, postal_code: str, formatted: str) -> dict:
    """Street address, town and postcode from a feed row's plain-text fields.
    A row with neither address nor city is read from its formatted_address; a
    row that has them still takes a missing postcode from a postcode written
    in its city ("Preston PR1 8HJ") or its formatted_address."""
    postcode = clean_postcode(postal_code)
    if not (address or city):
        split = split_address(formatted)
        return {**split, "postcode": postcode or split["postcode"]}
    match = list(POSTCODE_TOKEN_RE.finditer(city))
    if match:
        city = _tidy(city[: match[-1].start()] + " " + city[match[-1].end() :])
        in_city = normalise_postcode(match[-1])
        if postcode and in_city != postcode:
            address = ", ".join(p for p in (address, in_city) if p)  # two postcodes: lose neither
        postcode = postcode or in_city
    if any(POSTCODE_TOKEN_RE.finditer(city)):  # more than one: keep them all in the street address
        address, city = ", ".join(p for p in (address, city) if p), ""
    if not postcode and formatted:
        postcode = split_address(formatted)["postcode"]
    return {"address": address, "town": city, "postcode": postcode}
