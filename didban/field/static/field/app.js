// The field agent's app: tasks kept offline, check-ins into the outbox, forms of other apps too.
(function () {
  "use strict";
  var body = document.body;
  var T = JSON.parse(document.getElementById("field-i18n").textContent);
  window.FIELD_I18N = T;
  var TRANSITIONS = JSON.parse(document.getElementById("field-transitions").textContent);
  var fa = body.dataset.lang === "fa";
  var bundle = null;

  function digits(value) {
    var s = String(value);
    return fa ? s.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : s;
  }
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function jalali(iso) {
    if (!iso) return "";
    var d = new Date(iso.length === 10 ? iso + "T12:00:00" : iso);
    try {
      var opts = iso.length === 10 ? { year: "numeric", month: "2-digit", day: "2-digit" }
        : { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" };
      var text = d.toLocaleString(fa ? "fa-IR-u-ca-persian" : "en-GB", opts);
      return fa ? text.replace(",", "،") : text;
    } catch (e) { return digits(iso); }
  }

  // Registering the service worker: the shell, assets and the agent's data are cached.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/field/" }).catch(function () {});
  }

  // Tabs
  document.querySelectorAll("[data-tab]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      document.querySelectorAll("[data-tab]").forEach(function (b) { b.classList.toggle("active", b === btn); });
      document.querySelectorAll("[data-pane]").forEach(function (p) {
        p.hidden = p.dataset.pane !== btn.dataset.tab;
        if (!p.hidden) p.querySelectorAll(OUTBOX_FORMS).forEach(locate);
      });
    });
  });

  function showNet() {
    var el = document.getElementById("net");
    el.textContent = navigator.onLine ? T.online : T.offline;
    el.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-warning");
    el.dataset.state = navigator.onLine ? "online" : "offline";
  }
  window.addEventListener("online", function () { showNet(); loadBundle(); });
  window.addEventListener("offline", showNet);
  showNet();

  // The agent's bundle: from the network when possible, else the copy kept on the device.
  function loadBundle() {
    var status = document.getElementById("bundle-status");
    return fetch(body.dataset.bundle, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok || (r.headers.get("content-type") || "").indexOf("json") < 0) throw new Error("bundle " + r.status);
        return r.json();
      })
      .then(function (data) {
        data.fetched_at = new Date().toISOString();
        bundle = data;
        status.textContent = T.loaded + ": " + jalali(data.fetched_at);
        warmImages(data);
        return DidbanOutbox.kvSet("bundle", data);
      })
      .catch(function () {
        return DidbanOutbox.kvGet("bundle").then(function (saved) {
          if (saved) {
            bundle = saved;
            status.textContent = T.from_device + ": " + jalali(saved.fetched_at);
          } else if (!bundle) {
            status.textContent = T.no_copy;
          }
        });
      })
      .then(renderTasks);
  }

  function warmImages(data) {
    (data.designs || []).forEach(function (d) {
      if (d.thumbnail_url) fetch(d.thumbnail_url, { credentials: "same-origin" }).catch(function () {});
    });
  }

  function index(list) {
    var out = {};
    (list || []).forEach(function (x) { out[x.id] = x; });
    return out;
  }

  function renderTasks() {
    var root = document.getElementById("tasks");
    if (!bundle) { root.innerHTML = ""; return; }
    // Never wipe a form the agent is filling in; the list is redrawn once it is closed.
    if (root.querySelector(".checkin-form")) return;
    var placements = index(bundle.placements), sites = index(bundle.sites), designs = index(bundle.designs);
    return DidbanOutbox.all().then(function (entries) {
      var pending = {};
      entries.forEach(function (e) {
        if (e.kind === "checkin" && e.state !== "sent") pending[e.fields.placement] = e;
      });
      if (!bundle.tasks.length) { root.innerHTML = '<p class="text-body-secondary">' + esc(T.no_tasks) + "</p>"; return; }
      // One card per placement: its most urgent task (the list comes sorted by due day).
      var seen = {};
      var firsts = bundle.tasks.filter(function (t) {
        if (seen[t.placement]) return false;
        seen[t.placement] = true;
        return true;
      });
      root.innerHTML = firsts.map(function (t) {
        var p = placements[t.placement] || {}, s = sites[p.site] || {}, d = designs[p.design] || {};
        var wait = pending[p.id];
        return '<div class="card task-card mb-2' + (t.overdue ? " overdue" : "") + '" data-task="' + t.id + '" data-placement="' + p.id + '">' +
          '<div class="card-body p-2"><div class="d-flex gap-2">' +
          (d.thumbnail_url ? '<img class="thumb" alt="" src="' + esc(d.thumbnail_url) + '">' : '<div class="thumb"></div>') +
          '<div class="flex-grow-1 small"><div class="fw-semibold">' + esc(s.name) + "</div>" +
          "<div>" + esc(s.place_name) + " · " + esc(d.title) + "</div>" +
          "<div>" + esc(T.tasks[t.kind] || t.kind) + " · " + esc(T.due) + " " + esc(jalali(t.due_on)) +
          (t.overdue ? ' <span class="badge text-bg-danger">' + esc(T.overdue) + "</span>" : "") + "</div>" +
          '<div class="text-body-secondary">' + esc(T.states[p.state] || p.state) +
          (wait ? ' · <span class="badge text-bg-warning" data-testid="pending">' + esc(T.pending) + "</span>" : "") + "</div>" +
          '</div></div><button class="btn btn-sm btn-primary mt-2 w-100 open-checkin" type="button"><i class="bi bi-camera"></i> ' + esc(T.check_in) + "</button>" +
          '<div class="form-slot"></div></div></div>';
      }).join("");
    });
  }

  document.getElementById("tasks").addEventListener("click", function (event) {
    var btn = event.target.closest(".open-checkin");
    if (!btn) return;
    var card = btn.closest("[data-placement]");
    var slot = card.querySelector(".form-slot");
    if (slot.firstChild) { slot.innerHTML = ""; renderTasks(); return; }
    var placement = index(bundle.placements)[card.dataset.placement];
    var form = document.getElementById("checkin-form").content.firstElementChild.cloneNode(true);
    var select = form.querySelector("[name=to_state]");
    (placement.next_states || TRANSITIONS[placement.state] || []).forEach(function (state) {
      var opt = document.createElement("option");
      opt.value = state;
      opt.textContent = T.states[state] || state;
      select.appendChild(opt);
    });
    slot.appendChild(form);
    locate(form);
    form.querySelector(".gps-btn").addEventListener("click", function () { locate(form); });
    form.addEventListener("submit", function (e) { submitCheckin(e, form, placement, card); });
  });

  function flash(text) {
    var el = document.getElementById("flash");
    el.textContent = text;
    el.hidden = false;
  }

  function locate(form) {
    var text = form.querySelector(".gps-text, [data-gps-text]") || document.createElement("span");
    if (!navigator.geolocation) { text.textContent = T.gps_none; return; }
    text.textContent = T.gps_wait;
    navigator.geolocation.getCurrentPosition(function (pos) {
      fill(form, "latitude", pos.coords.latitude.toFixed(6));
      fill(form, "longitude", pos.coords.longitude.toFixed(6));
      fill(form, "accuracy", Math.round(pos.coords.accuracy));
      var coords = digits(pos.coords.latitude.toFixed(5) + "، " + pos.coords.longitude.toFixed(5));
      text.textContent = (fa ? coords.replace(/\./g, "٫") : coords) +
        " · " + T.accuracy + " " + digits(Math.round(pos.coords.accuracy)) + " " + T.metres;
    }, function () { text.textContent = T.gps_none; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  var GPS_NAMES = { latitude: "latitude", longitude: "longitude", accuracy: "accuracy_m" };
  function fill(form, kind, value) {
    var input = form.querySelector('[data-gps="' + kind + '"]') || form.querySelector('[name="' + GPS_NAMES[kind] + '"]');
    if (input) input.value = value;
  }

  function submitCheckin(event, form, placement, card) {
    event.preventDefault();
    var action = event.submitter ? event.submitter.value : "queue";
    var data = new FormData(form);
    var photo = data.get("photo");
    var error = form.querySelector(".form-error");
    if (!data.get("to_state")) { error.textContent = T.state_needed; return; }
    if (data.get("to_state") !== "dispatched" && (!photo || !photo.size)) { error.textContent = T.photo_needed; return; }
    var site = index(bundle.sites)[placement.site] || {};
    DidbanOutbox.enqueue({
      url: body.dataset.checkinUrl,
      kind: "checkin",
      draft: action === "draft",
      label: (site.name || "") + " · " + (T.states[data.get("to_state")] || ""),
      fields: {
        placement: placement.id, to_state: data.get("to_state"), client_time: new Date().toISOString(),
        latitude: data.get("latitude"), longitude: data.get("longitude"), accuracy_m: data.get("accuracy_m"),
        note: data.get("note") || "",
      },
      files: photo && photo.size ? { photo: photo } : {},
    }).then(function () {
      card.querySelector(".form-slot").innerHTML = "";
      flash(action === "draft" ? T.saved_draft : T.queued_note);
      renderOutbox();
      renderTasks();
    });
  }

  // Forms that other apps put in the field app: <form data-outbox-url="…" data-outbox-label="…">
  // (data-outbox-endpoint is read too). Text fields go as fields, every chosen file as a file.
  var OUTBOX_FORMS = "form[data-outbox-url], form[data-outbox-endpoint]";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest(OUTBOX_FORMS);
    if (!form) return;
    event.preventDefault();
    var data = new FormData(form);
    var fields = {}, files = {};
    data.forEach(function (value, key) {
      if (value instanceof File) {
        if (value.size) files[key] = (files[key] || []).concat([value]);
      } else if (key !== "csrfmiddlewaretoken" && key !== "client_uuid") {
        fields[key] = value;
      }
    });
    form.querySelectorAll("[data-client-time]").forEach(function (input) { fields[input.name] = new Date().toISOString(); });
    DidbanOutbox.enqueue({
      url: form.dataset.outboxUrl || form.dataset.outboxEndpoint, kind: form.dataset.outboxKind || "form",
      label: form.dataset.outboxLabel || form.dataset.outboxUrl || form.dataset.outboxEndpoint, fields: fields, files: files,
      draft: event.submitter && event.submitter.value === "draft",
    }).then(function () {
      form.reset();
      var note = form.querySelector("[data-outbox-note]");
      if (note) note.textContent = T.queued_note;
      flash(T.queued_note);
      renderOutbox();
    });
  });
  document.addEventListener("click", function (event) {
    var btn = event.target.closest("[data-gps-button]");
    if (btn) locate(btn.closest("form"));
  });

  function renderOutbox() {
    return DidbanOutbox.all().then(function (entries) {
      var open = entries.filter(function (e) { return e.state !== "sent"; }).length;
      document.getElementById("outbox-count").textContent = open ? digits(open) : "";
      var colors = { draft: "secondary", queued: "warning", sending: "info", sent: "success", failed: "danger" };
      var root = document.getElementById("outbox");
      if (!entries.length) { root.innerHTML = '<li class="list-group-item text-body-secondary small">' + esc(T.empty_outbox) + "</li>"; return; }
      root.innerHTML = entries.map(function (e) {
        var extra = "";
        if (e.state === "sent") extra = T.server_id + " " + digits(e.server_id) + " · " + jalali(e.sent_at);
        else if (e.error) extra = e.error + (e.retry_at ? " · " + T.retry_at + " " + jalali(e.retry_at) : "");
        if (e.attempts) extra += " · " + T.attempts + " " + digits(e.attempts);
        var buttons = "";
        if (e.state === "draft") buttons += '<button class="btn btn-sm btn-outline-primary" data-act="queue">' + esc(T.queue) + "</button>";
        if (e.state === "failed") buttons += '<button class="btn btn-sm btn-outline-primary" data-act="queue">' + esc(T.retry) + "</button>";
        if (e.state === "draft" || (e.state === "failed" && !e.retry_at)) buttons += '<button class="btn btn-sm btn-outline-danger" data-act="delete">' + esc(T.delete) + "</button>";
        return '<li class="list-group-item outbox-item small" data-id="' + esc(e.id) + '" data-state="' + e.state + '">' +
          '<div class="d-flex gap-2 align-items-center"><span class="badge state text-bg-' + colors[e.state] + '" data-testid="outbox-state">' + esc(T.outbox[e.state] || e.state) + "</span>" +
          '<span class="flex-grow-1">' + esc(e.label) + '<div class="text-body-secondary">' + esc(jalali(e.created_at)) + (extra ? " · " + esc(extra) : "") + "</div></span>" +
          '<span class="d-flex gap-1">' + buttons + "</span></div></li>";
      }).join("");
    });
  }

  document.getElementById("outbox").addEventListener("click", function (event) {
    var btn = event.target.closest("[data-act]");
    if (!btn) return;
    var id = btn.closest("[data-id]").dataset.id;
    (btn.dataset.act === "queue" ? DidbanOutbox.queue(id) : DidbanOutbox.remove(id)).then(renderOutbox);
  });
  document.getElementById("send-now").addEventListener("click", function () { DidbanOutbox.flush(); });

  var rerender = null;
  window.addEventListener("outbox-change", function () {
    clearTimeout(rerender);
    rerender = setTimeout(function () {
      renderOutbox();
      renderTasks();
    }, 30);
  });

  loadBundle();
  renderOutbox();
})();
