// Imported by the Workbox service worker (vite.config.ts): removes the cache of Lucid's first, hand-written service
// worker, which had one constant name, when this one activates.
self.addEventListener('activate', (event) => { event.waitUntil(caches.delete('lucid-v1')); });
