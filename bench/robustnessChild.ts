// One file of the robustness benchmark, in its own process (forked by bench/robustness.ts with --expose-gc), so its
// peak memory is its own: codecs warmed, a GC and a peak reset first, then the file read and inspected (all frames).
// Reports wall ms, the result name and the peak RSS (bench/peakRss.ts) above the RSS just before reading. Node only.
import { readFileSync } from 'node:fs';
import { inspectBytes } from '../src/dicom/inspectFile';
import { warmCodec } from '../src/dicom/codecs/wasmCodecs';
import { peakRssBytes, resetPeakRss } from './peakRss';

/** `floorBytes`: the peak already above the baseline before the file is read (0 where the peak can be reset). */
export interface RobustnessChildResult { result: string; message: string; ms: number; peakBytes: number; baselineBytes: number; floorBytes: number }

async function main(): Promise<void> {
  const path = process.argv[2]!;
  for (const codec of ['charls', 'openjpeg', 'openjph', 'libjpeg-turbo'] as const) await warmCodec(codec);
  (globalThis as { gc?: () => void }).gc?.();
  resetPeakRss();
  const baselineBytes = process.memoryUsage().rss;
  const floorBytes = peakRssBytes() - baselineBytes;
  const t0 = performance.now();
  const bytes = new Uint8Array(readFileSync(path));
  const { record } = await inspectBytes(path, bytes, { allFrames: true });
  const ms = performance.now() - t0;
  const peakBytes = peakRssBytes() - baselineBytes;
  const out: RobustnessChildResult = { result: record.ok ? 'ok' : record.error!.name, message: record.error?.message ?? '', ms, peakBytes, baselineBytes, floorBytes };
  process.send!(out, () => process.disconnect());
}

if (process.send) await main();
