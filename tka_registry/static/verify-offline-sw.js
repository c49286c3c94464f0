// Service worker of /verify/offline (issue 20): keeps the page, its script and its style, so
// the verifier opens with the network off. The key set and the last status list are kept by
// the page itself (localStorage), with the time they were fetched: never served stale here.
// Network first (a new page version when there is a network), the cache otherwise.
"use strict";
const CACHE = "tka-verify-offline-v1";
const KEPT = ["/verify/offline", "/static/verify-offline.js", "/static/verify.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(KEPT)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !KEPT.includes(url.pathname)) {
    return;
  }
  event.respondWith(
    fetch(event.request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    }).catch(() => caches.match(url.pathname).then((kept) => kept || Response.error()))
  );
});
