// "Use my location" on the meeting finder, as progressive enhancement.
//
// Without JavaScript (or without navigator.geolocation) the button stays
// hidden and people type a town or postcode. With it, the button asks the
// browser for the position, fills the hidden lat/lng fields, clears "where"
// and submits the same GET form. The position goes only into this search's
// URL; nothing is stored.

function setStatus(container, text) {
  const status = container.querySelector("[data-geolocate-status]");
  if (status) {
    status.textContent = text;
  }
}

function round(value) {
  return (Math.round(value * 100000) / 100000).toString();
}

export function initGeolocate(root = document) {
  if (!("geolocation" in navigator)) {
    return;
  }
  for (const container of root.querySelectorAll("[data-geolocate]")) {
    const form = container.closest("form");
    const button = container.querySelector("[data-geolocate-button]");
    if (!form || !button || container.dataset.geolocateReady) {
      continue;
    }
    container.dataset.geolocateReady = "true";
    container.hidden = false;
    button.addEventListener("click", () => {
      button.disabled = true;
      setStatus(container, "Finding your location…");
      navigator.geolocation.getCurrentPosition(
        (position) => {
          const lat = form.querySelector('input[name="lat"]');
          const lng = form.querySelector('input[name="lng"]');
          const where = form.querySelector('input[name="where"]');
          if (!lat || !lng) {
            return;
          }
          lat.value = round(position.coords.latitude);
          lng.value = round(position.coords.longitude);
          if (where) {
            where.value = "";
          }
          const sort = form.querySelector('input[name="sort"][value="distance"]');
          if (sort) {
            sort.checked = true;
          }
          setStatus(container, "Searching near you…");
          form.submit();
        },
        () => {
          button.disabled = false;
          setStatus(container, "Your location could not be found. Enter a town or postcode instead.");
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 },
      );
    });
  }
}

initGeolocate();
