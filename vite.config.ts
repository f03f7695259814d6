import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { ISOLATION_HEADERS, PRODUCTION_HEADERS, dicomwebOrigins, headersFile } from './scripts/securityHeaders';
import { APP_ICONS, ICON_BACKGROUND, renderAppIcon } from './scripts/appIcons';

// Headers (scripts/securityHeaders.ts): cross-origin isolation (COOP/COEP) so multi-threaded WASM can use
// SharedArrayBuffer, on the dev server and in preview; the production Content-Security-Policy in preview and in
// dist/_headers. Any static host must send them too (see README, Deploying). The dev server keeps index.html's looser
// <meta> policy (Vite's client needs inline scripts and a WebSocket); the build drops that <meta>.

/**
 * Which build this is: LUCID_BUILD_ID, else the time of the build. Shown as <html data-build> (src/main.tsx), so a
 * person or a test can tell which version the service worker is serving.
 */
const BUILD_ID = process.env.LUCID_BUILD_ID ?? new Date().toISOString();

/** Emits the manifest's icons (scripts/appIcons.ts), drawn at build time from favicon.svg's design. */
function appIconFiles(): Plugin {
  return {
    name: 'lucid-app-icons',
    apply: 'build',
    generateBundle() {
      for (const icon of APP_ICONS) this.emitFile({ type: 'asset', fileName: icon.fileName, source: renderAppIcon(icon) });
    },
  };
}

/**
 * Offline and installable (production build only): vite-plugin-pwa writes the web app manifest and a Workbox
 * service worker (sw.js, with Workbox's runtime as a file of the build: nothing from a CDN) that precaches every
 * file the app serves: the app shell, the codecs' and onnxruntime-web's WASM, the models and the sample study. Each
 * entry is versioned (a content hash in its name, or a revision); an update downloads what changed, and when it
 * activates it removes what the old version had and this one does not. The new version waits until the person
 * chooses to reload (src/offline/serviceWorkerUpdates.ts); nothing reloads the page by itself.
 */
function offline(): Plugin[] {
  return VitePWA({
    registerType: 'prompt',
    injectRegister: false, // src/offline/serviceWorkerUpdates.ts registers it with workbox-window
    manifest: {
      id: './',
      name: 'Lucid',
      short_name: 'Lucid',
      description: 'Browser workbench for enhancing and screening medical images, for teaching and review (not diagnosis).',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: ICON_BACKGROUND, // the header's colour
      background_color: '#111111', // the page's
      icons: APP_ICONS.map((i) => ({ src: i.fileName, sizes: `${i.size}x${i.size}`, type: 'image/png', purpose: i.purpose })),
    },
    includeManifestIcons: false, // the icons are in the glob below
    workbox: {
      globPatterns: ['**/*.{html,js,mjs,css,wasm,onnx,svg,png,json,dcm}'], // the plugin adds the manifest
      // onnxruntime-web's WASM is the largest file (about 26 MB); Workbox skips anything above its 2 MiB default.
      maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
      // Files with a content hash in their name need no revision of their own.
      dontCacheBustURLsMatching: /^assets\//,
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
      clientsClaim: true, // the first visit is controlled at once; an update still waits for the person
      // Removes the first, hand-written service worker's cache ('lucid-v1', one constant name) when this one activates.
      importScripts: ['sw-legacy-cleanup.js'],
      sourcemap: false,
    },
  });
}

const HEADERS_FILE = '_headers';

/**
 * Production headers for static hosts: writes dist/_headers (Netlify, Cloudflare Pages) and removes index.html's
 * development CSP <meta>, so the header is the one policy in force (a <meta> would also have to list any DICOMweb
 * server a deployment adds).
 */
function productionHeaders(): Plugin {
  return {
    name: 'lucid-production-headers',
    apply: 'build',
    transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: HEADERS_FILE, source: headersFile() });
    },
  };
}

/** The dev server's <meta> policy lists the DICOMweb servers too (the build removes the <meta> for the header). */
function devDicomwebOrigins(): Plugin {
  return {
    name: 'lucid-dev-dicomweb-origins',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/(<meta http-equiv="Content-Security-Policy"[^>]*connect-src 'self')/, `$1${dicomwebOrigins().map((o) => ` ${o}`).join('')}`),
  };
}

export default defineConfig({
  plugins: [react(), productionHeaders(), devDicomwebOrigins(), appIconFiles(), offline()],
  define: { 'import.meta.env.LUCID_BUILD_ID': JSON.stringify(BUILD_ID), 'import.meta.env.LUCID_DICOMWEB_ORIGINS': JSON.stringify(dicomwebOrigins()) },
  server: { headers: { ...ISOLATION_HEADERS }, host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { headers: { ...PRODUCTION_HEADERS }, host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: ['dicom-parser', 'cornerstone-core', 'cornerstone-tools', 'cornerstone-math', 'hammerjs', 'comlink', 'fflate', 'jpeg-lossless-decoder-js', 'idb', 'uplot', 'ts-fsrs', 'dcmjs', 'workbox-window'],
  },
  build: { target: 'es2022', sourcemap: true },
});
