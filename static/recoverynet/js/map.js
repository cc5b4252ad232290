// Maps as progressive enhancement.
//
// templates/includes/map.html renders, next to a page's normal list of places:
//   <script type="application/json" id="...-data">[{name, url, lat, lng, kind}, ...]</script>
//   <div data-map data-markers-id="...-data" data-tile-url="..." hidden ...></div>
// Without JavaScript the div stays hidden and the list is the content. With
// it, this module loads Leaflet (only on pages with a map), shows the div and
// draws a marker per place with a link in its popup.

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

function drawMap(L, element, markers) {
  element.hidden = false;
  const fallback = document.querySelector(`[data-map-fallback="${CSS.escape(element.id)}"]`);
  if (fallback) {
    fallback.hidden = true;
  }
  const map = L.map(element, {
    scrollWheelZoom: false, // don't trap people scrolling the page
    attributionControl: true,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

  const tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, {
      attribution: element.dataset.tileAttribution || "",
      maxZoom: 18,
    }).addTo(map);
  }

  const icon = L.icon({
    iconUrl: element.dataset.markerIcon,
    iconRetinaUrl: element.dataset.markerIcon2x,
    shadowUrl: element.dataset.markerShadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41],
  });

  const points = [];
  for (const marker of markers) {
    const label = marker.kind ? `${marker.name} (${kindLabel(marker.kind)})` : marker.name;
    L.marker([marker.lat, marker.lng], { icon, title: label, alt: label, keyboard: true })
      .bindPopup(popupContent(marker))
      .addTo(map);
    points.push([marker.lat, marker.lng]);
  }

  if (points.length === 1) {
    map.setView(points[0], 11);
  } else {
    map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 12 });
  }
}

export async function initMaps(root = document) {
  const elements = [...root.querySelectorAll("[data-map]")];
  if (!elements.length) {
    return;
  }
  const first = elements[0];
  ensureStylesheet(first.dataset.leafletCss);
  if (!window.L) {
    try {
      await loadScript(first.dataset.leafletSrc);
    } catch {
      return; // the list is still there
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
