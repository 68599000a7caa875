// The violation form inside the offline field app (compliance/field_form.html). The field app's
// outbox captures the form itself (data-outbox-url); this file only helps the agent fill it in:
// several camera shots kept in one file input, the nearest place from the GPS fix, and the
// candidates of the chosen election. It runs offline (the service worker keeps it in the shell).
(function () {
  "use strict";
  var form = document.querySelector("form.violation-form");
  if (!form) return;
  var input = form.querySelector("[data-photos]");
  var previews = form.querySelector("[data-photo-previews]");
  var count = form.querySelector("[data-photo-count]");
  var max = parseInt(form.dataset.maxPhotos, 10) || 5;
  var fa = (document.documentElement.lang || "fa").indexOf("fa") === 0;
  var photos = [];
  var placeChosen = false;

  function digits(value) {
    var s = String(value);
    return fa ? s.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : s;
  }

  // A phone's camera input returns one shot at a time: each shot is added to the others, and the
  // input is given the whole set, so the outbox takes every photo from the form as usual.
  function sync() {
    if (window.DataTransfer) {
      var dt = new DataTransfer();
      photos.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
    }
    previews.innerHTML = "";
    photos.forEach(function (file, i) {
      var cell = document.createElement("div");
      cell.className = "photo-thumb position-relative";
      var img = document.createElement("img");
      img.alt = "";
      img.src = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(img.src); };
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-light position-absolute top-0 start-0 p-0 px-1";
      remove.setAttribute("aria-label", "×");
      remove.textContent = "×";
      remove.addEventListener("click", function () { photos.splice(i, 1); sync(); });
      cell.appendChild(img);
      cell.appendChild(remove);
      previews.appendChild(cell);
    });
    var format = form.dataset.countFormat || "{n} / {max}";
    count.textContent = photos.length ? format.replace("{n}", digits(photos.length)).replace("{max}", digits(max)) : "";
    input.closest("label").classList.toggle("disabled", photos.length >= max);
  }

  input.addEventListener("change", function () {
    var chosen = Array.prototype.slice.call(input.files || []);
    if (!window.DataTransfer) { photos = chosen.slice(0, max); sync(); return; }
    chosen.forEach(function (f) {
      var dup = photos.some(function (p) { return p.name === f.name && p.size === f.size && p.lastModified === f.lastModified; });
      if (!dup && photos.length < max) photos.push(f);
    });
    sync();
  });
  form.addEventListener("reset", function () {
    photos = [];
    placeChosen = false;
    setTimeout(sync, 0);
  });

  // The nearest settlement with coordinates, unless the agent chose a place.
  var placeSelect = form.querySelector("[data-place-select]");
  placeSelect.addEventListener("change", function () { placeChosen = true; });
  function nearest(lat, lng) {
    var best = null, bestD = Infinity;
    placeSelect.querySelectorAll("option[data-lat]").forEach(function (opt) {
      var dLat = (parseFloat(opt.dataset.lat) - lat) * 111.2;
      var dLng = (parseFloat(opt.dataset.lng) - lng) * 111.2 * Math.cos(lat * Math.PI / 180);
      var d = Math.sqrt(dLat * dLat + dLng * dLng);
      if (d < bestD) { bestD = d; best = opt; }
    });
    // Beyond ~5 km the nearest named place is a guess, not an answer.
    if (best && bestD <= 5 && !placeChosen) placeSelect.value = best.value;
  }
  function locate() {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (pos) {
      nearest(pos.coords.latitude, pos.coords.longitude);
    }, function () {}, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  form.querySelector("[data-gps-button]").addEventListener("click", locate);
  document.querySelectorAll("[data-tab]").forEach(function (tab) {
    tab.addEventListener("click", function () { if (form.closest("[data-pane]") && !form.closest("[data-pane]").hidden) locate(); });
  });

  // The outbox line says what and where: «گزارش تخلف · کرج · دیوارنویسی…».
  var baseLabel = form.dataset.outboxLabel;
  form.addEventListener("submit", function () {
    var parts = [baseLabel];
    ["place", "rule_category"].forEach(function (name) {
      var select = form.querySelector("select[name=" + name + "]");
      if (select && select.value) parts.push(select.options[select.selectedIndex].text);
    });
    form.dataset.outboxLabel = parts.join(" · ");
  }, true);

  // Several elections: only the chosen one's candidates.
  var electionSelect = form.querySelector("[data-election-select]");
  var candidateSelect = form.querySelector("[data-candidate-select]");
  function filterCandidates() {
    if (!electionSelect) return;
    candidateSelect.querySelectorAll("option[data-election]").forEach(function (opt) {
      var show = opt.dataset.election === electionSelect.value;
      opt.hidden = !show;
      opt.disabled = !show;
      if (!show && opt.selected) candidateSelect.value = "";
    });
  }
  if (electionSelect) electionSelect.addEventListener("change", filterCandidates);
  filterCandidates();
  sync();
})();
