// Streaming multipart/related parser (RFC 2387 over RFC 2046 §5.1.1) for WADO-RS bodies: each part is yielded as
// soon as its closing delimiter arrives, so a caller can show the first image while the rest downloads. Memory is
// bounded: only the part being received is held (capped), and it is released once yielded. Thread-neutral.
import { MultipartError, ResponseTooLargeError } from './errors';
import { formatBytes } from './body';

export interface MultipartPart {
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The part's Content-Type with its parameters (e.g. `application/dicom; transfer-syntax=1.2.840.10008.1.2.4.90`). */
  contentType: string;
  bytes: Uint8Array;
}

export interface MultipartLimits {
  /** Most bytes one part may have. */
  maxPartBytes: number;
  /** Most bytes of headers one part may have. Default 16 kB. */
  maxHeaderBytes?: number;
}

export interface MediaType { type: string; params: Record<string, string> }

/** `type/subtype; a=b; c="d e"` → lower-case type and parameter names; quoted values unquoted (RFC 9110 §5.6.6). */
export function parseMediaType(value: string): MediaType {
  const [type = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  const re = /^\s*([^=\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*?))\s*$/;
  // Re-split on ';' outside quotes, since a quoted value may contain one.
  const parts = rest.join(';').match(/(?:[^;"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  for (const p of parts) {
    const m = re.exec(p);
    if (m) params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { type: type.trim().toLowerCase(), params };
}

/** The boundary of a multipart Content-Type; a missing or invalid one is a MultipartError. */
export function boundaryOf(contentType: string): string {
  const boundary = parseMediaType(contentType).params.boundary;
  if (!boundary || boundary.length > 70 || /[\r\n]/.test(boundary)) {
    throw new MultipartError('The server sent a multipart response without a usable boundary, so its images cannot be separated.');
  }
  return boundary;
}

/** First index of `pat` in `hay` at or after `from`, or -1. */
function indexOf(hay: Uint8Array, pat: Uint8Array, from: number): number {
  const last = hay.length - pat.length;
  for (let i = hay.indexOf(pat[0]!, from); i !== -1 && i <= last; i = hay.indexOf(pat[0]!, i + 1)) {
    let k = 1;
    while (k < pat.length && hay[i + k] === pat[k]) k++;
    if (k === pat.length) return i;
  }
  return -1;
}

/** A growable byte queue: chunks appended at the end, bytes consumed from the front, amortised O(1) per byte. */
class ByteQueue {
  private buf = new Uint8Array(64 * 1024);
  private start = 0;
  private end = 0;
  get length(): number { return this.end - this.start; }
  view(): Uint8Array { return this.buf.subarray(this.start, this.end); }
  push(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.length;
      const need = live + chunk.length;
      // Compact in place while the live bytes fit in half; shrink a large buffer left by a large part; else double.
      const size = need <= this.buf.length / 2
        ? (this.buf.length > 4 * 1024 * 1024 ? Math.max(64 * 1024, 2 * need) : this.buf.length)
        : Math.max(this.buf.length * 2, need);
      if (size === this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const next = new Uint8Array(size);
        next.set(this.view());
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }
  consume(n: number): void {
    this.start += n;
    if (this.start === this.end) {
      this.start = this.end = 0;
      if (this.buf.length > 1024 * 1024) this.buf = new Uint8Array(64 * 1024); // release a large part's buffer
    }
  }
}

const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of text.split('\r\n')) {
    if (/^[ \t]/.test(line) && last) { headers[last] += ` ${line.trim()}`; continue; } // folded (obsolete, still legal)
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('A part of the server\'s multipart response has a malformed header line.');
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return headers;
}

type State = 'preamble' | 'boundary-line' | 'headers' | 'body';

/**
 * The parts of a multipart body, each as soon as it is complete. Throws MultipartError when the body breaks the
 * format (a body that ends before its close delimiter, a part without headers); errors of `stream` (a lost
 * connection, a size limit) pass through after the parts that were already complete have been yielded.
 */
export async function* parseMultipart(stream: ReadableStream<Uint8Array>, boundary: string, limits: MultipartLimits): AsyncGenerator<MultipartPart> {
  const enc = new TextEncoder();
  const dashBoundary = enc.encode(`--${boundary}`);
  const delimiter = enc.encode(`\r\n--${boundary}`);
  const maxHeaderBytes = limits.maxHeaderBytes ?? 16 * 1024;
  const queue = new ByteQueue();
  const reader = stream.getReader();
  let state: State = 'preamble';
  let atBodyStart = true;
  let closed = false; // the close delimiter was seen
  let scanFrom = 0; // where the next search in the queue starts (relative to its front): bytes before it are known free of the pattern
  let headers: Record<string, string> = {};
  let parts = 0;
  try {
    for (;;) {
      // Take as many steps as the queued bytes allow.
      for (let progressed = true; progressed && !closed;) {
        progressed = false;
        const bytes = queue.view();
        if (state === 'preamble') {
          // The first boundary may open the body; any later one follows CRLF (the preamble is ignored).
          if (atBodyStart) {
            if (bytes.length < dashBoundary.length) break;
            atBodyStart = false;
            if (indexOf(bytes.subarray(0, dashBoundary.length), dashBoundary, 0) === 0) {
              queue.consume(dashBoundary.length); state = 'boundary-line'; progressed = true; continue;
            }
          }
          const at = indexOf(bytes, delimiter, scanFrom);
          if (at >= 0) { queue.consume(at + delimiter.length); scanFrom = 0; state = 'boundary-line'; progressed = true; continue; }
          // Drop preamble bytes that cannot begin a delimiter; keep the tail that might.
          if (bytes.length >= delimiter.length) queue.consume(bytes.length - delimiter.length + 1);
          scanFrom = 0;
        } else if (state === 'boundary-line') {
          // After a boundary: "--" closes the body; else optional transport padding (LWSP) then CRLF.
          if (bytes.length >= 2 && bytes[0] === 45 && bytes[1] === 45) { closed = true; break; }
          let p = 0;
          while (p < bytes.length && (bytes[p] === 32 || bytes[p] === 9)) p++;
          if (p + 2 > bytes.length) {
            if (p > 998) throw new MultipartError('A boundary line in the server\'s multipart response never ends.');
            break;
          }
          if (bytes[p] !== 13 || bytes[p + 1] !== 10) throw new MultipartError('The server\'s multipart response has a malformed boundary line.');
          queue.consume(p + 2); state = 'headers'; progressed = true;
        } else if (state === 'headers') {
          if (bytes.length >= 2 && bytes[0] === 13 && bytes[1] === 10) {
            throw new MultipartError(`Part ${parts + 1} of the server's multipart response has no headers, so Lucid cannot tell what it is.`);
          }
          const at = indexOf(bytes, CRLFCRLF, Math.max(0, scanFrom));
          if (at < 0) {
            if (bytes.length > maxHeaderBytes) throw new MultipartError(`The headers of part ${parts + 1} of the server's multipart response never end.`);
            scanFrom = Math.max(0, bytes.length - CRLFCRLF.length + 1);
            break;
          }
          headers = parseHeaders(new TextDecoder().decode(bytes.subarray(0, at)));
          const announced = Number(headers['content-length']);
          if (announced > limits.maxPartBytes) throw tooLarge(parts + 1, limits.maxPartBytes);
          queue.consume(at + CRLFCRLF.length); scanFrom = 0; state = 'body'; progressed = true;
        } else if (state === 'body') {
          const at = indexOf(bytes, delimiter, scanFrom);
          if (at < 0) {
            if (bytes.length - delimiter.length > limits.maxPartBytes) throw tooLarge(parts + 1, limits.maxPartBytes);
            scanFrom = Math.max(0, bytes.length - delimiter.length + 1);
            break;
          }
          if (at > limits.maxPartBytes) throw tooLarge(parts + 1, limits.maxPartBytes);
          const part: MultipartPart = { headers, contentType: headers['content-type'] ?? '', bytes: bytes.slice(0, at) };
          queue.consume(at + delimiter.length); scanFrom = 0; state = 'boundary-line';
          parts++;
          yield part;
          progressed = true;
        }
      }
      if (closed) return; // the epilogue is ignored (RFC 2046): stop reading
      const r = await reader.read();
      if (r.done) break;
      queue.push(r.value);
    }
    if (parts === 0 && state === 'preamble') throw new MultipartError('The server\'s multipart response contains no parts (its boundary never appears).');
    throw new MultipartError(`The server's multipart response ended before its closing boundary, after ${parts} complete part${parts === 1 ? '' : 's'}; the rest is missing.`, { truncated: true });
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function tooLarge(part: number, max: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`Part ${part} of the server's response is larger than Lucid reads for one image (${formatBytes(max)}); Lucid stopped reading.`);
}
