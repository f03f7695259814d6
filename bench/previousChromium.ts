// Previous models against today's, in Chromium, in the same run: each ONNX file's raw run (onnxruntime-web WASM, the
// same engine the app's worker uses) on the bench slice as that model takes it, at 1 and 2 threads (one page each:
// onnxruntime-web fixes its thread count when it starts). Today's models run on the input the app gives them (the
// anomaly model on the 256² working-resolution slice), previous ones on theirs (bench/previous/models.json). The
// page is served here, on loopback, with the cross-origin isolation the app has; nothing else is loaded.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { MODEL_CATALOG } from '../models/catalog';
import { launchChromium } from '../test/e2e/harness';
import { benchSlice, median, previousModels, REPEATS } from './benchSlice';

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.onnx': 'application/octet-stream' };

function serve(): Promise<Server> {
  const roots: Record<string, string> = { ort: 'node_modules/onnxruntime-web/dist', models: 'models', previous: 'bench/previous' };
  const server = createServer((req, res) => {
    const [, root, ...rest] = (req.url ?? '/').split('?')[0]!.split('/');
    const base = roots[root ?? ''];
    const file = base ? normalize(join(base, ...rest)) : null;
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    if (!file || !file.startsWith(normalize(base!))) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title>');
      return;
    }
    try {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Entry { label: string; url: string; data: number[]; dims: number[] }

export async function previousInChromium(): Promise<void> {
  const { normalised } = benchSlice();
  const entries: Entry[] = [
    ...previousModels().map((p) => ({ label: p.label, url: `/previous/${p.file}`, data: Array.from(p.input.data), dims: p.input.dims })),
    ...(['anomaly'] as const).map((id) => { const x = normalised(id); return { label: `${id} today`, url: `/models/${MODEL_CATALOG[id].file}`, data: Array.from(x.data), dims: x.dims }; }),
  ];
  const server = await serve();
  const browser = await launchChromium();
  const rows = new Map<string, number[]>();
  try {
    for (const threads of [1, 2]) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      for (const e of entries) {
        const times = await page.evaluate(async ({ e, threads, repeats }) => {
          const ort = await import('/ort/ort.wasm.min.mjs' as string) as typeof import('onnxruntime-web');
          ort.env.wasm.numThreads = threads;
          ort.env.wasm.wasmPaths = '/ort/';
          const session = await ort.InferenceSession.create(e.url, { executionProviders: ['wasm'] });
          const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(e.data), e.dims) };
          await session.run(feeds);
          const t: number[] = [];
          for (let i = 0; i < repeats; i++) { const t0 = performance.now(); await session.run(feeds); t.push(performance.now() - t0); }
          await session.release();
          return t;
        }, { e, threads, repeats: REPEATS });
        rows.set(e.label, [...(rows.get(e.label) ?? []), median(times)]);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log('\n# Previous models beside today\'s in Chromium, same run (bench/previous/, not in the app bundle): raw model run on a 512 × 512 CT slice as each model takes it');
  console.log('model                                                  1T ms/slice  2T ms/slice  300 slices at 1T');
  for (const [label, [t1, t2]] of rows) console.log(`${label.padEnd(55)}${t1!.toFixed(0).padStart(11)}  ${t2!.toFixed(0).padStart(11)}  ${`${(t1! * 300 / 60_000).toFixed(1)} min`.padStart(16)}`);
}
