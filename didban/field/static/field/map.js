// Display sites as circle markers on a Leaflet map; a tile layer only when a tile server is set,
// so the map works with no network. Without tiles, the area's named places (city, satellite
// towns, villages) are drawn under the sites as labelled reference points, with a scale, so the
// blank map can still be read; the view fits the sites.
(function () {
  var el = document.getElementById("field-map");
  if (!el || !window.L) return;
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent || "[]") : [];
  }
  var points = data("field-map-points");
  var places = data("field-map-places");
  var english = (document.documentElement.lang || "fa").indexOf("en") === 0;
  var colors = { planned: "#6c757d", dispatched: "#0dcaf0", installed: "#0d6efd", verified: "#198754",
                 damaged: "#dc3545", removed: "#212529", replaced: "#6610f2" };
  var map = L.map(el, { zoomSnap: 0.25 });
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var scale = L.control.scale({ imperial: false, position: "bottomleft" });
  if (!english) {
    // «۳ کیلومتر» rather than "3 km" for a Persian reader.
    scale._updateScale = function (node, text, ratio) {
      node.style.width = Math.round(this.options.maxWidth * ratio) + "px";
      node.textContent = text.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; })
        .replace(" km", " کیلومتر").replace(" m", " متر");
    };
  }
  scale.addTo(map);

  // Reference places first, so the sites are drawn (and clicked) above them.
  var placeStyle = {
    city: { radius: 11, weight: 2, color: "#868e96", fill: false, dashArray: "3 2" },
    satellite_town: { radius: 7, weight: 2, color: "#adb5bd", fill: false, dashArray: "3 2" },
    village: { radius: 3, weight: 1, color: "#adb5bd", fillColor: "#ced4da", fillOpacity: 1 },
  };
  var placeBounds = [];
  places.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lng], Object.assign({ interactive: false, className: "place-dot place-" + p.kind },
                                                               placeStyle[p.kind] || placeStyle.village)).addTo(map);
    marker.bindTooltip(english && p.name_en ? p.name_en : p.name, {
      permanent: true, direction: p.kind === "village" ? "right" : "top", className: "place-label place-label-" + p.kind,
      offset: p.kind === "village" ? [4, 0] : [0, p.kind === "city" ? -10 : -6], opacity: 1,
    });
    placeBounds.push([p.lat, p.lng]);
  });

  var bounds = [];
  points.forEach(function (p) {
    var state = (p.states && p.states.length) ? p.states[0] : "";
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: 6, weight: 1.5, color: "#212529", fillOpacity: 0.95, fillColor: colors[state] || "#fd7e14",
      className: "site-dot",
    }).addTo(map);
    marker.bindTooltip(p.name + (p.labels ? " · " + p.labels.join("، ") : ""));
    if (el.dataset.link) marker.on("click", function () { window.location = el.dataset.link.replace("0", p.id); });
    bounds.push([p.lat, p.lng]);
  });
  if (el.dataset.lat && !places.length) {
    var centre = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
    L.circle(centre, { radius: 12000, color: "#adb5bd", weight: 1, fill: false, dashArray: "4" }).addTo(map);
    if (!bounds.length) bounds.push(centre);
  }
  // The sites decide the view; with none, the area's places; else the country.
  var target = bounds.length ? bounds : placeBounds;
  if (target.length) map.fitBounds(target, { padding: [30, 30], maxZoom: 14 });
  else map.setView([32.4, 53.7], 5);
})();
