// Inference worker entry: exposes the inference API over comlink. Model files and ORT's WASM come from the app's own
// origin (Vite ?url assets, cached by the service worker for offline use). Worker thread.
import * as Comlink from 'comlink';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import srX2 from '../models/sr-x2/model.onnx?url';
import denoise from '../models/denoise/model.onnx?url';
import anomaly from '../models/anomaly/model.onnx?url';
import type { ModelId } from '../models/catalog';
import { createInferenceApi } from './inference/inferenceApi';
import { createRuntime, type Backend } from './inference/runtime';
import { createSessionStore } from './inference/sessions';
import { workerSide } from './inference/workerSide';

const MODEL_URLS: Record<ModelId, string> = { 'sr-x2': srX2, denoise, anomaly };

async function fetchModel(id: ModelId): Promise<Uint8Array> {
  const res = await fetch(MODEL_URLS[id]);
  if (!res.ok) throw new Error(`HTTP ${res.status} for the ${id} model`);
  return new Uint8Array(await res.arrayBuffer());
}

// The worker's name may carry a backend and a thread count ('lucid-inference:wasm:1'), for comparisons and the bench.
const [, backend, threads] = self.name.split(':');
const prefer = (backend || 'auto') as Backend | 'auto';
const requested = Number(threads) || undefined;
const api = createRuntime({ wasmUrl: ortWasm, prefer, threads: requested }).then((rt) => createInferenceApi(rt, createSessionStore(rt, fetchModel)));
Comlink.expose(workerSide(api));
