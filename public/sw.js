// Lucid service worker: keeps the app, its WASM codecs and the sample study available offline.
// Precaches what the build lists in precache.json, then serves same-origin GETs network-first with the cache as
// fallback (so a new deploy is picked up when online). Never touches other origins: Lucid makes no such requests.
const CACHE = 'lucid-v1';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const res = await fetch('precache.json', { cache: 'no-store' });
    const urls = res.ok ? await res.json() : [];
    await cache.addAll(['./', ...urls]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(event.request);
      if (res.ok && res.type === 'basic') cache.put(event.request, res.clone());
      return res;
    } catch (err) {
      const hit = (await cache.match(event.request, { ignoreSearch: true, ignoreVary: true })) ?? (event.request.mode === 'navigate' ? await cache.match('./', { ignoreVary: true }) : undefined);
      if (hit) return hit;
      throw err;
    }
  })());
});
