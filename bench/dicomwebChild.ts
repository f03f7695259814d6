// The Node half of the DICOMweb benchmark, in its own process (forked by bench/dicomweb.ts with --expose-gc) so its
// memory is the retrieval's alone: WADO-RS retrieve of a series with transfer-syntax=* through the app's client core
// (src/sources/dicomweb/wado.ts), every part dropped as soon as it is counted. Timed runs first (nothing instrumented
// but the response headers), then one measured run with the response body wrapped to count bytes. Node only.
import { retrieveAccept, retrieveSeries } from '../src/sources/dicomweb/wado';
import type { DicomwebServer } from '../src/sources/dicomweb/server';
import { peakRssBytes, resetPeakRss } from './peakRss';

export interface DicomwebChildRequest { dicomweb: string; series: { studyUID: string; seriesUID: string }[]; repeats: number }

export interface TimedRun { firstMs: number; allMs: number; images: number; bytes: number; peakRssGrowth: number }

export interface HeldBytes {
  /** Most bytes received by the parser and not yet released by the consumer (framing excluded), at any chunk or part. */
  peakHeld: number;
  /** Most ArrayBuffer bytes above the baseline (process.memoryUsage().arrayBuffers after a GC) while a part is held. */
  peakArrayBuffers: number;
  /** The same, for the response read raw (no parser; sampled every part's worth of bytes): the HTTP stack's share. */
  peakArrayBuffersRaw: number;
  /** Multipart framing (boundaries, part headers) per part, measured: received − Σ part bytes, divided by parts. */
  framingPerPart: number;
}

export interface SeriesResult { runs: TimedRun[]; rawMs: number[]; held: HeldBytes; transferSyntaxes: string[]; contentEncoding: string }

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const realFetch = globalThis.fetch;
let lastEncoding = '';

/** Keeps the response untouched; notes its Content-Encoding (undici asks for gzip, and Orthanc may compress). */
const notingFetch: typeof fetch = async (input, init) => {
  const res = await realFetch(input, init);
  lastEncoding = res.headers.get('Content-Encoding') ?? 'none';
  return res;
};

async function timedRun(server: DicomwebServer, s: DicomwebChildRequest['series'][number], syntaxes: Set<string>): Promise<TimedRun> {
  gc();
  resetPeakRss();
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  let firstMs = 0, images = 0, bytes = 0;
  for await (const instance of retrieveSeries(server, s.studyUID, s.seriesUID)) {
    if (images === 0) firstMs = performance.now() - t0;
    images++;
    bytes += instance.bytes.length;
    syntaxes.add(instance.transferSyntaxUID ?? 'not named');
  } // each instance is dropped here: nothing keeps it
  return { firstMs, allMs: performance.now() - t0, images, bytes, peakRssGrowth: peakRssBytes() - baseline };
}

/** The same response read whole with fetch and no multipart parsing: what the server and the HTTP stack take. */
async function rawRead(dicomweb: string, s: DicomwebChildRequest['series'][number], sampleEvery = 0): Promise<{ ms: number; peakArrayBuffers: number }> {
  gc();
  const baseline = process.memoryUsage().arrayBuffers;
  let peakArrayBuffers = 0, received = 0, next = sampleEvery;
  const t0 = performance.now();
  const res = await realFetch(`${dicomweb}/studies/${s.studyUID}/series/${s.seriesUID}`, { headers: { Accept: retrieveAccept('*') } });
  const reader = res.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    received += r.value.length;
    if (sampleEvery && received >= next) {
      next += sampleEvery;
      gc();
      peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers - baseline);
    }
  }
  return { ms: performance.now() - t0, peakArrayBuffers };
}

/**
 * One retrieval with the body counted as the parser pulls it (a pass-through stream with no queue of its own), and a
 * GC + process.memoryUsage() sample at each part while the consumer holds it. Held = received − released parts.
 */
async function measuredRun(server: DicomwebServer, dicomweb: string, s: DicomwebChildRequest['series'][number]): Promise<HeldBytes> {
  let received = 0, released = 0, parts = 0, framing = 0, peakHeld = 0;
  const note = (holding: number) => { peakHeld = Math.max(peakHeld, received - released - framing * parts + holding); };
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    if (!res.body) return res;
    const reader = res.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        const r = await reader.read();
        if (r.done) { c.close(); return; }
        received += r.value.length;
        note(0);
        c.enqueue(r.value);
      },
      cancel: (reason) => reader.cancel(reason),
    }, { highWaterMark: 0 });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  // First pass: the framing per part, to leave it out of "held" in the second.
  for await (const instance of retrieveSeries(server, s.studyUID, s.seriesUID)) { released += instance.bytes.length; parts++; }
  framing = (received - released) / Math.max(1, parts);
  received = released = parts = peakHeld = 0;
  gc();
  const baseline = process.memoryUsage().arrayBuffers;
  let peakArrayBuffers = 0;
  for await (const instance of retrieveSeries(server, s.studyUID, s.seriesUID)) {
    parts++;
    note(0); // the part is counted in `received` until released
    gc();
    peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers - baseline);
    released += instance.bytes.length;
  }
  globalThis.fetch = realFetch;
  const raw = await rawRead(dicomweb, s, Math.round(released / Math.max(1, parts)));
  return { peakHeld, peakArrayBuffers, peakArrayBuffersRaw: raw.peakArrayBuffers, framingPerPart: framing };
}

async function main(): Promise<void> {
  const req = JSON.parse(process.argv[2]!) as DicomwebChildRequest;
  const server: DicomwebServer = { id: 'bench', label: 'Bench Orthanc', url: req.dicomweb };
  const out: SeriesResult[] = [];
  globalThis.fetch = notingFetch;
  for (const s of req.series) {
    const syntaxes = new Set<string>();
    const runs: TimedRun[] = [], rawMs: number[] = [];
    await timedRun(server, s, syntaxes); // warm-up: Node's HTTP stack loaded, Orthanc's files in the page cache
    for (let r = 0; r < req.repeats; r++) { runs.push(await timedRun(server, s, syntaxes)); rawMs.push((await rawRead(req.dicomweb, s)).ms); }
    out.push({ runs, rawMs, held: { peakHeld: 0, peakArrayBuffers: 0, peakArrayBuffersRaw: 0, framingPerPart: 0 }, transferSyntaxes: [...syntaxes], contentEncoding: lastEncoding });
  }
  for (const [i, s] of req.series.entries()) out[i]!.held = await measuredRun(server, req.dicomweb, s);
  process.send!(out, () => process.disconnect());
}

if (process.send) await main();
