// One bench measurement in its own process (onnxruntime-web fixes its WASM thread count when it starts):
//   npx tsx bench/ortWebRun.ts <threads>
// Prints one JSON line: per model, median ms of the raw model run and of the whole API call (pre + run + post)
// on a 512 × 512 CT phantom slice, with onnxruntime-web's WASM backend in Node; and for each previous model kept in
// bench/previous/ (out of the app bundle), the raw run on the input size it took.
import { readFileSync } from 'node:fs';
import { MODEL_CATALOG, type ModelId } from '../models/catalog';
import { createInferenceApi } from '../workers/inference/inferenceApi';
import { createRuntime } from '../workers/inference/runtime';
import { createSessionStore } from '../workers/inference/sessions';
import { benchSlice, median, previousModels, REPEATS } from './benchSlice';

const threads = Number(process.argv[2] ?? 1);
const runtime = await createRuntime({ env: { webgpu: false, crossOriginIsolated: true, cores: threads }, threads });
const store = createSessionStore(runtime, async (id) => new Uint8Array(readFileSync(`models/${MODEL_CATALOG[id].file}`)));
const api = createInferenceApi(runtime, store);
const { image, normalised } = benchSlice();
const out: Record<string, { runMs: number; apiMs: number }> = {};
for (const id of Object.keys(MODEL_CATALOG) as ModelId[]) {
  const session = await store.get(id);
  const x = normalised(id);
  const runs: number[] = [], calls: number[] = [];
  await session.run(x.data, x.dims);
  for (let i = 0; i < REPEATS; i++) {
    let t = performance.now();
    await session.run(x.data, x.dims);
    runs.push(performance.now() - t);
    t = performance.now();
    if (id === 'anomaly') await api.screen(image); else await api.enhance(id, image);
    calls.push(performance.now() - t);
  }
  out[id] = { runMs: median(runs), apiMs: median(calls) };
}
const previous: Record<string, { runMs: number }> = {};
for (const p of previousModels()) {
  // The same runtime (one onnxruntime-web, its thread count) as today's models, not a second import of the library.
  const session = await runtime.createSession(p.bytes, p.label);
  await session.run(p.input.data, p.input.dims);
  const runs: number[] = [];
  for (let i = 0; i < REPEATS; i++) { const t = performance.now(); await session.run(p.input.data, p.input.dims); runs.push(performance.now() - t); }
  previous[p.label] = { runMs: median(runs) };
  await session.release();
}
console.log(JSON.stringify({ threads: runtime.plan.threads, out, previous }));
