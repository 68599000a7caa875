/* The command room: live feed over server-sent events (polling fallback), theme, wall mode,
   audience chart and map. No external requests: tiles only if the server names a tile URL. */
(function () {
  "use strict";
  const root = document.getElementById("command");
  if (!root) return;
  const i18n = JSON.parse(document.getElementById("command-i18n").textContent);
  const feed = document.getElementById("feed");
  const status = document.getElementById("live-status");
  let last = parseInt(root.dataset.last || "0", 10);
  const seen = new Set(Array.from(feed.querySelectorAll("[data-seq]")).map((li) => li.dataset.seq));

  function add(event) {
    if (seen.has(String(event.seq))) return;
    seen.add(String(event.seq));
    last = Math.max(last, event.seq);
    const empty = feed.querySelector(".feed-empty");
    if (empty) empty.remove();
    const li = document.createElement("li");
    li.className = "feed-item feed-new feed-" + event.kind;
    li.dataset.seq = event.seq;
    const icon = document.createElement("i");
    icon.className = "bi bi-" + event.icon;
    const time = document.createElement("span");
    time.className = "feed-time";
    time.textContent = event.time;
    const label = document.createElement("b");
    label.textContent = event.label;
    const object = document.createElement("span");
    object.className = "feed-object";
    object.textContent = event.object;
    const org = document.createElement("small");
    org.className = "text-body-secondary";
    org.textContent = event.org;
    li.append(icon, " ", time, " ", label, " ", object, " ", org);
    feed.prepend(li);
    while (feed.children.length > 60) feed.lastElementChild.remove();
  }

  let polling = null;
  function poll() {
    if (polling) return;
    status.textContent = i18n.polling;
    status.className = "badge text-bg-warning";
    polling = setInterval(() => {
      fetch(root.dataset.feed + "&after=" + last, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { events: [] }))
        .then((data) => data.events.forEach(add))
        .catch(() => {});
    }, 5000);
  }

  if (window.EventSource) {
    let failures = 0;
    const source = new EventSource(root.dataset.stream + "&after=" + last);
    source.addEventListener("open", () => {
      failures = 0;
      status.textContent = i18n.live;
      status.className = "badge text-bg-success";
    });
    source.addEventListener("audit", (message) => add(JSON.parse(message.data)));
    source.addEventListener("error", () => {
      failures += 1;
      if (failures > 3) { source.close(); poll(); }
    });
  } else {
    poll();
  }

  const html = document.documentElement;
  const saved = localStorage.getItem("didban-command-theme");
  if (saved) html.dataset.bsTheme = saved;
  document.getElementById("theme-toggle").addEventListener("click", () => {
    html.dataset.bsTheme = html.dataset.bsTheme === "dark" ? "light" : "dark";
    localStorage.setItem("didban-command-theme", html.dataset.bsTheme);
  });
  document.getElementById("fullscreen").addEventListener("click", () => {
    document.body.classList.toggle("wall");
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  });

  const mapEl = document.getElementById("command-map");
  if (mapEl && window.L) {
    const points = JSON.parse(document.getElementById("map-points").textContent);
    const map = L.map(mapEl, { attributionControl: false }).setView([35.83, 50.99], 9);
    if (root.dataset.tiles) L.tileLayer(root.dataset.tiles, { maxZoom: 18 }).addTo(map);
    const bounds = [];
    points.forEach((p) => {
      const colour = p.kind === "violation" ? "#dc3545" : "#0d6efd";
      L.circleMarker([p.lat, p.lng], { radius: 6, color: colour, fillOpacity: 0.7 })
        .bindTooltip((p.kind === "violation" ? i18n.violation : i18n.site) + ": " + p.name)
        .addTo(map);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
  }
})();
