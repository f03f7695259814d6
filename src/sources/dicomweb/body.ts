// Reading a DICOMweb response body with limits: a cap on the bytes, no more bytes than Content-Length announced, an
// idle timeout between chunks, and a lost connection turned into DicomwebNetworkError. Thread-neutral (browser and
// Node: ReadableStream, TextDecoder). The caller's abort passes through unchanged.
import { DicomwebNetworkError, DicomwebResponseError, ResponseTooLargeError } from './errors';

export interface BodyLimits {
  /** Most bytes the whole body may have. */
  maxBytes: number;
  /** Bytes announced by Content-Length, or null when unknown or content-encoded (then the decoded size differs). */
  announced: number | null;
  /** Longest wait for the next chunk (ms). */
  idleTimeoutMs?: number;
  /** Where the body comes from, for messages: 'the study 1.2.3 from "PACS"'. */
  source: string;
  /** The caller's signal: its abort reason is passed through, not renamed. */
  signal?: AbortSignal;
}

const MiB = 1024 * 1024;
export function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(n >= 100 * MiB ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} kB`;
}

/**
 * Content-Length as a number when it describes the bytes we will read (not content-encoded), else null. A browser
 * hides Content-Encoding of a cross-origin ('cors') response unless the server exposes it, and Orthanc gzips: then
 * the announced (compressed) length cannot be compared with the decoded bytes, and only the byte caps apply.
 */
export function announcedLength(res: Response): number | null {
  const text = res.headers.get('Content-Length');
  if (text === null || res.headers.get('Content-Encoding') || res.type === 'cors') return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** `read()` that gives up after `ms` without a chunk. */
function readWithin<T>(reader: ReadableStreamDefaultReader<T>, ms: number | undefined, source: string): Promise<ReadableStreamReadResult<T>> {
  if (!ms) return reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DicomwebNetworkError(`No data arrived from ${source} for ${Math.round(ms / 1000)} s, so Lucid stopped waiting. Try again.`)), ms);
  });
  return Promise.race([reader.read(), idle]).finally(() => clearTimeout(timer));
}

/**
 * `body` as a stream that errors with a named error when a limit is broken or the connection is lost. A Content-Length
 * above the cap throws at once, before anything is read (the body is cancelled).
 */
export function guardBody(body: ReadableStream<Uint8Array> | null, limits: BodyLimits): ReadableStream<Uint8Array> {
  if (limits.announced !== null && limits.announced > limits.maxBytes) {
    void body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(`${cap(limits.source)} announces ${formatBytes(limits.announced)}, more than Lucid reads in one response (${formatBytes(limits.maxBytes)}). Nothing was downloaded.`);
  }
  const reader = body?.getReader();
  let received = 0;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, err: unknown) => {
    void reader?.cancel().catch(() => undefined);
    controller.error(err);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!reader) { controller.close(); return; }
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await readWithin(reader, limits.idleTimeoutMs, limits.source);
      } catch (err) {
        if (limits.signal?.aborted) { fail(controller, limits.signal.reason); return; }
        fail(controller, err instanceof DicomwebNetworkError ? err : new DicomwebNetworkError(
          `The connection to ${limits.source} was lost before the response was complete (after ${formatBytes(received)}). Try again.`, { cause: err }));
        return;
      }
      if (r.done) { controller.close(); return; }
      received += r.value.byteLength;
      if (limits.announced !== null && received > limits.announced) {
        fail(controller, new ResponseTooLargeError(`${cap(limits.source)} sent more data than it announced (${formatBytes(limits.announced)}); Lucid stopped reading it.`));
      } else if (received > limits.maxBytes) {
        fail(controller, new ResponseTooLargeError(`${cap(limits.source)} is larger than Lucid reads in one response (${formatBytes(limits.maxBytes)}); Lucid stopped reading it.`));
      } else {
        controller.enqueue(r.value);
      }
    },
    cancel(reason) { return reader?.cancel(reason); },
  }, { highWaterMark: 0 });
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Every byte of a guarded stream. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    chunks.push(r.value);
    length += r.value.byteLength;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

/** The body as JSON (DICOM JSON model answers); HTML or anything that does not parse is a DicomwebResponseError. */
export async function readJson(res: Response, limits: BodyLimits): Promise<unknown> {
  const type = (res.headers.get('Content-Type') ?? '').toLowerCase();
  // No Content-Type at all is tried as JSON: Orthanc 1.10 sends STOW-RS's 400/409 answers (DICOM JSON) without one.
  if (type && !type.includes('json')) {
    await res.body?.cancel().catch(() => undefined);
    throw new DicomwebResponseError(type.includes('html')
      ? `${cap(limits.source)} came back as a web page, not DICOM data. Check that the server's address is its DICOMweb root (often ending in /dicom-web).`
      : `${cap(limits.source)} came back as "${type || 'no content type'}", not DICOM JSON.`, res.status);
  }
  const text = new TextDecoder().decode(await readAll(guardBody(res.body, limits)));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DicomwebResponseError(`${cap(limits.source)} is not valid JSON; the server may have been cut off or be misconfigured.`, res.status);
  }
}
