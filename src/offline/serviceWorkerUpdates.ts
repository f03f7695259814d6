// Registers the production build's service worker (Workbox, written by vite-plugin-pwa: vite.config.ts) and says
// when a new version has installed and waits. Applying it is the person's choice (the update notice): the page is
// never reloaded by itself, since that would lose work in progress. UI thread.
import { useSyncExternalStore } from 'react';
import { Workbox } from 'workbox-window';

/** How often a long-open page asks the server for a new version (the browser also checks on each navigation). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

let applyUpdate: (() => void) | null = null;
const listeners = new Set<() => void>();

/**
 * Registers `sw.js` (once, after the page has loaded, so precaching does not compete with the first render).
 * When a new version is waiting, `useUpdateReady` returns the function that applies it.
 */
export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  let registration: ServiceWorkerRegistration | undefined;
  wb.addEventListener('waiting', () => {
    applyUpdate = () => {
      // Another tab may have applied it already: then this page only needs the reload.
      if (!registration?.waiting) { window.location.reload(); return; }
      navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
      wb.messageSkipWaiting();
    };
    for (const l of listeners) l();
  });
  window.addEventListener('load', () => {
    void wb.register().then((r) => {
      registration = r;
      if (r) setInterval(() => { r.update().catch(() => { /* offline: try again later */ }); }, CHECK_EVERY_MS);
    });
  });
}

/** The function that applies a waiting new version (reloading into it), or null while there is none. */
export function useUpdateReady(): (() => void) | null {
  return useSyncExternalStore(subscribe, () => applyUpdate);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}
