"""Issue 13, item 3: place search that understands people (postcode sectors, outside the region)."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.directory import places as gazetteer
from recoverynet.directory.models import Place

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("typed", "outcode"),
    [
        ("M4 5", "M4"),  # a sector, not M45
        ("m4 5", "M4"),
        ("  m4   5  ", "M4"),
        ("M4 5A", "M4"),
        ("M4 5AB", "M4"),
        ("m45ab", "M4"),
        ("m4-5ab", "M4"),
        ("M45", "M45"),  # without a space it is the district M45
        ("PR1 2", "PR1"),
        ("pr1 2he", "PR1"),
        ("CA1", "CA1"),
    ],
)
def test_postcode_sectors_and_full_postcodes_use_the_outcode(places, typed, outcode):
    found = gazetteer.lookup(typed)
    assert isinstance(found, Place) and found.kind == Place.Kind.OUTCODE
    assert found.name == outcode


def test_the_region_is_north_west_england_and_its_borders(places):
    assert gazetteer.in_region(53.76282, -2.70452)  # Preston
    assert gazetteer.in_region(54.89, -2.93)  # Carlisle
    bristol = gazetteer.lookup("BS1")
    assert not gazetteer.in_region(bristol.latitude, bristol.longitude)
    deeside = gazetteer.lookup("CH5")  # in Wales, by Chester
    assert gazetteer.in_region(deeside.latitude, deeside.longitude)
    assert gazetteer.outside_region("Bristol") == "Bristol"
    assert gazetteer.outside_region("bristol, uk") == "Bristol"
    assert gazetteer.outside_region("Preston") is None and gazetteer.outside_region("zzzz") is None


@pytest.mark.parametrize("where", ["Bristol", "BS1", "BS1 4DJ", "London", "Devon"])
def test_a_place_outside_the_north_west_says_so_and_points_elsewhere(client, places, where):
    page = text(client.get("/meetings/", {"where": where}))
    assert "is outside North West England. This directory covers North West England only" in page
    assert "Brisco" not in page and "Did you mean" not in page
    assert "find an online meeting" in page
    for finder in ("Alcoholics Anonymous Great Britain", "Narcotics Anonymous UK", "SMART Recovery UK"):
        assert finder in page


def test_nothing_found_and_nothing_suggested_does_not_mention_suggestions(client, places):
    page = text(client.get("/meetings/", {"where": "zzzz"}))
    assert "We could not find that place" in page
    assert "suggested" not in page and "Did you mean" not in page
    page = text(client.get("/meetings/", {"where": "Prestn"}))
    assert "choose one of the places suggested" in page and "Preston, Lancashire" in page


def test_a_sector_searches_around_its_district(client, places):
    page = text(client.get("/meetings/", {"where": "M4 5"}))
    assert "within 6 miles of M4" in page and "M45" not in page


postcode_like = st.builds(
    lambda area, district, sep, sector, unit: f"{area}{district}{sep}{sector}{unit}",
    st.sampled_from(["M", "PR", "ca", "BS", "L", "ZZ", "", "Q"]),
    st.sampled_from(["", "1", "4", "45", "99", "1A", "X"]),
    st.sampled_from(["", " ", "  ", "-", "\t", "."]),
    st.sampled_from(["", "5", "0", "9"]),
    st.sampled_from(["", "A", "AB", "ab", "ZZZ"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.one_of(postcode_like, st.text(max_size=120), st.text(alphabet="Mm45 ,-'&", max_size=12)))
def test_any_where_gives_a_page_never_a_500(client, places, where):
    response = client.get("/meetings/", {"where": where, "day": "today"})
    assert response.status_code == 200
    page = response.content.decode()
    if "We could not find that place" in page and "Did you mean" not in page:
        assert "places suggested" not in page


# --- Item 2: search first on a phone ---------------------------------------------------------------


def test_the_finder_puts_place_location_and_search_before_more_filters(client, places):
    page = text(client.get("/meetings/"))
    where, geolocate = page.index('name="where"'), page.index("data-geolocate-button")
    search, more = page.index("data-finder-search"), page.index("data-more-filters")
    assert where < geolocate < search < more < page.index('name="distance"') < page.index('name="day"')
    assert "<summary" in page[more:] and "More filters" in page[more:]
    assert "data-more-filters open" not in page  # closed until a filter is in use


@pytest.mark.parametrize(
    ("params", "is_open"),
    [
        ({"where": "Preston"}, False),
        ({"where": "Preston", "distance": "10"}, False),
        ({"where": "Preston", "day": "today"}, True),
        ({"where": "Preston", "type": "O"}, True),
        ({"day": "9"}, True),  # an error inside must be visible
    ],
)
def test_more_filters_opens_when_a_filter_is_in_use(client, places, params, is_open):
    assert ("data-more-filters open" in text(client.get("/meetings/", params))) is is_open


def test_the_home_page_starts_with_a_place_search(client, db):
    page = text(client.get("/"))
    form = page.index("data-home-finder")
    assert page.index("<h1") < form < page.index("Our networks")
    assert "Find a meeting or support near you" in page[form:]
    assert 'action="/meetings/"' in page[form - 200 : form] and 'name="where"' in page[form:]
