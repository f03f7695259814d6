// DICOMweb streaming benchmark (prints measured numbers; never pass/fail): a generated 300-image 512² 16-bit CT
// series stored in a local Orthanc (Debian's, with its DICOMweb plugin; test/orthanc/orthanc.ts) in its original
// transfer syntax, uncompressed and RLE, then retrieved with transfer-syntax=*:
//  1. Node (bench/dicomwebChild.ts, own process): the client core alone: time to the first instance and to the whole
//     series, MB/s, the bytes the retrieval holds while streaming (per image) and the peak RSS growth.
//  2. Chromium (bench/dicomwebBrowser.ts): the production app opens the study from the study browser.
// Without Orthanc it prints "skipped: <reason>". Orthanc and every server are stopped at the end, also on error.
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { syntheticImage, SAMPLE_UID_ROOT, type SeriesSpec, type SyntheticImage } from '../src/dicom/synthetic/sampleStudy';
import { encapsulate, writeDicom, type WriteElement } from '../src/dicom/writeDicom';
import { TS_UID } from '../src/dicom/transferSyntax';
import { encodeRle } from '../test/fixtures/encoders/encodeRle';
import { median } from './benchSlice';
import { openInChromium, type BenchStudy } from './dicomwebBrowser';
import type { DicomwebChildRequest, SeriesResult } from './dicomwebChild';

const SLICES = Number(process.env.BENCH_SLICES ?? 300);
const REPEATS = Number(process.env.BENCH_DICOMWEB_REPEATS ?? 3);
/** Distinct phantom slices the series cycles through (a 512² phantom takes ~0.5 s); every file has its own UIDs. */
const DISTINCT = 20;
const SIZE = 512;
const ROOT = `${SAMPLE_UID_ROOT}.14`;
const MiB = 2 ** 20;

const STUDIES: BenchStudy[] = [
  { name: 'uncompressed', ts: TS_UID.explicitLE, patientId: 'BENCH-DICOMWEB-1', studyUID: `${ROOT}.1`, seriesUID: `${ROOT}.1.1` },
  { name: 'RLE lossless', ts: TS_UID.rle, patientId: 'BENCH-DICOMWEB-2', studyUID: `${ROOT}.2`, seriesUID: `${ROOT}.2.1` },
];

/** The study's files one at a time (uploaded and dropped, so the series is never held whole). */
function* benchFiles(study: BenchStudy, pool: SyntheticImage[]): Generator<Uint8Array> {
  const frames = new Map<number, Uint8Array>();
  const half = (SIZE * 0.7) / 2;
  for (let i = 0; i < SLICES; i++) {
    const img = pool[i % DISTINCT]!;
    const replace: Record<number, WriteElement['value']> = {
      0x00080018: `${study.seriesUID}.${i + 1}`, 0x0020000d: study.studyUID, 0x0020000e: study.seriesUID, 0x00200013: i + 1,
      0x00200032: [-half, -half, i], 0x00100020: study.patientId, 0x00081030: `Bench CT series (${study.name})`,
    };
    let elements = img.elements.map((e) => (e.tag in replace ? { ...e, value: replace[e.tag] } : e));
    if (study.ts === TS_UID.rle) {
      const frame = frames.get(i % DISTINCT) ?? encodeRle(new Uint8Array(img.stored.buffer), SIZE, SIZE, 1, 2);
      frames.set(i % DISTINCT, frame);
      elements = elements.map((e) => (e.tag === 0x7fe00010 ? { tag: e.tag, vr: 'OB', value: encapsulate([frame]) } : e));
    }
    yield writeDicom(elements, { transferSyntaxUID: study.ts });
  }
}

/** The Node half in its own process. */
function runChild(req: DicomwebChildRequest): Promise<SeriesResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, 'dicomwebChild.ts'), [JSON.stringify(req)], { execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: SeriesResult[] | null = null;
    child.on('message', (m) => { result = m as SeriesResult[]; });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the DICOMweb bench child exited with code ${code} and no result`))));
  });
}

const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (median of ${xs.length}: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

function printNode(results: SeriesResult[]): void {
  console.log(`\n# DICOMweb in Node ${process.version} (src/sources/dicomweb/wado.ts retrieveSeries, transfer-syntax=*, each part dropped after use; after one untimed warm-up retrieval)`);
  for (const [i, r] of results.entries()) {
    const study = STUDIES[i]!, run = r.runs[0]!, image = run.bytes / run.images;
    console.log(`${study.name}: ${run.images} instances, ${mib(run.bytes)} (${(image / 1024).toFixed(0)} KiB per image), arrived as ${r.transferSyntaxes.join(', ')} (stored as ${study.ts}); Content-Encoding ${r.contentEncoding}`);
    console.log(`  time to first instance:  ${ms(r.runs.map((x) => x.firstMs))}`);
    console.log(`  time to whole series:    ${ms(r.runs.map((x) => x.allMs))}`);
    console.log(`  throughput:              ${(run.bytes / 1e6 / (median(r.runs.map((x) => x.allMs)) / 1000)).toFixed(0)} MB/s (instance bytes / median whole-series time)`);
    console.log(`  same response read raw:  ${ms(r.rawMs)} (fetch + read to the end, no multipart parsing: the server and HTTP share)`);
    console.log(`  bytes held while streaming (received by the parser − parts released, framing of ${r.held.framingPerPart.toFixed(0)} B/part left out): peak ${mib(r.held.peakHeld)} = ${(r.held.peakHeld / image).toFixed(2)} images`);
    console.log(`  ArrayBuffer memory while a part is held (process.memoryUsage().arrayBuffers after a GC, above baseline): peak ${mib(r.held.peakArrayBuffers)} = ${(r.held.peakArrayBuffers / image).toFixed(2)} images; the same response read raw (HTTP stack alone): ${mib(r.held.peakArrayBuffersRaw)} = ${(r.held.peakArrayBuffersRaw / image).toFixed(2)} images`);
    console.log(`  peak RSS growth for the whole retrieval (no forced GC): ${r.runs.map((x) => mib(x.peakRssGrowth)).join(', ')} = ${r.runs.map((x) => (x.peakRssGrowth / image).toFixed(1)).join(', ')} images (the series is ${mib(run.bytes)})`);
  }
}

export async function dicomwebBench(): Promise<void> {
  const { orthancMissing, startOrthanc } = await import('../test/orthanc/orthanc');
  const missing = orthancMissing();
  if (missing) { console.log(`\n# DICOMweb streaming: skipped: ${missing}`); return; }
  const spec: SeriesSpec = { modality: 'CT', size: SIZE, slices: DISTINCT, seriesNumber: 1, description: 'Bench CT (DICOMweb)', spacing: 0.7, sliceSpacing: 1, studyUID: ROOT };
  const load = loadavg()[0]!.toFixed(1);
  const t0 = performance.now();
  const pool = Array.from({ length: DISTINCT }, (_, k) => syntheticImage(spec, k));
  const orthanc = await startOrthanc();
  try {
    const t1 = performance.now();
    let stored = 0;
    for (const study of STUDIES) for (const file of benchFiles(study, pool)) { await orthanc.upload(file); stored += file.length; }
    console.log(`\n# DICOMweb streaming: Orthanc (${orthanc.url}) holds ${STUDIES.length} studies of ${SLICES} CT images ${SIZE}² 16-bit (${STUDIES.map((s) => s.name).join(', ')}; ${mib(stored)}); phantoms ${((t1 - t0) / 1000).toFixed(1)} s, write + upload ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    printNode(await runChild({ dicomweb: orthanc.dicomweb, series: STUDIES.map((s) => ({ studyUID: s.studyUID, seriesUID: s.seriesUID })), repeats: REPEATS }));
    await openInChromium(orthanc.url, STUDIES, SLICES);
    console.log(`made on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, Orthanc ${await orthancVersion(orthanc.url)} on loopback, load average ${load} at the start; Chromium one run per study; ${SLICES} images of ${SIZE}×${SIZE} × 16 bit (${mib(SIZE * SIZE * 2)} of pixels each; ${DISTINCT} distinct phantom slices, every file its own UIDs)`);
    console.log(`transfer syntax: as stored (transfer-syntax=*, never transcoded): Explicit VR Little Endian ${TS_UID.explicitLE} and RLE Lossless ${TS_UID.rle}; times from the request (Node) or the click on Open (Chromium)`);
  } finally {
    await orthanc.stop();
  }
}

async function orthancVersion(url: string): Promise<string> {
  try { return ((await (await fetch(`${url}/system`)).json()) as { Version?: string }).Version ?? '?'; } catch { return '?'; }
}
