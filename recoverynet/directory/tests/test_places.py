import io
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command

from recoverynet.directory import places as gazetteer
from recoverynet.directory.finder import haversine_km
from recoverynet.directory.models import Place

pytestmark = pytest.mark.django_db


def test_load_places_loads_current_outcodes_and_towns_with_alt_names(places):
    assert Place.objects.filter(kind=Place.Kind.OUTCODE, name="PR1").exists()
    # Terminated or non-geographic districts are left out (L41 became CH41).
    assert not Place.objects.filter(kind=Place.Kind.OUTCODE, name="L41").exists()
    assert Place.objects.filter(kind=Place.Kind.OUTCODE, name="CH41").exists()
    barrow = Place.objects.filter(kind=Place.Kind.PLACE, name="Barrow in Furness")
    assert set(barrow.values_list("search_name", flat=True)) == {"barrow in furness"}
    # "Lytham; Lytham St Anne's; St Anne's" are alternative names of Lytham St Annes.
    assert set(Place.objects.filter(name="Lytham St Annes").values_list("search_name", flat=True)) >= {
        "lytham st annes",
        "lytham",
        "st annes",
    }


def test_load_places_is_idempotent(places):
    count = Place.objects.count()
    out = io.StringIO()
    call_command("load_places", stdout=out)
    assert Place.objects.count() == count
    assert f"Loaded {count} places" in out.getvalue()


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Preston", "Preston", "place"),
        ("preston", "Preston", "place"),
        ("  PRESTON  ", "Preston", "place"),
        ("barrow in furness", "Barrow in Furness", "place"),
        ("Barrow-in-Furness", "Barrow in Furness", "place"),
        ("St Anne's", "Lytham St Annes", "place"),
        ("Ellesmere Port", "Ellesmere Port Town", "place"),
        ("PR1 2HE", "PR1", "outcode"),
        ("pr12he", "PR1", "outcode"),
        ("M4", "M4", "outcode"),
        ("m4", "M4", "outcode"),
        ("Bolton, Cumbria", "Bolton", "place"),
    ],
)
def test_lookup_resolves_towns_alt_names_postcodes_and_outcodes(places, text, name, kind):
    found = gazetteer.lookup(text)
    assert isinstance(found, Place)
    assert (found.name, found.kind) == (name, kind)


def test_lookup_with_county_narrows_an_ambiguous_name(places):
    assert gazetteer.lookup("Bolton, Cumbria").county == "Cumbria"
    assert gazetteer.lookup("Bolton, Greater Manchester").county == "Greater Manchester"


def test_ambiguous_name_returns_choices_biggest_first(places):
    found = gazetteer.lookup("Bolton")
    assert isinstance(found, list)
    assert [p.county for p in found][:2] == ["Greater Manchester", "Cumbria"]


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "ZZ99 9ZZ", "L41 1AA", "<script>", "'; DROP TABLE", "x" * 500])
def test_unknown_or_hostile_text_is_not_found(places, text):
    assert gazetteer.lookup(text) is None


def test_suggestions_for_a_misspelling(places):
    assert "Preston" in [p.name for p in gazetteer.suggestions("Prestn")]
    assert gazetteer.suggestions("") == []


def test_distance_preston_to_blackpool_is_about_24_km(places):
    preston, blackpool = gazetteer.lookup("Preston"), gazetteer.lookup("Blackpool")
    distance = haversine_km(preston.latitude, preston.longitude, blackpool.latitude, blackpool.longitude)
    assert 22 <= distance <= 26


def test_geocoder_is_off_by_default_and_never_called(places):
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert gazetteer.lookup("PR1 2HE").name == "PR1"
    urlopen.assert_not_called()


def _response(payload):
    response = mock.MagicMock()
    response.__enter__.return_value.read.return_value = json.dumps(payload).encode()
    return response


def test_geocoder_used_for_full_postcodes_only_when_configured(places, settings):
    settings.POSTCODE_GEOCODER_URL = "https://geocoder.example/postcodes"
    payload = {"status": 200, "result": {"latitude": 53.7591, "longitude": -2.69891}}
    with mock.patch("urllib.request.urlopen", return_value=_response(payload)) as urlopen:
        found = gazetteer.lookup("pr1 2he")
        assert gazetteer.lookup("PR1").name == "PR1"  # an outcode: offline only
    assert urlopen.call_count == 1
    url = urlopen.call_args.args[0]
    assert url == "https://geocoder.example/postcodes/PR12HE"
    assert urlopen.call_args.kwargs["timeout"] == gazetteer.GEOCODER_TIMEOUT_SECONDS
    assert (found.name, found.latitude, found.longitude) == ("PR1 2HE", Decimal("53.75910"), Decimal("-2.69891"))


@pytest.mark.parametrize("error", [OSError("timed out"), ValueError("bad json")])
def test_geocoder_failure_falls_back_to_the_outcode(places, settings, error):
    settings.POSTCODE_GEOCODER_URL = "https://geocoder.example/postcodes"
    with mock.patch("urllib.request.urlopen", side_effect=error):
        found = gazetteer.lookup("PR1 2HE")
    assert isinstance(found, Place) and found.name == "PR1"


def test_geocoder_answering_deeply_nested_json_falls_back_to_the_outcode(places, settings):
    settings.POSTCODE_GEOCODER_URL = "https://geocoder.example/postcodes"
    response = mock.MagicMock()
    response.__enter__.return_value.read.return_value = b"[" * 50_000 + b"]" * 50_000
    with mock.patch("urllib.request.urlopen", return_value=response):
        found = gazetteer.lookup("PR1 2HE")
    assert isinstance(found, Place) and found.name == "PR1"


def test_geocoder_with_a_non_http_url_is_not_used(places, settings):
    settings.POSTCODE_GEOCODER_URL = "file:///etc/passwd"
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert gazetteer.lookup("PR1 2HE").name == "PR1"
    urlopen.assert_not_called()


def test_loading_again_changes_no_row(db):
    from recoverynet.directory.models import Place
    from recoverynet.directory.places import load_places

    load_places()
    before = list(Place.objects.order_by("pk").values_list("pk", "search_name"))
    load_places()
    assert list(Place.objects.order_by("pk").values_list("pk", "search_name")) == before
