// Inference benchmark (prints measured numbers; never pass/fail), one 512 × 512 CT slice per model:
//  1. Node: onnxruntime-web WASM with 1 and 2 threads (each in its own process: ORT fixes its thread count when it
//     starts) against onnxruntime-node (native) with 1 and 2 threads on the same tensor; ratio web / native.
//  2. Chromium (when /usr/bin/chromium exists): the app's own worker (WASM, 1 and 2 threads) running a 3-slice
//     series per model; ms per slice as measured in the worker, series throughput, and the longest main-thread task
//     (PerformanceObserver 'longtask') while the series runs and the user scrolls.
//     Chromium runs the production build (vite build + vite preview), as users get it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { MODEL_CATALOG, type ModelId } from '../models/catalog';
import { benchSlice, median, REPEATS } from './benchSlice';
import { measurePeak, peakInput } from './wasmPeak';
import { MAX_THREADS, planBackends } from '../workers/inference/runtime';
import type { UiThreadTime } from './seriesRun';
import { speedBlock, writeCardSpeed, type SpeedRow } from './cardSpeed';

const IDS = Object.keys(MODEL_CATALOG) as ModelId[];
type Row = Record<string, { runMs: number; apiMs: number }>;
type Previous = Record<string, { runMs: number }>;

function ortWebRun(threads: number): { out: Row; previous: Previous } {
  const out = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bench/ortWebRun.ts', String(threads)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { out: Row; previous: Previous };
}

async function ortNode(threads: number): Promise<Record<string, number>> {
  const ort = await import('onnxruntime-node');
  const { normalised } = benchSlice();
  const out: Record<string, number> = {};
  for (const id of IDS) {
    const s = await ort.InferenceSession.create(readFileSync(`models/${MODEL_CATALOG[id].file}`), { intraOpNumThreads: threads, interOpNumThreads: 1 });
    const x = normalised(id);
    const feeds = { [s.inputNames[0]!]: new ort.Tensor('float32', x.data, x.dims) };
    await s.run(feeds);
    const t: number[] = [];
    for (let i = 0; i < REPEATS; i++) { const t0 = performance.now(); await s.run(feeds); t.push(performance.now() - t0); }
    out[id] = median(t);
    await s.release();
  }
  return out;
}

async function nodeBench(): Promise<{ web1: Row; nat1: Record<string, number> }> {
  console.log(`\n# Inference in Node ${process.version}, 512 × 512 CT slice, median of ${REPEATS} after a warm-up (ms per slice)`);
  console.log('model     web 1T run  web 1T call  native 1T  ratio 1T | web 2T run  web 2T call  native 2T  ratio 2T');
  const run1 = ortWebRun(1), run2 = ortWebRun(2);
  const web1 = run1.out, web2 = run2.out;
  const nat1 = await ortNode(1), nat2 = await ortNode(2);
  for (const id of IDS) {
    const f = (v: number) => v.toFixed(0).padStart(10);
    console.log(`${id.padEnd(9)}${f(web1[id]!.runMs)} ${f(web1[id]!.apiMs)}  ${f(nat1[id]!)}  ${(web1[id]!.runMs / nat1[id]!).toFixed(2).padStart(7)}× |`
      + `${f(web2[id]!.runMs)} ${f(web2[id]!.apiMs)}  ${f(nat2[id]!)}  ${(web2[id]!.runMs / nat2[id]!).toFixed(2).padStart(7)}×`);
  }
  console.log('run = model only (onnxruntime-web vs onnxruntime-node on the same tensor; goal ratio ≤ 1.5×); call = preprocess + tiled run + postprocess.');
  console.log('\n# Previous models (bench/previous/, not in the app bundle) in the same run: web run ms per 512 × 512 slice, 1T and 2T, and a 300-slice series at 1T');
  for (const [label, v] of Object.entries(run1.previous)) {
    console.log(`${label}: ${v.runMs.toFixed(0)} ms (1T), ${run2.previous[label]!.runMs.toFixed(0)} ms (2T); 300 slices at 1T ${(v.runMs * 300 / 60_000).toFixed(1)} min`);
  }
  for (const id of IDS) console.log(`${id} today: ${web1[id]!.apiMs.toFixed(0)} ms per call (1T), 300 slices at 1T ${(web1[id]!.apiMs * 300 / 60_000).toFixed(1)} min`);
  return { web1, nat1 };
}

type Peaks = { label: string; gflops: number }[];

/** Why the ratio is what it is: the arithmetic each side reaches against the most WASM SIMD can do on this CPU. */
function ratioBound(web1: Row, nat1: Record<string, number>, peaks: Peaks): void {
  console.log('\n# The smallest web/native ratio any WASM build can reach here (bench/wasmPeak.ts: one thread, f32x4 chains)');
  for (const p of peaks) console.log(`WASM SIMD peak, ${p.label}: ${Number.isNaN(p.gflops) ? 'not supported' : `${p.gflops.toFixed(1)} GFLOP/s`}`);
  const usable = peaks.filter((p) => !Number.isNaN(p.gflops));
  console.log(`model     GFLOPs/slice  web 1T GFLOP/s  native 1T GFLOP/s  ${usable.map((p) => `bound (${p.label})`).join('  ')}`);
  for (const id of IDS) {
    const gflop = MODEL_CATALOG[id].flopsPer512Input / 1e9;
    const web = gflop / (web1[id]!.runMs / 1000), nat = gflop / (nat1[id]! / 1000);
    console.log(`${id.padEnd(9)}${gflop.toFixed(1).padStart(13)}  ${web.toFixed(1).padStart(14)}  ${nat.toFixed(1).padStart(17)}  `
      + usable.map((p) => `${(nat / p.gflops).toFixed(2)}×`.padStart(p.label.length + 8)).join('  '));
  }
  console.log('bound = native GFLOP/s ÷ WASM peak: even a WASM build running at its SIMD peak needs that many times native time.');
}

export async function browserBench(): Promise<Peaks> {
  if (!existsSync('/usr/bin/chromium')) { console.log('\n# Chromium inference: skipped (no /usr/bin/chromium)'); return []; }
  const { startHarness, stopHarness } = await import('../test/e2e/harness');
  const { openSeries, runSeriesWhileScrolling, uiThreadTime, SERIES } = await import('./seriesRun');
  const h = await startHarness(5196, [], 'preview');
  const speed = new Map<ModelId, SpeedRow[]>();
  console.log(`\n# Inference in Chromium (production build via vite preview; the app's worker, WASM), a ${SERIES.length}-slice 512 × 512 CT series per model`);
  console.log('threads  model     first slice ms  ms/slice (rest)  300-slice series  slices/min  longest main-thread task  tasks ≥ 50 ms  UI thread on a core / waiting for one  (while loading the model: longest task)');
  try {
    for (const threads of [1, 2]) {
      const page = await openSeries(h, threads, `globalThis.__lucidInferenceLog = []; globalThis.__lucidLong = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__lucidLong.push(e.duration); }).observe({ type: 'longtask', buffered: true });`);
      type G = { __lucidInferenceLog: { ms: number }[]; __lucidLong: number[] };
      const longTasks = () => page.evaluate(() => { const g = globalThis as unknown as G; const l = g.__lucidLong; g.__lucidLong = []; return l; });
      for (const id of IDS) {
        await page.evaluate(() => { const g = globalThis as unknown as G; g.__lucidInferenceLog = []; g.__lucidLong = []; });
        let loading: number[] = [];
        const at: { before: UiThreadTime | null } = { before: null };
        const wall = await runSeriesWhileScrolling(page, id, async () => { loading = await longTasks(); at.before = await uiThreadTime(h.browser); });
        const before = at.before;
        const after = await uiThreadTime(h.browser);
        const long = await longTasks();
        const log = await page.evaluate(() => (globalThis as unknown as G).__lucidInferenceLog.map((e) => e.ms));
        const rest = log.slice(1);
        const per = rest.length ? rest.reduce((a, b) => a + b, 0) / rest.length : NaN;
        const longest = (l: number[]) => (l.length ? `${Math.max(...l).toFixed(0)} ms` : '< 50 ms (none)');
        const ui = before && after ? `${(after.cpuMs - before.cpuMs).toFixed(0)} ms / ${(after.waitMs - before.waitMs).toFixed(0)} ms` : 'n/a (no /proc)';
        if (Number.isFinite(per)) speed.set(id, [...(speed.get(id) ?? []), { threads, msPerSlice: per }]);
        console.log(`${String(threads).padEnd(9)}${id.padEnd(10)}${(log[0] ?? NaN).toFixed(0).padStart(14)}  ${per.toFixed(0).padStart(15)}  ${`${(per * 300 / 60_000).toFixed(1)} min`.padStart(16)}  ${(60_000 / (wall / Math.max(1, log.length))).toFixed(1).padStart(10)}  ${longest(long).padStart(24)}  ${String(long.length).padStart(12)}  ${ui.padStart(37)}  (${longest(loading)})`);
      }
      await page.close();
    }
    console.log('The model is chosen and loaded first, as a person would (the panel loads it when they point at it and says when it is ready); the run is timed from the click on Run.');
    console.log('first slice = the first result after Run; 300-slice series = ms/slice (rest) × 300; slices/min from wall time; long tasks from PerformanceObserver(\'longtask\') during the run, while the page scrolls.');
    console.log('UI thread on a core / waiting for one: /proc schedstat of the renderer\'s main thread during the run. Waiting is time it was ready to run but every core was busy (model threads, compositor, compilers).');
    const page = await h.browser.newPage();
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.goto(`${h.url}?empty`);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const defaultThreads = planBackends({ webgpu: false, crossOriginIsolated: true, cores, page: true }).threads;
    console.log(`without ?threads the app runs ${defaultThreads} WASM thread(s) on this ${cores}-core machine (every core but one, at most ${MAX_THREADS}).`);
    if (process.env.BENCH_WRITE_CARDS === '1') {
      const date = new Date().toISOString().slice(0, 10);
      for (const [id, rows] of speed) writeCardSpeed(`models/${MODEL_CATALOG[id].card}`, speedBlock(rows, { cores, defaultThreads, date }));
      console.log(`wrote these ms per slice into the SPEED block of ${[...speed.keys()].join(', ')}'s model cards`);
    }
    return [
      { label: 'Chromium mul+add', gflops: await page.evaluate(measurePeak, peakInput(false)) },
      { label: 'Chromium relaxed FMA', gflops: await page.evaluate(measurePeak, peakInput(true)) },
    ];
  } finally {
    await stopHarness(h);
  }
}

export async function inferenceBench(): Promise<void> {
  const { web1, nat1 } = await nodeBench();
  const browserPeaks = await browserBench();
  if (existsSync('/usr/bin/chromium')) await (await import('./previousChromium')).previousInChromium();
  ratioBound(web1, nat1, [{ label: 'Node mul+add', gflops: await measurePeak(peakInput(false)) }, ...browserPeaks]);
}
