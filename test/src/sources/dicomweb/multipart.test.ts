// The streaming multipart/related parser and the body guard, over hand-made bodies: every chunking, preamble and
// epilogue, broken bodies, size limits and lost connections. Pure (no server); every case ends within short timeouts.
import { describe, expect, it } from 'vitest';
import { guardBody } from '../../../../src/sources/dicomweb/body';
import { boundaryOf, parseMediaType, parseMultipart, type MultipartPart } from '../../../../src/sources/dicomweb/multipart';
import { collect } from '../../../fixtures/dicomwebFixtures';

const enc = new TextEncoder();
const B = 'b0undary-42';

function concat(...parts: (string | Uint8Array)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) { out.set(a, at); at += a.length; }
  return out;
}

/** A stream that gives `chunks` one per read, then ends (or errors with `fail`). */
function streamOf(chunks: Uint8Array[], fail?: Error): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]!);
      else if (fail) c.error(fail);
      else c.close();
    },
  }, { highWaterMark: 0 });
}

const limits = { maxPartBytes: 1 << 20 };
// Part 2's content holds a CR LF and a near-boundary ("--b0undary-4") that must not end it; part 3 is empty.
const payload1 = concat('DICM', new Uint8Array([0, 13, 10, 45, 45, 255]));
const payload2 = concat('x\r\n--b0undary-4y\r\n');
const body = concat(
  'This is the preamble.\r\n',
  `--${B}\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\n`, payload1,
  `\r\n--${B}  \t\r\nContent-Type: application/dicom\r\nContent-Length: ${payload2.length}\r\n\r\n`, payload2,
  `\r\n--${B}\r\nContent-Type: application/octet-stream\r\n\r\n`,
  `\r\n--${B}--\r\nThis is the epilogue, ignored.\r\n`,
);

function expectThreeParts(parts: MultipartPart[]): void {
  expect(parts.map((p) => p.contentType)).toEqual(['application/dicom; transfer-syntax=1.2.840.10008.1.2.1', 'application/dicom', 'application/octet-stream']);
  expect(parts[0]!.bytes).toEqual(payload1);
  expect(parts[1]!.bytes).toEqual(payload2);
  expect(parts[1]!.headers['content-length']).toBe(String(payload2.length));
  expect(parts[2]!.bytes.length).toBe(0);
}

describe('parseMultipart', () => {
  it('reads a body with preamble, transport padding and epilogue, split into two chunks at every point', async () => {
    for (let cut = 0; cut <= body.length; cut++) {
      const { parts, error } = await collect(parseMultipart(streamOf([body.slice(0, cut), body.slice(cut)]), B, limits));
      expect(error, `cut at ${cut}`).toBeUndefined();
      expectThreeParts(parts);
    }
  });

  it('reads the same body one byte at a time, and in three chunks at many split pairs', async () => {
    expectThreeParts((await collect(parseMultipart(streamOf(Array.from(body, (b) => new Uint8Array([b]))), B, limits))).parts);
    for (let a = 1; a < body.length; a += 7) {
      for (let b = a; b < body.length; b += 11) {
        expectThreeParts((await collect(parseMultipart(streamOf([body.slice(0, a), body.slice(a, b), body.slice(b)]), B, limits))).parts);
      }
    }
  });

  it('accepts a body that opens with its first boundary (no preamble) and yields each part before the next arrives', async () => {
    const bare = body.slice('This is the preamble.\r\n'.length);
    const seen: string[] = [];
    let reads = 0;
    const counting = new ReadableStream<Uint8Array>({
      pull(c) { if (reads < bare.length) c.enqueue(bare.slice(reads, ++reads)); else c.close(); },
    }, { highWaterMark: 0 });
    for await (const part of parseMultipart(counting, B, limits)) seen.push(`${part.contentType}@${reads}`);
    // The first part is complete once its delimiter has arrived, long before the end of the body.
    expect(Number(seen[0]!.split('@')[1])).toBeLessThan(bare.length / 2);
    expect(seen).toHaveLength(3);
  });

  it('a body without its close delimiter: the complete parts are yielded, then MultipartError', async () => {
    const cut = body.slice(0, new TextDecoder('latin1').decode(body).indexOf(`\r\n--${B}--`));
    const { parts, error } = await collect(parseMultipart(streamOf([cut]), B, limits));
    expect(error?.name).toBe('MultipartError');
    expect(parts.map((p) => p.bytes)).toEqual([payload1, payload2]); // the third part never ended
  });

  it('a body in which the boundary never appears is a MultipartError', async () => {
    const { parts, error } = await collect(parseMultipart(streamOf([enc.encode('<html><body>Login</body></html>')]), B, limits));
    expect(parts).toEqual([]);
    expect(error?.name).toBe('MultipartError');
    expect(error?.message).toMatch(/no parts/);
  });

  it('a part without headers is a MultipartError', async () => {
    const { error } = await collect(parseMultipart(streamOf([enc.encode(`--${B}\r\n\r\nDICM\r\n--${B}--`)]), B, limits));
    expect(error?.name).toBe('MultipartError');
    expect(error?.message).toMatch(/no headers/);
  });

  it('a part above the per-part cap is a ResponseTooLargeError, by its Content-Length or by its bytes', async () => {
    const big = concat(`--${B}\r\nContent-Type: application/dicom\r\n\r\n`, new Uint8Array(5000), `\r\n--${B}--`);
    expect((await collect(parseMultipart(streamOf([big]), B, { maxPartBytes: 1000 }))).error?.name).toBe('ResponseTooLargeError');
    const announced = concat(`--${B}\r\nContent-Type: application/dicom\r\nContent-Length: 999999\r\n\r\n`);
    expect((await collect(parseMultipart(streamOf([announced]), B, { maxPartBytes: 1000 }))).error?.name).toBe('ResponseTooLargeError');
  });
});

describe('media types', () => {
  it('reads quoted and unquoted parameters, a ";" inside quotes, and refuses a missing boundary', () => {
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary="a;b c"')).toBe('a;b c');
    expect(boundaryOf('Multipart/Related; BOUNDARY=xyz; type=application/dicom')).toBe('xyz');
    expect(parseMediaType('application/dicom; transfer-syntax=1.2.840.10008.1.2.4.90').params['transfer-syntax']).toBe('1.2.840.10008.1.2.4.90');
    expect(() => boundaryOf('multipart/related; type="application/dicom"')).toThrow(expect.objectContaining({ name: 'MultipartError' }));
  });
});

describe('guardBody', () => {
  const source = 'the study 1.2.3 from "Test PACS"';

  it('refuses a 2 GB Content-Length before reading anything', () => {
    let pulled = false;
    const stream = new ReadableStream<Uint8Array>({ pull() { pulled = true; } }, { highWaterMark: 0 });
    expect(() => guardBody(stream, { maxBytes: 1 << 30, announced: 2_000_000_000, source })).toThrow(expect.objectContaining({ name: 'ResponseTooLargeError' }));
    expect(pulled).toBe(false);
  });

  it('stops a body that sends 10× more than it announced', async () => {
    const chunks = Array.from({ length: 10 }, () => new Uint8Array(100));
    const guarded = guardBody(streamOf(chunks), { maxBytes: 1 << 20, announced: 100, source });
    const { error } = await collect(parseMultipart(guarded, B, limits));
    expect(error?.name).toBe('ResponseTooLargeError');
    expect(error?.message).toMatch(/more data than it announced/);
  });

  it('a connection lost mid-body keeps the parts already yielded and ends in DicomwebNetworkError', async () => {
    const half = body.slice(0, body.length - 40);
    const guarded = guardBody(streamOf([half], new TypeError('terminated')), { maxBytes: 1 << 20, announced: null, source });
    const { parts, error } = await collect(parseMultipart(guarded, B, limits));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(error?.name).toBe('DicomwebNetworkError');
  });

  it('gives up after the idle timeout when no bytes arrive', async () => {
    const silent = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) }, { highWaterMark: 0 });
    const started = Date.now();
    const { error } = await collect(parseMultipart(guardBody(silent, { maxBytes: 1 << 20, announced: null, idleTimeoutMs: 100, source }), B, limits));
    expect(error?.name).toBe('DicomwebNetworkError');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
