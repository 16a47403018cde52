// 网格采集's service worker (issue 12 item 7), served as /grid/sw.js with VERSION, ASSETS, OFFLINE_PAGES and
// LOGIN_PATH defined before this line (blueprints/grid/offline.py). Scope /grid/.
//
// - The static files the collection pages load: cache first, from a cache named by VERSION (a fingerprint of
//   these files), so a new version installs a new cache and the old one is deleted.
// - The collection pages (OFFLINE_PAGES): network first; the last good copy is the fallback with no network.
//   A redirect (logged out) or a 404 (unbound) removes the copy. No other page is ever cached.
// - Nothing but GET is touched: form posts and the queue's uploads always go to the network, and no answer to a
//   POST is stored. The records themselves live in IndexedDB (static/js/grid_queue.js), never here.
"use strict";

var STATIC_CACHE = "yks-grid-static-" + VERSION;
var PAGES_CACHE = "yks-grid-pages";  // emptied by 退出登录 (grid_queue.js) and by a logged-out visit
var PAGE_PATTERNS = OFFLINE_PAGES.map(function (source) { return new RegExp(source); });

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(ASSETS); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("yks-grid-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isOfflinePage(url) {
  return PAGE_PATTERNS.some(function (pattern) { return pattern.test(url.pathname); });
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

function cacheFirst(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

// A collection page shown before this worker controlled it (the first visit), or brought by htmx as a fragment
// (hx-boost): grid_queue.js asks for the whole page to be kept, so a reload with no network still has it.
function keepWholePage(path) {
  var url = new URL(path, self.location.origin);
  if (url.origin !== self.location.origin || !isOfflinePage(url)) return Promise.resolve();
  var whole = new Request(url.pathname + url.search, { credentials: "same-origin", redirect: "manual" });
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(whole).then(function (hit) {
      if (hit) return undefined;
      return fetch(whole).then(function (response) {
        if (response.status === 200 && response.type === "basic" && isHtml(response)) return cache.put(whole, response);
        return undefined;
      });
    });
  }).catch(function () { return undefined; });
}

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "keep-page") event.waitUntil(keepWholePage(String(event.data.path)));
});

function networkFirst(event) {
  var request = event.request;
  return caches.open(PAGES_CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.status === 200 && response.type === "basic" && !response.redirected && isHtml(response)) {
        event.waitUntil(cache.put(request, response.clone()));
      } else if (response.type === "opaqueredirect" || response.redirected) {
        // sent to 实名认证 (logged out): nothing of the last worker's pages stays; else this page's copy goes
        // (a navigation sees an opaque redirect, whose target it cannot read)
        var toLogin = response.redirected && new URL(response.url).pathname === LOGIN_PATH;
        event.waitUntil(toLogin ? caches.delete(PAGES_CACHE) : cache.delete(request, { ignoreVary: true }));
      } else if (response.status === 404) {  // no longer this worker's grid
        event.waitUntil(cache.delete(request, { ignoreVary: true }));
      }
      return response;
    }, function (networkError) {
      return cache.match(request).then(function (hit) {
        if (hit) return hit;
        throw networkError;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(cacheFirst(request));
  } else if (isOfflinePage(url)) {
    event.respondWith(networkFirst(event));
  }
  // anything else: the browser's own fetch, never stored here
});
