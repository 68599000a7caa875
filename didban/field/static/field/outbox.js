// The field outbox: submissions wait in IndexedDB (with their photos as Blobs) until the server
// confirms them. An entry is {id (= client_uuid), url, fields, files, label, kind, state, ...};
// states: draft → queued → sending → sent, or failed (with a retry time when it may pass later).
// Nothing is marked "sent" before a 2xx answer that carries the server's id.
// Any app may use it: DidbanOutbox.enqueue({url, fields, files, label}).
(function () {
  "use strict";
  var DB_NAME = "didban-field";
  var STORE = "outbox";
  var KV = "kv";
  var BASE_DELAY = 2000;
  var MAX_DELAY = 5 * 60 * 1000;
  var dbPromise = null;
  var flushing = null;
  var csrfUrl = document.body.dataset.csrfUrl || "/field/app/csrf/";

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "id" });
        if (!db.objectStoreNames.contains(KV)) db.createObjectStore(KV, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    return dbPromise;
  }

  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
        result = work(t.objectStore(store));
      });
    });
  }

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function all() {
    return openDb().then(function (db) {
      return request(db.transaction(STORE).objectStore(STORE).getAll());
    }).then(function (items) {
      return items.sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
    });
  }

  function get(id) {
    return openDb().then(function (db) { return request(db.transaction(STORE).objectStore(STORE).get(id)); });
  }

  function put(entry) {
    return tx(STORE, "readwrite", function (s) { s.put(entry); }).then(function () {
      changed();
      return entry;
    });
  }

  function remove(id) {
    return tx(STORE, "readwrite", function (s) { s.delete(id); }).then(changed);
  }

  function changed() {
    window.dispatchEvent(new CustomEvent("outbox-change"));
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // files: {fieldName: File|Blob|[File…]}; kept as [{field, blob, name}] so photos survive a reload.
  function enqueue(spec) {
    var id = spec.client_uuid || uuid();
    var files = [];
    Object.keys(spec.files || {}).forEach(function (field) {
      [].concat(spec.files[field]).forEach(function (f) {
        if (f && f.size) files.push({ field: field, blob: f, name: f.name || field + ".jpg" });
      });
    });
    var fields = Object.assign({}, spec.fields || {}, { client_uuid: id });
    var entry = {
      id: id, url: spec.url, fields: fields, files: files, label: spec.label || spec.url,
      kind: spec.kind || "", meta: spec.meta || {},
      state: spec.draft ? "draft" : "queued", attempts: 0, retry_at: null, error: "",
      server_id: null, created_at: new Date().toISOString(), sent_at: null,
    };
    return put(entry).then(function (e) { if (!spec.draft) flushSoon(); return e; });
  }

  function queue(id) {
    return get(id).then(function (e) {
      if (!e || (e.state !== "draft" && e.state !== "failed")) return e;
      e.state = "queued"; e.retry_at = null; e.error = "";
      return put(e).then(function (x) { flushSoon(); return x; });
    });
  }

  function backoff(attempts) {
    var delay = Math.min(MAX_DELAY, BASE_DELAY * Math.pow(2, Math.max(0, attempts - 1)));
    return delay / 2 + Math.random() * delay / 2;
  }

  function fetchToken() {
    return fetch(csrfUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) {
        var type = r.headers.get("content-type") || "";
        if (!r.ok || type.indexOf("json") < 0) throw { auth: true };
        return r.json();
      }).then(function (body) { return body.token; });
  }

  function due(e, now) {
    if (e.state === "queued") return true;
    return e.state === "failed" && e.retry_at && Date.parse(e.retry_at) <= now;
  }

  function send(entry, token) {
    var body = new FormData();
    Object.keys(entry.fields).forEach(function (k) {
      var v = entry.fields[k];
      if (v !== null && v !== undefined && v !== "") body.append(k, v);
    });
    (entry.files || []).forEach(function (f) { body.append(f.field, f.blob, f.name); });
    entry.state = "sending";
    entry.attempts += 1;
    return put(entry).then(function () {
      return fetch(entry.url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": token, "X-Client-UUID": entry.id, Accept: "application/json" },
      });
    }).then(function (r) {
      return r.text().then(function (text) {
        var data = null;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        if (r.ok && data && data.id !== undefined && data.id !== null) {
          entry.state = "sent"; entry.server_id = data.id; entry.sent_at = new Date().toISOString();
          entry.error = ""; entry.retry_at = null; entry.response = data;
          entry.files = [];  // the server holds the photos now
          return put(entry);
        }
        var message = (data && data.error && data.error.message) || ("HTTP " + r.status);
        if (data && data.error && data.error.fields) {
          message += " " + Object.keys(data.error.fields).map(function (k) {
            return k + ": " + [].concat(data.error.fields[k]).join(" ");
          }).join(" · ");
        }
        var transient = r.status >= 500 || r.status === 408 || r.status === 429 || r.status === 401 || r.status === 403 || (r.ok && !data);
        return fail(entry, message, transient);
      });
    }, function () {
      return fail(entry, navigator.onLine ? "network error" : "offline", true);
    });
  }

  function fail(entry, message, transient) {
    entry.state = "failed";
    entry.error = message;
    entry.retry_at = transient ? new Date(Date.now() + backoff(entry.attempts)).toISOString() : null;
    return put(entry);
  }

  function flush() {
    if (flushing) return flushing;
    if (!navigator.onLine) return Promise.resolve();
    flushing = all().then(function (items) {
      var now = Date.now();
      var ready = items.filter(function (e) { return due(e, now); }).reverse();  // oldest first
      if (!ready.length) return;
      return fetchToken().then(function (token) {
        return ready.reduce(function (p, e) { return p.then(function () { return send(e, token); }); }, Promise.resolve());
      }, function (err) {
        var relogin = err && err.auth;
        return ready.reduce(function (p, e) {
          return p.then(function () {
            e.attempts += 1;
            return fail(e, relogin ? (window.FIELD_I18N ? FIELD_I18N.relogin : "login") : "offline", true);
          });
        }, Promise.resolve());
      });
    }).catch(function () {}).then(function () { flushing = null; return scheduleRetry(); });
    return flushing;
  }

  // Wake up at the earliest retry time (the 15-second timer is the safety net).
  var retryTimer = null;
  function scheduleRetry() {
    return all().then(function (items) {
      var times = items.filter(function (e) { return e.state === "failed" && e.retry_at; })
        .map(function (e) { return Date.parse(e.retry_at); });
      clearTimeout(retryTimer);
      if (!times.length) return;
      var wait = Math.max(200, Math.min.apply(null, times) - Date.now() + 50);
      retryTimer = setTimeout(flush, Math.min(wait, MAX_DELAY));
    });
  }

  var timer = null;
  function flushSoon() {
    clearTimeout(timer);
    timer = setTimeout(flush, 50);
  }

  // A page closed while sending: the entry goes back to the queue (the server is idempotent).
  function recover() {
    return all().then(function (items) {
      return Promise.all(items.filter(function (e) { return e.state === "sending"; }).map(function (e) {
        e.state = "queued";
        return put(e);
      }));
    });
  }

  function kvGet(key) {
    return openDb().then(function (db) { return request(db.transaction(KV).objectStore(KV).get(key)); })
      .then(function (row) { return row ? row.value : null; });
  }
  function kvSet(key, value) {
    return tx(KV, "readwrite", function (s) { s.put({ key: key, value: value }); });
  }

  window.addEventListener("online", flush);
  recover().then(flush);
  setInterval(flush, 15000);

  window.DidbanOutbox = {
    enqueue: enqueue, queue: queue, flush: flush, all: all, get: get, remove: remove, uuid: uuid,
    kvGet: kvGet, kvSet: kvSet,
  };
})();
