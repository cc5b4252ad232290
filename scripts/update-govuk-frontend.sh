#!/usr/bin/env bash
# Rebuild the vendored front-end assets in static/vendor/:
#
#   static/vendor/govuk-frontend/  GOV.UK Frontend 5.x, compiled from
#                                  static/recoverynet/scss/govuk-rebrand.scss
#                                  (RecoveryNet colours, system fonts, no crown)
#   static/vendor/leaflet/         Leaflet 1.9.x for the progressive-enhancement maps
#   static/vendor/leaflet.markercluster/
#                                  Leaflet.markercluster 1.5.x: nearby pins on a
#                                  map become one numbered, keyboard-reachable pin
#
# (The base map under the markers is built by scripts/build-base-map.sh.)
#
# Node and npm are needed only here, never at runtime: the built files are
# committed. Packages are installed with --ignore-scripts into a temporary
# directory that is removed afterwards.
#
# Usage: scripts/update-govuk-frontend.sh
# Pin other versions with GOVUK_FRONTEND_VERSION, LEAFLET_VERSION,
# MARKERCLUSTER_VERSION or SASS_VERSION (npm version ranges), e.g.
# GOVUK_FRONTEND_VERSION=5.14.0.
set -euo pipefail

GOVUK_FRONTEND_VERSION="${GOVUK_FRONTEND_VERSION:-^5}"
LEAFLET_VERSION="${LEAFLET_VERSION:-~1.9}"
MARKERCLUSTER_VERSION="${MARKERCLUSTER_VERSION:-~1.5}"
SASS_VERSION="${SASS_VERSION:-^1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCSS_ENTRY="$ROOT/static/recoverynet/scss/govuk-rebrand.scss"
GOVUK_OUT="$ROOT/static/vendor/govuk-frontend"
LEAFLET_OUT="$ROOT/static/vendor/leaflet"
MARKERCLUSTER_OUT="$ROOT/static/vendor/leaflet.markercluster"

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed to update the vendored assets" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "Installing govuk-frontend@$GOVUK_FRONTEND_VERSION, leaflet@$LEAFLET_VERSION," \
  "leaflet.markercluster@$MARKERCLUSTER_VERSION and sass@$SASS_VERSION in $WORK"
(
  cd "$WORK"
  npm init --yes >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
    "govuk-frontend@$GOVUK_FRONTEND_VERSION" "leaflet@$LEAFLET_VERSION" \
    "leaflet.markercluster@$MARKERCLUSTER_VERSION" "sass@$SASS_VERSION"
)
GOVUK_PKG="$WORK/node_modules/govuk-frontend"
LEAFLET_PKG="$WORK/node_modules/leaflet"
MARKERCLUSTER_PKG="$WORK/node_modules/leaflet.markercluster"
package_version() { node -p "require('$1/package.json').version"; }
GOVUK_VERSION="$(package_version "$GOVUK_PKG")"
LEAFLET_VERSION_INSTALLED="$(package_version "$LEAFLET_PKG")"
MARKERCLUSTER_VERSION_INSTALLED="$(package_version "$MARKERCLUSTER_PKG")"

# Source map comments are removed: the maps are not shipped, and Django's
# manifest storage fails collectstatic on references to missing files.
strip_source_map() { sed -i -e '/^\/\/# sourceMappingURL=/d' -e 's|//# sourceMappingURL=[^ ]*\.map||' "$1"; }

# --- GOV.UK Frontend ---------------------------------------------------------
echo "Building GOV.UK Frontend $GOVUK_VERSION (RecoveryNet brand)"
rm -rf "$GOVUK_OUT"
mkdir -p "$GOVUK_OUT"
"$WORK/node_modules/.bin/sass" --no-source-map --style=compressed --load-path="$WORK/node_modules" \
  --quiet-deps --silence-deprecation=import "$SCSS_ENTRY" "$GOVUK_OUT/govuk-frontend.min.css"
cp "$GOVUK_PKG/dist/govuk/govuk-frontend.min.js" "$GOVUK_OUT/govuk-frontend.min.js"
strip_source_map "$GOVUK_OUT/govuk-frontend.min.js"
echo "$GOVUK_VERSION" >"$GOVUK_OUT/VERSION"
# The npm package declares MIT but ships no licence file; this is the text of
# LICENSE.txt in github.com/alphagov/govuk-frontend.
cat >"$GOVUK_OUT/LICENSE.txt" <<'LICENCE'
The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

GOV.UK Frontend's documentation is (c) Crown copyright and available under the
Open Government Licence v3.0. RecoveryNet ships none of GOV.UK's images (the
crown, the royal arms, GOV.UK icons) or the GDS Transport font.
LICENCE

# Every image GOV.UK Frontend ships is a crown, the royal arms or a GOV.UK
# icon, so none is copied. Fail if the compiled CSS starts to refer to one.
if grep -o 'url([^)]*)' "$GOVUK_OUT/govuk-frontend.min.css" | grep -v 'url(data:' | grep -q .; then
  echo "error: the compiled CSS refers to files that are not vendored:" >&2
  grep -o 'url([^)]*)' "$GOVUK_OUT/govuk-frontend.min.css" >&2
  exit 1
fi
if grep -q 'GDS Transport' "$GOVUK_OUT/govuk-frontend.min.css"; then
  echo "error: the compiled CSS still uses the GDS Transport font" >&2
  exit 1
fi

# --- Leaflet -----------------------------------------------------------------
echo "Copying Leaflet $LEAFLET_VERSION_INSTALLED"
rm -rf "$LEAFLET_OUT"
mkdir -p "$LEAFLET_OUT/images"
cp "$LEAFLET_PKG/dist/leaflet.js" "$LEAFLET_PKG/dist/leaflet.css" "$LEAFLET_OUT/"
strip_source_map "$LEAFLET_OUT/leaflet.js"
cp "$LEAFLET_PKG"/dist/images/*.png "$LEAFLET_OUT/images/"
cp "$LEAFLET_PKG/LICENSE" "$LEAFLET_OUT/LICENSE"
echo "$LEAFLET_VERSION_INSTALLED" >"$LEAFLET_OUT/VERSION"

# --- Leaflet.markercluster ---------------------------------------------------
# Only the script and the animation CSS: RecoveryNet styles the cluster pins
# itself (static/recoverynet/css/recoverynet.css), for contrast and target size.
echo "Copying Leaflet.markercluster $MARKERCLUSTER_VERSION_INSTALLED"
rm -rf "$MARKERCLUSTER_OUT"
mkdir -p "$MARKERCLUSTER_OUT"
cp "$MARKERCLUSTER_PKG/dist/leaflet.markercluster.js" "$MARKERCLUSTER_PKG/dist/MarkerCluster.css" "$MARKERCLUSTER_OUT/"
strip_source_map "$MARKERCLUSTER_OUT/leaflet.markercluster.js"
cp "$MARKERCLUSTER_PKG/MIT-LICENCE.txt" "$MARKERCLUSTER_OUT/LICENSE"
echo "$MARKERCLUSTER_VERSION_INSTALLED" >"$MARKERCLUSTER_OUT/VERSION"

echo "Done: GOV.UK Frontend $GOVUK_VERSION, Leaflet $LEAFLET_VERSION_INSTALLED," \
  "Leaflet.markercluster $MARKERCLUSTER_VERSION_INSTALLED"
