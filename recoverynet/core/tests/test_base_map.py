"""The base map bundled for every map (static/recoverynet/map/north-west.geojson, built by
scripts/build-base-map.sh): valid GeoJSON, inside its box, small enough to send to a phone, credited,
and used by the map include unless a tile service is configured."""

import json
import math
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

MAP_DIR = Path(settings.BASE_DIR) / "static" / "recoverynet" / "map"
GEOJSON = MAP_DIR / "north-west.geojson"
SIZE_BUDGET = 150 * 1024
# The region (lon -4.0..-1.6, lat 52.8..55.3) must be inside the detailed part.
REGION = (-4.0, 52.8, -1.6, 55.3)
LAYERS = {"context", "land", "coast", "nation", "district", "town"}


@pytest.fixture(scope="module")
def base_map():
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def positions(geometry):
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return [coordinates]
    if kind == "MultiLineString":
        return [p for line in coordinates for p in line]
    if kind == "MultiPolygon":
        return [p for polygon in coordinates for ring in polygon for p in ring]
    raise AssertionError(f"unexpected geometry type {kind}")


def inside(box, point, slack=1e-6):
    west, south, east, north = box
    return west - slack <= point[0] <= east + slack and south - slack <= point[1] <= north + slack


def test_base_map_is_small_enough():
    assert GEOJSON.stat().st_size < SIZE_BUDGET


def test_base_map_is_valid_geojson_inside_its_box(base_map):
    assert base_map["type"] == "FeatureCollection"
    box, detail = base_map["bbox"], base_map["detail_bbox"]
    west, south, east, north = detail
    assert west <= REGION[0] and south <= REGION[1] and east >= REGION[2] and north >= REGION[3]
    assert inside(box, detail[:2]) and inside(box, detail[2:])
    layers = set()
    for feature in base_map["features"]:
        assert feature["type"] == "Feature"
        layer = feature["properties"]["layer"]
        layers.add(layer)
        geometry = feature["geometry"]
        for point in positions(geometry):
            assert len(point) == 2 and all(math.isfinite(c) for c in point)
            # Everything drawn in detail stays in the detail box; the context is in the outer box.
            assert inside(box if layer == "context" else detail, point), (layer, point)
        if geometry["type"] == "MultiPolygon":
            for polygon in geometry["coordinates"]:
                for ring in polygon:
                    assert len(ring) >= 4 and ring[0] == ring[-1], (layer, ring[:3])
        if geometry["type"] == "MultiLineString":
            assert all(len(line) >= 2 for line in geometry["coordinates"])
    assert layers == LAYERS


def test_base_map_has_the_coast_and_the_towns_of_the_region(base_map):
    by_layer = {}
    for feature in base_map["features"]:
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    land_points = sum(len(positions(f["geometry"])) for f in by_layer["land"])
    coast_points = sum(len(positions(f["geometry"])) for f in by_layer["coast"])
    assert land_points > 500 and coast_points > 500
    towns = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in by_layer["town"]}
    for name in ("Carlisle", "Kendal", "Lancaster", "Blackpool", "Preston", "Liverpool", "Manchester", "Chester"):
        assert name in towns, name
        assert inside(REGION, towns[name]), (name, towns[name])
    # Preston is where GeoNames puts it (to the 4 decimals kept).
    assert towns["Preston"] == pytest.approx([-2.7045, 53.7628], abs=1e-4)


def test_base_map_is_credited(base_map):
    notes = (MAP_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Natural Earth" in notes and "public domain" in notes
    assert "GeoNames" in notes and "CC BY 4.0" in notes
    assert "Natural Earth" in base_map["attribution"] and "GeoNames" in base_map["attribution"]
    script = (Path(settings.BASE_DIR) / "static" / "recoverynet" / "js" / "map.js").read_text(encoding="utf-8")
    assert "Natural Earth" in script and "GeoNames, CC BY 4.0" in script


MARKERS = [{"name": "Preston Hub", "url": "/x/", "lat": 53.76, "lng": -2.7, "kind": "settlement"}]


def test_map_include_points_at_the_bundled_base_map_unless_tiles_are_configured():
    html = render_to_string("includes/map.html", {"markers": MARKERS, "map_id": "m", "MAP_TILE_URL": ""})
    assert 'data-base-map="/static/recoverynet/map/north-west.geojson"' in html
    assert 'data-tile-url=""' in html
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = render_to_string("includes/map.html", {"markers": MARKERS, "map_id": "m", "MAP_TILE_URL": tiles})
    assert f'data-tile-url="{tiles}"' in html  # map.js then draws the tiles instead of the bundled map


def test_the_base_map_needs_no_other_host_in_the_csp():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["connect-src"] == ["'self'"]  # the GeoJSON is fetched from this site
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
