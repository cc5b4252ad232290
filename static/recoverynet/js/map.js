// Maps as progressive enhancement.
//
// templates/includes/map.html renders, next to a page's normal list of places:
//   <script type="application/json" id="...-data">[{name, url, lat, lng, kind}, ...]</script>
//   <div data-map data-markers-id="...-data" data-tile-url="..." data-base-map="..." hidden ...></div>
// Without JavaScript the div stays hidden and the list is the content. With
// it, this module loads Leaflet and Leaflet.markercluster (only on pages with
// a map), shows the div and draws a pin per place with a link in its popup.
// Pins close together become one numbered pin; pins are 32 px targets that a
// keyboard reaches, with the place's name as their accessible name.
//
// The background is the deployment's tile service when MAP_TILE_URL is set.
// Otherwise it is the base map bundled with RecoveryNet
// (static/recoverynet/map/north-west.geojson: coast, borders, towns from
// Natural Earth and GeoNames), fetched from this site: showing a map sends
// nothing to anyone else.

const loaded = new Map();

function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(
      src,
      new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.addEventListener("load", resolve);
        script.addEventListener("error", () => reject(new Error(`Could not load ${src}`)));
        document.head.appendChild(script);
      }),
    );
  }
  return loaded.get(src);
}

function ensureStylesheet(href) {
  if (!href || document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) {
    return;
  }
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.appendChild(link);
}

function readMarkers(element) {
  const source = document.getElementById(element.dataset.markersId || "");
  if (!source) {
    return [];
  }
  let data;
  try {
    data = JSON.parse(source.textContent);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) {
    return [];
  }
  return data
    .map((marker) => ({ ...marker, lat: Number.parseFloat(marker.lat), lng: Number.parseFloat(marker.lng) }))
    .filter((marker) => Number.isFinite(marker.lat) && Number.isFinite(marker.lng));
}

function kindLabel(kind) {
  const text = String(kind || "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Popup content as DOM nodes, never HTML strings: names come from users.
function popupContent(marker) {
  const container = document.createElement("div");
  const title = document.createElement(marker.url ? "a" : "strong");
  title.textContent = marker.name || "";
  if (marker.url) {
    title.href = marker.url;
    title.className = "govuk-link";
  }
  container.appendChild(title);
  if (marker.kind) {
    const kind = document.createElement("span");
    kind.className = "rn-map__kind";
    kind.textContent = kindLabel(marker.kind);
    container.appendChild(kind);
  }
  return container;
}

const BASE_STYLES = {
  context: { stroke: false, fill: true, fillColor: "#f7f7f5", fillOpacity: 1 },
  land: { stroke: false, fill: true, fillColor: "#f7f7f5", fillOpacity: 1 },
  coast: { color: "#5b8db0", weight: 1.2, opacity: 1, fill: false },
  district: { color: "#9aa0a4", weight: 1, opacity: 1, dashArray: "4 3", fill: false },
  nation: { color: "#505a5f", weight: 2, opacity: 1, fill: false },
};
const BASE_ATTRIBUTION = "Natural Earth | Town names © GeoNames, CC BY 4.0";
const PIN_SIZE = 32;
const CLUSTER_SIZE = 40;
const LABEL_OFFSETS = [0, CLUSTER_SIZE / 2 + 14, -(CLUSTER_SIZE / 2 + 14)]; // px: on the town, under, over

function visuallyHidden(text) {
  const span = document.createElement("span");
  span.className = "govuk-visually-hidden";
  span.textContent = text;
  return span;
}

// A pin: a 32 px circle (WCAG 2.5.8 asks for 24) whose accessible name is the
// place's name, read from hidden text because Leaflet gives it role=button.
function pinIcon(L, label) {
  const html = document.createElement("span");
  html.className = "rn-map__pin-dot";
  html.setAttribute("aria-hidden", "true");
  const wrapper = document.createElement("span");
  wrapper.append(html, visuallyHidden(label));
  return L.divIcon({
    html: wrapper,
    className: "rn-map__pin",
    iconSize: [PIN_SIZE, PIN_SIZE],
    iconAnchor: [PIN_SIZE / 2, PIN_SIZE / 2],
    popupAnchor: [0, -PIN_SIZE / 2],
  });
}

function clusterIcon(L, cluster) {
  const count = cluster.getChildCount();
  const wrapper = document.createElement("span");
  const number = document.createElement("span");
  number.className = "rn-map__cluster-count";
  number.setAttribute("aria-hidden", "true");
  number.textContent = String(count);
  wrapper.append(number, visuallyHidden(`${count} places close together: show them`));
  return L.divIcon({
    html: wrapper,
    className: "rn-map__cluster",
    iconSize: [CLUSTER_SIZE, CLUSTER_SIZE],
    iconAnchor: [CLUSTER_SIZE / 2, CLUSTER_SIZE / 2],
  });
}

// Town names: the biggest towns first, a name left out where it would
// overlap a pin or a name already placed, worked out again at each zoom.
function townLabels(L, map, towns, pins) {
  const pane = map.createPane("rn-labels");
  pane.setAttribute("aria-hidden", "true"); // the page lists the places; names of towns are decoration
  const layer = L.layerGroup().addTo(map);
  const labels = towns
    .slice()
    .sort((a, b) => b.population - a.population)
    .map((town) => {
      const text = document.createElement("span");
      text.className = "rn-map__town-name";
      text.textContent = town.name;
      const marker = L.marker(town.latlng, {
        icon: L.divIcon({ html: text, className: "rn-map__town", iconSize: [0, 0] }),
        interactive: false,
        keyboard: false,
        pane: "rn-labels",
      });
      return { marker, name: town.name, latlng: town.latlng };
    });

  function place() {
    const size = map.getSize();
    const half = CLUSTER_SIZE / 2 + 2;
    const placed = pins.map((latlng) => {
      const point = map.latLngToContainerPoint(latlng);
      return { left: point.x - half, right: point.x + half, top: point.y - half, bottom: point.y + half };
    });
    const free = (box) =>
      box.left >= 0 &&
      box.right <= size.x &&
      box.top >= 0 &&
      box.bottom <= size.y &&
      placed.every(
        (other) =>
          box.right < other.left || box.left > other.right || box.bottom < other.top || box.top > other.bottom,
      );
    for (const label of labels) {
      const point = map.latLngToContainerPoint(label.latlng);
      const halfWidth = (label.name.length * 7.5 + 8) / 2;
      // On the town; failing that, just under or over a pin that covers it.
      const spot = LABEL_OFFSETS.map((dy) => ({
        dy,
        box: { left: point.x - halfWidth, right: point.x + halfWidth, top: point.y + dy - 10, bottom: point.y + dy + 10 },
      })).find((candidate) => free(candidate.box));
      if (spot) {
        placed.push(spot.box);
        label.marker.setLatLng(spot.dy ? map.containerPointToLatLng([point.x, point.y + spot.dy]) : label.latlng);
        layer.addLayer(label.marker);
      } else {
        layer.removeLayer(label.marker);
      }
    }
  }
  map.on("zoomend moveend resize", place);
  place();
}

async function drawBaseMap(L, map, url, pins) {
  if (!url) {
    return;
  }
  let data;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      return;
    }
    data = await response.json();
  } catch {
    return; // pins on a plain background; the list is still there
  }
  const features = Array.isArray(data?.features) ? data.features : [];
  const shapes = features.filter((feature) => BASE_STYLES[feature?.properties?.layer]);
  const towns = features
    .filter((feature) => feature?.properties?.layer === "town" && feature.geometry?.type === "Point")
    .map((feature) => ({
      name: String(feature.properties.name || ""),
      population: Number(feature.properties.population) || 0,
      latlng: L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]),
    }));
  const order = ["context", "land", "coast", "district", "nation"];
  shapes.sort((a, b) => order.indexOf(a.properties.layer) - order.indexOf(b.properties.layer));
  L.geoJSON(shapes, {
    interactive: false,
    style: (feature) => BASE_STYLES[feature.properties.layer],
    attribution: BASE_ATTRIBUTION,
  }).addTo(map);
  townLabels(L, map, towns, pins);
  map.getContainer().dataset.baseMapDrawn = "true";
}

function drawMap(L, element, markers) {
  element.hidden = false;
  const fallback = document.querySelector(`[data-map-fallback="${CSS.escape(element.id)}"]`);
  if (fallback) {
    fallback.hidden = true;
  }
  const tileUrl = element.dataset.tileUrl;
  const map = L.map(element, {
    scrollWheelZoom: false, // don't trap people scrolling the page
    attributionControl: true,
    minZoom: tileUrl ? 0 : 6, // the bundled base map covers Great Britain and Ireland, no more
    maxZoom: tileUrl ? 18 : 16, // clustering needs one; past 16 the bundled map has nothing more to show
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

  if (tileUrl) {
    L.tileLayer(tileUrl, {
      attribution: element.dataset.tileAttribution || "",
      maxZoom: 18,
    }).addTo(map);
  }

  const group = L.markerClusterGroup
    ? L.markerClusterGroup({
        showCoverageOnHover: false,
        animate: !window.matchMedia?.("(prefers-reduced-motion: reduce)").matches,
        spiderfyOnMaxZoom: true,
        maxClusterRadius: 60,
        iconCreateFunction: (cluster) => clusterIcon(L, cluster),
      })
    : L.featureGroup();
  const points = [];
  for (const marker of markers) {
    const label = marker.kind ? `${marker.name} (${kindLabel(marker.kind)})` : marker.name;
    group.addLayer(
      L.marker([marker.lat, marker.lng], { icon: pinIcon(L, label), title: label, keyboard: true }).bindPopup(
        popupContent(marker),
      ),
    );
    points.push([marker.lat, marker.lng]);
  }

  // Room for the zoom buttons (top left) and the credits (bottom right), so
  // no pin sits under them. The bundled base map has no streets: a wider view
  // shows the coast and the towns around instead.
  const closest = tileUrl ? 12 : 10;
  if (points.length === 1) {
    map.setView(points[0], tileUrl ? 11 : 10);
  } else {
    map.fitBounds(L.latLngBounds(points), {
      paddingTopLeft: [64, 40],
      paddingBottomRight: [40, 40],
      maxZoom: closest,
    });
  }
  group.addTo(map);
  if (!tileUrl) {
    element.classList.add("rn-map--base");
    drawBaseMap(L, map, element.dataset.baseMap, points.map((point) => L.latLng(point)));
  }
}

export async function initMaps(root = document) {
  const elements = [...root.querySelectorAll("[data-map]")];
  if (!elements.length) {
    return;
  }
  const first = elements[0];
  ensureStylesheet(first.dataset.leafletCss);
  ensureStylesheet(first.dataset.markerclusterCss);
  try {
    if (!window.L) {
      await loadScript(first.dataset.leafletSrc);
    }
  } catch {
    return; // the list is still there
  }
  if (!window.L.markerClusterGroup && first.dataset.markerclusterSrc) {
    try {
      await loadScript(first.dataset.markerclusterSrc); // needs Leaflet first
    } catch {
      // pins without clustering
    }
  }
  for (const element of elements) {
    const markers = readMarkers(element);
    if (markers.length && !element.dataset.mapReady) {
      element.dataset.mapReady = "true";
      drawMap(window.L, element, markers);
    }
  }
}
