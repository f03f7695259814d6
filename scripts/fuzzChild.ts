// One fuzz worker process (forked by scripts/fuzz.ts with --expose-gc): runs cases [start, end) of a seed through
// inspectBytes (all frames), messaging the parent before each case and after it, so the parent can tell a hang from
// slow progress. Each case's peak RSS is measured from a reset (bench/peakRss.ts), after a GC.
import { inspectBytes } from '../src/dicom/inspectFile';
import { warmCodec } from '../src/dicom/codecs/wasmCodecs';
import { peakRssBytes, resetPeakRss } from '../bench/peakRss';
import { declaredFrameBytes, fuzzCase, readCorpus } from './fuzzCase';

export type FuzzMessage =
  | { t: 'ready' }
  | { t: 'start'; i: number }
  | { t: 'done'; i: number; name: string; message: string; ms: number; rssDelta: number; bytes: number; frameBytes: number }
  | { t: 'end'; next: number };

const RECYCLE_BYTES = 32 * 2 ** 20; // without a peak reset: bounds how much an earlier high-water mark inflates a case's peak

async function main(): Promise<void> {
  const [corpusPath, seedArg, startArg, endArg, stallArg] = process.argv.slice(2);
  const stallAt = stallArg ? Number(stallArg) : -1;
  const corpus = readCorpus(corpusPath!);
  const seed = Number(seedArg), end = Number(endArg);
  const send = (m: FuzzMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  // Codec WASM heaps are set up before the first case, so the first case of a codec is not charged for them.
  for (const codec of ['charls', 'openjpeg', 'openjph', 'libjpeg-turbo'] as const) await warmCodec(codec);
  await send({ t: 'ready' });
  const start = Number(startArg);
  let i = start;
  for (; i < end; i++) {
    const c = fuzzCase(corpus, seed, i);
    gc();
    const resettable = resetPeakRss();
    const rss0 = process.memoryUsage().rss;
    if (!resettable && i > start && peakRssBytes() - rss0 > RECYCLE_BYTES) break; // the old peak would hide this case's own
    await send({ t: 'start', i });
    const t0 = performance.now();
    while (i === stallAt); // the watchdog self-test (--stall-at): spin until killed
    const { record } = await inspectBytes(`case ${i}`, c.bytes, { allFrames: true });
    const ms = performance.now() - t0;
    const peak = peakRssBytes();
    await send({
      t: 'done', i, name: record.ok ? 'ok' : record.error!.name, message: record.error?.message ?? '', ms,
      rssDelta: Math.max(0, peak - rss0), bytes: c.bytes.length, frameBytes: declaredFrameBytes(record),
    });
  }
  await send({ t: 'end', next: i });
  process.disconnect();
}

if (process.send) await main();
