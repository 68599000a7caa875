// Display sites as circle markers on a Leaflet map; a tile layer only when a tile server is set,
// so the map works with no network: the points (and the county's centre) on a blank map.
(function () {
  var el = document.getElementById("field-map");
  if (!el || !window.L) return;
  var points = JSON.parse(document.getElementById("field-map-points").textContent || "[]");
  var colors = { planned: "#6c757d", dispatched: "#0dcaf0", installed: "#0d6efd", verified: "#198754",
                 damaged: "#dc3545", removed: "#212529", replaced: "#6610f2" };
  var map = L.map(el, { zoomSnap: 0.25 });
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var state = (p.states && p.states.length) ? p.states[0] : "";
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: 6, weight: 1, color: "#fff", fillOpacity: 0.9, fillColor: colors[state] || "#fd7e14",
    }).addTo(map);
    marker.bindTooltip(p.name + (p.labels ? " · " + p.labels.join("، ") : ""));
    if (el.dataset.link) marker.on("click", function () { window.location = el.dataset.link.replace("0", p.id); });
    bounds.push([p.lat, p.lng]);
  });
  if (el.dataset.lat) {
    var centre = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
    L.circle(centre, { radius: 12000, color: "#adb5bd", weight: 1, fill: false, dashArray: "4" }).addTo(map);
    bounds.push(centre);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
  else map.setView([32.4, 53.7], 5);
})();
