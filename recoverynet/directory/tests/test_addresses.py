"""Addresses from Meeting Guide feeds: postcodes kept, towns told from counties."""

import os
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from recoverynet.directory import addresses

from ..formats import meeting_guide
from ..formats.meeting_guide import clean_text, split_formatted_address

EXAMPLES = int(os.environ.get("ADDRESS_EXAMPLES", "200"))

# Written independently of the code under test: a full UK postcode standing on its own.
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR[ \t]*0AA|[A-Za-z]{1,2}[0-9][A-Za-z0-9]?[ \t]*[0-9][A-Za-z]{2})(?![A-Za-z0-9])",
    re.ASCII | re.IGNORECASE,
)


def compact(text):
    return re.sub(r"[ \t]", "", text).upper()


@pytest.mark.parametrize(
    ("formatted", "address", "town", "postcode"),
    [
        ("12 Fishergate, Preston PR1 8HJ, UK", "12 Fishergate", "Preston", "PR1 8HJ"),
        ("Whitehaven, Cumbria, UK", "", "Whitehaven", ""),
        ("2 Fishergate, Preston, PR1 2AA, United Kingdom", "2 Fishergate", "Preston", "PR1 2AA"),
        ("12 Fishergate, Preston, pr1 8hj, England", "12 Fishergate", "Preston", "PR1 8HJ"),
        ("12 Fishergate, Preston PR18HJ, England, UK,", "12 Fishergate", "Preston", "PR1 8HJ"),
        ("12 Fishergate,  Preston   PR1   8HJ ,,", "12 Fishergate", "Preston", "PR1 8HJ"),
        ("Preston, PR1, UK", "", "Preston", "PR1"),
        ("Preston PR1", "", "Preston", "PR1"),
        ("Preston, Lancashire, PR1 8HJ", "", "Preston", "PR1 8HJ"),
        (
            "St John's Church Hall, Lowther Street, Carlisle, Cumbria, CA3 8DZ",
            "St John's Church Hall, Lowther Street",
            "Carlisle",
            "CA3 8DZ",
        ),
        ("Church Hall, Main St, Kendal, Cumbria, LA9 4AB, England, UK", "Church Hall, Main St", "Kendal", "LA9 4AB"),
        ("Barrow-in-Furness, Cumbria LA14 1AA", "", "Barrow-in-Furness", "LA14 1AA"),
        ("Community Centre, Bolton, Greater Manchester, BL1 1AA, U.K.", "Community Centre", "Bolton", "BL1 1AA"),
        ("1 Dale St, Liverpool L2 2DH, Merseyside, North West England, UK", "1 Dale St", "Liverpool", "L2 2DH"),
        ("Chester, Cheshire, Wales", "", "Chester", ""),
        ("10 Downing Street, London SW1A 2AA", "10 Downing Street", "London", "SW1A 2AA"),
        ("Girobank, Bootle, GIR 0AA", "Girobank", "Bootle", "GIR 0AA"),
        ("Ty Hywel, Cardiff Bay, Cardiff CF99 1SN, Wales", "Ty Hywel, Cardiff Bay", "Cardiff", "CF99 1SN"),
        ("12 High St, Durham, UK", "12 High St", "Durham", ""),  # a town that is also a county
        ("Durham, County Durham, DH1 3HP, UK", "", "Durham", "DH1 3HP"),
        ("Stirling, Scotland", "", "Stirling", ""),
        # no town part: the gazetteer's place for the district, then the county
        ("12 Fishergate, PR1 8HJ, UK", "12 Fishergate", "Preston", "PR1 8HJ"),
        ("Cumbria, UK", "", "Cumbria", ""),
        ("", "", "", ""),
        ("UK", "", "", ""),
    ],
)
def test_realistic_uk_addresses(formatted, address, town, postcode):
    assert split_formatted_address(formatted) == {"address": address, "town": town, "postcode": postcode}


def test_a_road_number_is_not_a_postcode_district():
    assert split_formatted_address("Services, Junction A6, Kendal")["postcode"] == ""
    assert split_formatted_address("Kendal, ZZ9")["postcode"] == ""  # not a district the gazetteer knows


def test_rows_with_address_fields_keep_the_postcode_from_any_field():
    def location(**row):
        return meeting_guide.row_to_location({"name": "X", **row})

    got = location(address="12 Fishergate", city="Preston PR1 8HJ")
    assert (got["address"], got["town"], got["postcode"]) == ("12 Fishergate", "Preston", "PR1 8HJ")
    got = location(address="12 Fishergate", city="Preston", formatted_address="12 Fishergate, Preston PR1 8HJ, UK")
    assert got["postcode"] == "PR1 8HJ"
    got = location(address="12 Fishergate", city="Preston", postal_code="pr18hj")
    assert got["postcode"] == "PR1 8HJ"
    got = location(address="12 Fishergate", city="Preston PR2 1AA", postal_code="PR1 8HJ")
    assert (got["address"], got["town"], got["postcode"]) == ("12 Fishergate, PR2 1AA", "Preston", "PR1 8HJ")
    got = location(formatted_address="Whitehaven, Cumbria, UK")
    assert (got["town"], got["approximate"]) == ("Whitehaven", True)


def postcodes():
    letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    digit = st.sampled_from("0123456789")
    outward = st.tuples(st.text(letters, min_size=1, max_size=2), digit, st.one_of(st.just(""), letters, digit))
    inward = st.tuples(digit, st.text(letters, min_size=2, max_size=2))
    space = st.sampled_from(["", " ", "  ", "\t"])
    return st.tuples(outward, space, inward).map(lambda t: "".join(t[0]) + t[1] + "".join(t[2]))


address_text = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.one_of(
            st.text(max_size=20),
            postcodes(),
            st.sampled_from(["UK", "England", "Cumbria", "Durham", "Preston", "PR1", "12 Fishergate", "GIR 0AA"]),
        ),
        max_size=6,
    ).map(", ".join),
    st.tuples(st.text(max_size=20), postcodes()).map(" ".join),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(address_text)
@example("PR1 PR1 8HJ 8HJ, AB1 2CD")
@example("County AB1 2CD, PR1 8HJ")
@example("Preston AB1 2CD PR1 8HJ")
@example("ſk1 1ka, \u212a1 1AA")  # letters that fold to ASCII only when ignoring case
def test_any_string_is_split_without_losing_a_postcode(text):
    result = split_formatted_address(text)
    assert set(result) == {"address", "town", "postcode"}
    assert not POSTCODE.search(result["town"])
    cleaned = clean_text(text)
    present = {compact(m.group()) for m in POSTCODE.finditer(cleaned)}
    kept = {compact(m.group()) for m in POSTCODE.finditer(result["address"])}
    if result["postcode"]:
        kept.add(compact(result["postcode"]))
        assert re.fullmatch(
            r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|GIR 0AA|[A-Z]{1,2}[0-9][A-Z0-9]?", result["postcode"]
        )
    assert present <= kept
    if present:
        assert result["postcode"] and " " in result["postcode"]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=30), postcodes(), st.sampled_from(["", ", UK", ", England", ", United Kingdom,", " uk"]))
def test_a_postcode_after_the_town_is_found_and_normalised(town, postcode, country):
    result = split_formatted_address(f"1 High St, {town} {postcode}{country}")
    outward, inward = compact(postcode)[:-3], compact(postcode)[-3:]
    assert result["postcode"] == f"{outward} {inward}"


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "address": st.text(max_size=30),
            "city": st.one_of(st.text(max_size=30), st.tuples(st.text(max_size=10), postcodes()).map(" ".join)),
            "postal_code": st.one_of(st.text(max_size=10), postcodes()),
            "formatted_address": address_text,
        },
    )
)
def test_row_locations_never_put_a_postcode_in_the_town(row):
    location = meeting_guide.row_to_location(row)
    assert not POSTCODE.search(location["town"])


def test_the_gazetteer_has_the_counties_and_districts_it_is_asked_about():
    gazetteer = addresses._gazetteer()
    wanted = {"cumbria", "lancashire", "greater manchester", "merseyside", "cheshire", "gwynedd", "fife"}
    assert wanted <= gazetteer.counties
    assert {"durham", "stirling", "newport"} <= gazetteer.ambiguous and "cumbria" not in gazetteer.ambiguous
    assert {"PR1", "CA28", "SW1A"} <= set(gazetteer.place_for_outcode)
    assert gazetteer.place_for_outcode["CA28"] == "Whitehaven"
