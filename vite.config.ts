import { readdirSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { ISOLATION_HEADERS, PRODUCTION_HEADERS, headersFile } from './scripts/securityHeaders';

// Headers (scripts/securityHeaders.ts): cross-origin isolation (COOP/COEP) so multi-threaded WASM can use
// SharedArrayBuffer, on the dev server and in preview; the production Content-Security-Policy in preview and in
// dist/_headers. Any static host must send them too (see README, Deploying). The dev server keeps index.html's looser
// <meta> policy (Vite's client needs inline scripts and a WebSocket); the build drops that <meta>.

/** Lists every emitted file and the sample study in precache.json, for the service worker (public/sw.js). */
function precacheManifest(): Plugin {
  return {
    name: 'lucid-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const sample = readdirSync('public/sample').map((f) => `sample/${f}`);
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== HEADERS_FILE);
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify([...files, ...sample, 'favicon.svg']) });
    },
  };
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

export default defineConfig({
  plugins: [react(), precacheManifest(), productionHeaders()],
  server: { headers: { ...ISOLATION_HEADERS }, host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { headers: { ...PRODUCTION_HEADERS }, host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: ['dicom-parser', 'cornerstone-core', 'cornerstone-tools', 'cornerstone-math', 'hammerjs', 'comlink', 'fflate', 'jpeg-lossless-decoder-js', 'idb', 'uplot', 'ts-fsrs', 'dcmjs'],
  },
  build: { target: 'es2022', sourcemap: true },
});
