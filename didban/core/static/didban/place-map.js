// A place on a Leaflet map. Tiles only when a tile server is configured: offline it shows the point alone.
(function () {
  var el = document.getElementById("place-map");
  if (!el || !window.L) return;
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
  var map = L.map(el).setView([lat, lng], 11);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
  }
  L.circleMarker([lat, lng], { radius: 9, color: "#0d6efd" }).addTo(map).bindTooltip(el.dataset.name, { permanent: true });
})();
