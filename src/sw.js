// Waymark's service worker: after one visit, the app works without a
// network. Registered by index.html from the directory it is served from,
// so any static host and any sub-path work.
//
// - The page (a navigation, whatever its query: the query is the scenario)
//   and the files without a content hash in their name (the exports
//   worker's, this file) are fetched from the network first, so a new
//   build is picked up as soon as it is deployed; the cache answers when
//   the network does not.
// - Files whose name carries Trunk's content hash never change: the cache
//   answers first.
// - At install, the page and every file it names are cached (the first
//   visit's own requests happen before this worker controls the page), and
//   each time a new page arrives the files it names are fetched and cached
//   hashed files it no longer names are dropped, so old builds do not pile
//   up.
const CACHE = "waymark";
const PAGE = new URL("./", self.location).href;
// Fetched on the first download, not by the page: cached at install so the
// exports work offline too.
const WORKER_FILES = ["exports_worker_loader.js", "exports_worker.js", "exports_worker_bg.wasm"];
// Trunk's content hash: up to 16 hex digits (leading zeros are dropped).
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;

// The same-site files the page `html` names (href= or src=, quoted or not).
function named(html) {
  const out = new Set();
  for (const m of html.matchAll(/(?:href|src)=["']?([^"' >]+)/g)) {
    let url;
    try {
      url = new URL(m[1], PAGE);
    } catch (notAUrl) {
      continue;
    }
    if (url.origin === self.location.origin && url.href.startsWith(PAGE) && url.href !== PAGE) {
      out.add(url.href);
    }
  }
  return [...out];
}

// Caches the page and what it names; drops hashed files it no longer names.
async function keep(cache, response) {
  const html = await response.clone().text();
  await cache.put(PAGE, response.clone());
  const files = named(html);
  await Promise.all(
    files
      .filter((f) => HASHED.test(f))
      .map(async (f) => (await cache.match(f)) || cache.add(f).catch(() => {})),
  );
  await prune(cache, html);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(WORKER_FILES.map((f) => new URL(f, PAGE).href));
      await keep(cache, await fetch(PAGE, { cache: "no-cache" }));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

// Drops cached hashed files that the page `html` does not name.
async function prune(cache, html) {
  for (const request of await cache.keys()) {
    const name = new URL(request.url).pathname.split("/").pop();
    if (HASHED.test(name) && !html.includes(name)) {
      await cache.delete(request);
    }
  }
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    // Past the browser's HTTP cache too: a new deploy is seen at once.
    const response = await fetch(request.url, { cache: "no-cache", credentials: "same-origin" });
    if (response.ok) {
      if (key === PAGE) {
        await keep(cache, response);
      } else {
        await cache.put(key, response.clone());
      }
    }
    return response;
  } catch (offline) {
    const cached = await cache.match(key);
    if (cached) {
      return cached;
    }
    throw offline;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.href.startsWith(PAGE)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, PAGE));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request, url.href));
  }
});
