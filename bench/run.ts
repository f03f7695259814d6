// Benchmark (prints measured numbers; never pass/fail): a generated 300-slice 512×512 CT series.
//  1. Node: parse + decode ms per slice and MB/s for uncompressed, JPEG-LS, JPEG 2000, RLE (same code as the worker).
//  2. Chromium (when /usr/bin/chromium exists): drop → first image and → whole series indexed; memory after load.
//  3. Inference (bench/inference.ts): onnxruntime-web vs onnxruntime-node per model, and the app's worker in Chromium.
//  4. Teaching sets (bench/teaching.ts): a 100-case packet imported, opened and exported in Chromium; IndexedDB bytes per case.
//  5. Burned-in text screen (bench/burnedIn.ts): ms per frame, 256² to 2048², with and without text.
//  6. De-identification (bench/deidentify.ts): ms per file and MB/s on the sample, the real MR and the CT series.
//  7. Robustness (bench/robustness.ts): time and peak memory of the worst hostile or slow file of each class, one process each.
//  8. DICOMweb streaming (bench/dicomweb.ts): a 300-image CT series from a local Orthanc, in Node and in the app in Chromium.
//  9. Batch on BullMQ + Redis (bench/batch.ts): studies/min with 1 and 2 worker processes, and 10,000 studies estimated.
// BENCH_ONLY=decode, inference, teaching, burnedin, deid, robustness, dicomweb or batch runs one part.
// The 300 slices cycle through 20 distinct phantom slices (generating 300 unique 512² phantoms takes minutes);
// every file is parsed and decoded on its own, so the per-slice costs are real.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { parseInstance } from '../src/dicom/parseInstance';
import { decodeFrame } from '../src/dicom/decodeFrame';
import { syntheticImage, type SeriesSpec } from '../src/dicom/synthetic/sampleStudy';
import { writeDicom, encapsulate } from '../src/dicom/writeDicom';
import { TS_UID } from '../src/dicom/transferSyntax';
import { encodeRle } from '../test/fixtures/encoders/encodeRle';
import { encodeJ2k, encodeJpegLs } from '../test/fixtures/encoders/encodeWasm';
import { warmCodec } from '../src/dicom/codecs/wasmCodecs';
import { inferenceBench } from './inference';
import { teachingBench } from './teaching';
import { burnedInBench } from './burnedIn';
import { deidentifyBench } from './deidentify';
import { robustnessBench } from './robustness';
import { dicomwebBench } from './dicomweb';
import { batchBench } from './batch';

const SLICES = Number(process.env.BENCH_SLICES ?? 300);
const DISTINCT = 20;
const spec: SeriesSpec = { modality: 'CT', size: 512, slices: SLICES, seriesNumber: 9, description: 'Benchmark CT 300 × 512²', spacing: 0.7, sliceSpacing: 1, studyUID: '1.2.826.0.1.3680043.10.1401.9' };

async function encodeSeries(ts: string): Promise<Uint8Array[]> {
  const distinct = Array.from({ length: DISTINCT }, (_, i) => syntheticImage({ ...spec, slices: DISTINCT }, i).stored);
  const files: Uint8Array[] = [];
  const encodedCache = new Map<number, Uint8Array>();
  for (let i = 0; i < SLICES; i++) {
    const img = syntheticImage({ ...spec }, 0); // header elements for slice i are rebuilt below
    const stored = distinct[i % DISTINCT]!;
    const els = img.elements.map((e) => {
      if (e.tag === 0x00080018) return { ...e, value: `${spec.studyUID}.9.${i + 1}` };
      if (e.tag === 0x00200013) return { ...e, value: i + 1 };
      if (e.tag === 0x00200032) return { ...e, value: [-179.2, -179.2, i * spec.sliceSpacing] };
      return e;
    });
    let pixel: Uint8Array | null = encodedCache.get(i % DISTINCT) ?? null;
    const input = { pixels: new Uint8Array(stored.buffer), rows: 512, columns: 512, components: 1 as const, bitsPerSample: 12, signed: false };
    if (!pixel && ts !== TS_UID.explicitLE) {
      pixel = ts === TS_UID.rle ? encodeRle(input.pixels, 512, 512, 1, 2) : ts === TS_UID.jpegLS ? await encodeJpegLs(input) : await encodeJ2k(input);
      encodedCache.set(i % DISTINCT, pixel);
    }
    const withPixels = els.map((e) => (e.tag === 0x7fe00010 && pixel ? { tag: e.tag, vr: 'OB', value: encapsulate([pixel]) } : e));
    files.push(writeDicom(withPixels, { transferSyntaxUID: ts }));
  }
  return files;
}

async function nodeBench(): Promise<Uint8Array[]> {
  const rawBytes = SLICES * 512 * 512 * 2;
  console.log(`\n# Node ${process.version}: parse + decode, ${SLICES} slices of 512×512 × 16-bit (${(rawBytes / 2 ** 20).toFixed(0)} MiB of pixels)`);
  console.log('syntax                        file MiB   ms/slice   MB/s (pixels)');
  let uncompressed: Uint8Array[] = [];
  for (const [name, ts] of [['uncompressed (explicit LE)', TS_UID.explicitLE], ['JPEG-LS lossless', TS_UID.jpegLS], ['JPEG 2000 lossless', TS_UID.j2kLossless], ['RLE lossless', TS_UID.rle]] as const) {
    const files = await encodeSeries(ts);
    if (ts === TS_UID.explicitLE) uncompressed = files;
    await warmCodec('charls'); await warmCodec('openjpeg');
    await decodeFrame(parseInstance(files[0]!), 0); // warm up JIT and codec
    const t0 = performance.now();
    for (const f of files) await decodeFrame(parseInstance(f), 0);
    const ms = performance.now() - t0;
    const size = files.reduce((s, f) => s + f.length, 0) / 2 ** 20;
    console.log(`${name.padEnd(28)} ${size.toFixed(1).padStart(8)} ${(ms / SLICES).toFixed(2).padStart(10)} ${(rawBytes / 1e6 / (ms / 1000)).toFixed(0).padStart(10)}`);
  }
  return uncompressed;
}

async function browserBench(files: Uint8Array[]): Promise<void> {
  const chromiumPath = '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) { console.log('\n# Chromium: skipped (no /usr/bin/chromium)'); return; }
  const { startHarness, stopHarness } = await import('../test/e2e/harness');
  const dir = 'public/bench-series';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  files.forEach((f, i) => writeFileSync(`${dir}/${String(i).padStart(3, '0')}.dcm`, f));
  const h = await startHarness(5198);
  try {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript('globalThis.__name = (f) => f;'); // tsx's keepNames helper inside evaluate()
    await page.goto(`${h.url}?empty`);
    await page.waitForSelector('[data-testid=app]');
    const result = await page.evaluate(async (n) => {
      const files: File[] = [];
      for (let i = 0; i < n; i++) {
        const name = `${String(i).padStart(3, '0')}.dcm`;
        files.push(new File([await (await fetch(`/bench-series/${name}`)).blob()], name));
      }
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(f);
      const app = document.querySelector('[data-testid=app]')!;
      const t0 = performance.now();
      let first = 0;
      let all = 0;
      await new Promise<void>((resolve) => {
        const check = () => {
          const slice = document.querySelector('[data-testid=overlay-slice]')?.textContent ?? '';
          const canvas = document.querySelector('[data-testid=viewport] canvas') as HTMLCanvasElement | null;
          if (!first && canvas && /^Slice 1\//.test(slice) && canvas.width > 0) first = performance.now() - t0;
          const count = Number(document.querySelector('[data-testid=series-count]')?.textContent ?? 0);
          if (!all && count === n && !document.querySelector('[data-testid=progress]')) all = performance.now() - t0;
          if (first && all) resolve(); else requestAnimationFrame(check);
        };
        app.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        requestAnimationFrame(check);
      });
      let memory = -1;
      const m = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }).measureUserAgentSpecificMemory;
      if (m && crossOriginIsolated) {
        try { memory = (await Promise.race([m.call(performance), new Promise<{ bytes: number }>((_, rej) => setTimeout(() => rej(new Error('timeout')), 60000))])).bytes; } catch { memory = -1; }
      }
      const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? -1;
      return { first, all, memory, heap };
    }, files.length);
    const raw = files.length * 512 * 512 * 2;
    console.log(`\n# Chromium (${files.length} uncompressed slices dropped; decode in the worker)`);
    console.log(`drop → first image:          ${result.first.toFixed(0)} ms   (goal < 300 ms)`);
    console.log(`drop → whole series indexed: ${result.all.toFixed(0)} ms   (goal < 2000 ms)`);
    console.log(`raw pixel bytes:             ${(raw / 2 ** 20).toFixed(1)} MiB`);
    console.log(`main-thread JS heap:         ${(result.heap / 2 ** 20).toFixed(1)} MiB (${(result.heap / raw).toFixed(2)}× raw)`);
    if (result.memory > 0) console.log(`page + workers memory:       ${(result.memory / 2 ** 20).toFixed(1)} MiB (${(result.memory / raw).toFixed(2)}× raw; goal < 1.3×)`);
    else console.log('page + workers memory:       not available (measureUserAgentSpecificMemory did not answer)');
  } finally {
    await stopHarness(h);
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.env.BENCH_ONLY;
const runs = (part: 'decode' | 'inference' | 'teaching' | 'burnedin' | 'deid' | 'robustness' | 'dicomweb' | 'batch') => !only || only === part;
let ctFiles: Uint8Array[] = [];
if (runs('decode')) {
  ctFiles = await nodeBench();
  await browserBench(ctFiles);
}
if (runs('deid')) deidentifyBench(ctFiles.length ? ctFiles : await encodeSeries(TS_UID.explicitLE));
if (runs('inference')) await inferenceBench();
if (runs('teaching')) await teachingBench();
if (runs('burnedin')) burnedInBench();
if (runs('robustness')) await robustnessBench();
if (runs('dicomweb')) await dicomwebBench();
if (runs('batch')) await batchBench();
