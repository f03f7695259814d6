import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP/COEP) so multi-threaded WASM can use SharedArrayBuffer; same headers in preview.
// Any static host must send them too (see README).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation, host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { headers: isolation, host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: ['dicom-parser', 'cornerstone-core', 'cornerstone-tools', 'cornerstone-math', 'hammerjs', 'comlink', 'fflate', 'jpeg-lossless-decoder-js'],
  },
  build: { target: 'es2022', sourcemap: true },
});
