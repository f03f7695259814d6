import { readdirSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP/COEP) so multi-threaded WASM can use SharedArrayBuffer; same headers in preview.
// Any static host must send them too (see README).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Lists every emitted file and the sample study in precache.json, for the service worker (public/sw.js). */
function precacheManifest(): Plugin {
  return {
    name: 'lucid-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const sample = readdirSync('public/sample').map((f) => `sample/${f}`);
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map'));
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify([...files, ...sample, 'favicon.svg']) });
    },
  };
}

export default defineConfig({
  plugins: [react(), precacheManifest()],
  server: { headers: isolation, host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { headers: isolation, host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: ['dicom-parser', 'cornerstone-core', 'cornerstone-tools', 'cornerstone-math', 'hammerjs', 'comlink', 'fflate', 'jpeg-lossless-decoder-js', 'idb', 'uplot', 'ts-fsrs', 'dcmjs'],
  },
  build: { target: 'es2022', sourcemap: true },
});
