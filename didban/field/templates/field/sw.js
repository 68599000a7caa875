// Didban field app service worker (version {{ version }}): keeps the app shell, the vendored
// assets, the agent's data and design thumbnails, so the app opens and works offline.
// Submissions are never intercepted: the outbox in IndexedDB owns them.
"use strict";
var VERSION = "{{ version }}";
var SHELL_CACHE = "didban-field-shell-" + VERSION;
var DATA_CACHE = "didban-field-data";
var SHELL = {{ shell|safe }};
var APP_URL = {{ app_url|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return Promise.all(SHELL.map(function (url) {
        return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(url, response);
        }).catch(function () {});
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf("didban-field-shell-") === 0 && k !== SHELL_CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function networkFirst(request, cacheName, fallbackUrl) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(cacheName).then(function (cache) { cache.put(fallbackUrl || request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(fallbackUrl || request, { ignoreSearch: true }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function cacheFirst(request, cacheName) {
  return caches.match(request, { ignoreSearch: true }).then(function (hit) {
    if (hit) return hit;
    return fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === APP_URL) {
    event.respondWith(networkFirst(request, SHELL_CACHE, APP_URL));
  } else if (url.pathname.indexOf("/static/") === 0 || url.pathname === APP_URL + "manifest.webmanifest") {
    event.respondWith(cacheFirst(request, SHELL_CACHE));
  } else if (/^\/field\/designs\/\d+\/v\d+\/thumb\/$/.test(url.pathname)) {
    event.respondWith(cacheFirst(request, DATA_CACHE));
  } else if (url.pathname.indexOf("/api/v1/field/") === 0) {
    event.respondWith(networkFirst(request, DATA_CACHE));
  }
});
