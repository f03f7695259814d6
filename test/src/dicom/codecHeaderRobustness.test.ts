// Codecs size their buffers by their own codestream header, so a frame whose header disagrees with the DICOM header
// (65535 × 65535, wrong component count, wrong bit depth) must be refused by name in milliseconds, before any decoder
// allocates; and a segmented palette whose indirect segments fan out must be refused quickly too. Reproducers are
// built in code: a valid small file per codec, then its codestream header patched (or wrapped in another image's
// DICOM header). Times and RSS growth are printed.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { inspectBytes } from '../../../src/dicom/inspectFile';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { expandSegmentedLut } from '../../../src/dicom/readPalette';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { pattern, type ImageSpec } from '../../fixtures/makeImage';
import { frameOf, paletteFanOut, paletteImage, patchJ2kSize, patchJpegSize, sofAt, wrapFrame as wrap } from '../../fixtures/hostileDicom';

const MB = 1024 ** 2;
const N = 32; // rows = columns of every fixture (libjpeg-turbo's encoder here fails on 16 × 16)
const GREY8: ImageSpec = { rows: N, columns: N, bitsAllocated: 8, values: Uint8Array.from(pattern(N, N, 0, 255)) };
const GREY12: ImageSpec = { rows: N, columns: N, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(N, N, 0, 4095)) };
const GREY16: ImageSpec = { rows: N, columns: N, bitsAllocated: 16, values: Uint16Array.from(pattern(N, N, 0, 65535)) };
const RGB8: ImageSpec = { rows: N, columns: N, samples: 3, bitsAllocated: 8, values: Uint8Array.from(pattern(N, N, 0, 255, 1, 3)) };

/** A JP2 file (ISO 15444-1 Annex I) around a 16-bit greyscale N × N codestream: signature, file type, header, codestream. */
function jp2Wrap(codestream: Uint8Array): Uint8Array {
  const box = (type: string, body: Uint8Array) => {
    const out = new Uint8Array(8 + body.length), dv = new DataView(out.buffer);
    dv.setUint32(0, out.length);
    for (let k = 0; k < 4; k++) out[4 + k] = type.charCodeAt(k);
    out.set(body, 8);
    return out;
  };
  const ihdr = Uint8Array.from([0, 0, 0, N, 0, 0, 0, N, 0, 1, 15, 7, 0, 0]); // height, width, 1 component, 16 bits
  const colr = Uint8Array.from([1, 0, 0, 0, 0, 0, 17]); // enumerated colour space 17: greyscale
  const parts = [
    box('jP  ', Uint8Array.from([0x0d, 0x0a, 0x87, 0x0a])), box('ftyp', new TextEncoder().encode('jp2 \0\0\0\0jp2 ')),
    box('jp2h', concat([box('ihdr', ihdr), box('colr', colr)])), box('jp2c', codestream),
  ];
  return concat(parts);
}
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Decode frame 0 and expect a refusal by `name`, quickly and without growing the process; log time and RSS. */
async function expectRefused(label: string, file: Uint8Array, name = 'CorruptPixelDataError'): Promise<void> {
  const rss0 = process.memoryUsage().rss, t0 = performance.now();
  let err: unknown = null;
  try { await decodeFrame(parseInstance(file), 0); } catch (e) { err = e; }
  const ms = performance.now() - t0, grewMb = (process.memoryUsage().rss - rss0) / MB;
  console.log(`${label}: ${(err as Error | null)?.name ?? 'decoded'} in ${ms.toFixed(1)} ms, RSS +${grewMb.toFixed(1)} MB — ${(err as Error | null)?.message ?? ''}`);
  expect((err as Error | null)?.name, label).toBe(name);
  expect(ms, label).toBeLessThan(1500);
  expect(grewMb, label).toBeLessThan(200);
}

interface Codec { name: string; ts: string; spec: ImageSpec; kind: 'jpeg' | 'j2k' }
const CODECS: Codec[] = [
  { name: 'JPEG baseline 8-bit (libjpeg-turbo)', ts: TS_UID.jpegBaseline, spec: GREY8, kind: 'jpeg' },
  { name: 'JPEG extended 12-bit (our DCT decoder)', ts: TS_UID.jpegExtended, spec: GREY12, kind: 'jpeg' },
  { name: 'JPEG lossless (jpeg-lossless-decoder-js)', ts: TS_UID.jpegLossless, spec: GREY16, kind: 'jpeg' },
  { name: 'JPEG-LS (CharLS)', ts: TS_UID.jpegLS, spec: GREY16, kind: 'jpeg' },
  { name: 'JPEG 2000 (OpenJPEG)', ts: TS_UID.j2kLossless, spec: GREY16, kind: 'j2k' },
  { name: 'HTJ2K (OpenJPH)', ts: TS_UID.htj2kLossless, spec: GREY16, kind: 'j2k' },
];

describe('codec headers are checked against the DICOM header before decoding', () => {
  for (const c of CODECS) {
    it(`${c.name}: the valid file decodes; its header patched to 65535 × 65535 is refused in milliseconds`, async () => {
      const frame = await frameOf(c.spec, c.ts);
      const ok = await decodeFrame(parseInstance(wrap(c.spec, c.ts, frame)), 0);
      expect(ok.data.length).toBe(N * N);
      const patch = c.kind === 'jpeg' ? patchJpegSize : patchJ2kSize;
      await expectRefused(`${c.name} 65535²`, wrap(c.spec, c.ts, patch(frame, 65535, 65535)));
      await expectRefused(`${c.name} 16384²`, wrap(c.spec, c.ts, patch(frame, 16384, 16384)));
      await expectRefused(`${c.name} ${N + 1} × ${N}`, wrap(c.spec, c.ts, patch(frame, N + 1, N)));
    });

    it(`${c.name}: three components for Samples per Pixel 1, and a bit depth Bits Allocated cannot hold, are refused`, async () => {
      // RGB codestream (8-bit for the DCT path, whose encoder is greyscale only) under the greyscale header.
      const rgbTs = c.ts === TS_UID.jpegExtended ? TS_UID.jpegBaseline : c.ts;
      await expectRefused(`${c.name} 3 components`, wrap(c.spec, c.ts, await frameOf(RGB8, rgbTs)));
      // 12- or 16-bit codestream under an 8-bit header (Bits Allocated 8).
      const deep = c.ts === TS_UID.jpegBaseline || c.ts === TS_UID.jpegExtended ? GREY12 : GREY16;
      const deepTs = c.ts === TS_UID.jpegBaseline ? TS_UID.jpegExtended : c.ts;
      await expectRefused(`${c.name} ${deep.bitsStored ?? deep.bitsAllocated} bits for Bits Allocated 8`, wrap(GREY8, c.ts, await frameOf(deep, deepTs)));
    });
  }

  it('JPEG 2000 inside a JP2 box wrapper: the codestream SIZ is found and checked', async () => {
    const frame = await frameOf(GREY16, TS_UID.j2kLossless);
    const ok = await decodeFrame(parseInstance(wrap(GREY16, TS_UID.j2kLossless, jp2Wrap(frame))), 0);
    expect(ok.data.length).toBe(N * N);
    await expectRefused('JP2-wrapped 65535²', wrap(GREY16, TS_UID.j2kLossless, jp2Wrap(patchJ2kSize(frame, 65535, 65535))));
  });

  it('JPEG: a second frame header before the scan, and a scan naming more components than the frame, are refused', async () => {
    const frame = await frameOf(GREY16, TS_UID.jpegLossless);
    const s = sofAt(frame), len = (frame[s + 2]! << 8) | frame[s + 3]!;
    const big = frame.slice(s, s + 2 + len);
    big.set([0xff, 0xff, 0xff, 0xff], 5); // Y and X of the second SOF: 65535 × 65535
    const twice = new Uint8Array(frame.length + big.length);
    twice.set(frame.subarray(0, s + 2 + len)); twice.set(big, s + 2 + len); twice.set(frame.subarray(s + 2 + len), s + 2 + len + big.length);
    await expectRefused('JPEG lossless with two SOFs', wrap(GREY16, TS_UID.jpegLossless, twice));
    const sos = frame.findIndex((v, i) => v === 0xff && frame[i + 1] === 0xda);
    const wide = frame.slice();
    wide[sos + 4] = 200; // Ns: jpeg-lossless-decoder-js sizes its output by it
    await expectRefused('JPEG lossless scan with 200 components', wrap(GREY16, TS_UID.jpegLossless, wide));
  });

  it('JPEG 2000 and HTJ2K: a sub-sampled component (XRsiz/YRsiz ≠ 1) is refused before the codec (OpenJPH looped on it)', async () => {
    for (const ts of [TS_UID.j2kLossless, TS_UID.htj2kLossless]) {
      const frame = await frameOf(GREY12, ts);
      // SOC (2) + SIZ marker (2) + Lsiz..Csiz (38) → Ssiz of component 0 at 42, XRsiz 43, YRsiz 44.
      expect(frame[42]).toBe(11);
      for (const [at, v] of [[44, 2], [43, 4]] as const) {
        const b = frame.slice();
        b[at] = v;
        await expectRefused(`${ts} component sub-sampled (byte ${at} = ${v})`, wrap(GREY12, ts, b));
        await expect(decodeFrame(parseInstance(wrap(GREY12, ts, b)), 0)).rejects.toThrow(/sub-sampled/); // by the header check, not the codec
      }
    }
  });

  it('RLE: a segment count that is not samples × bytes a sample is refused', async () => {
    const frame = await frameOf(GREY16, TS_UID.rle);
    const ok = await decodeFrame(parseInstance(wrap(GREY16, TS_UID.rle, frame)), 0);
    expect(Array.from(ok.data)).toEqual(Array.from(GREY16.values));
    const b = frame.slice();
    b[0] = 15;
    await expectRefused('RLE 15 segments for 1 × 2 bytes', wrap(GREY16, TS_UID.rle, b));
  });
});

describe('segmented palette LUTs', () => {
  it('indirect segments that fan out are refused with LimitExceededError in milliseconds', async () => {
    const file = await paletteImage(paletteFanOut(200, 4)); // ≈ 5.6 KB of LUT data a channel, 1.6 billion segment visits without the cap
    const rss0 = process.memoryUsage().rss, t0 = performance.now();
    const { record } = await inspectBytes('palette fan-out', file);
    const ms = performance.now() - t0, grewMb = (process.memoryUsage().rss - rss0) / MB;
    console.log(`palette fan-out (${file.length} bytes): ${record.error?.name ?? 'ok'} in ${ms.toFixed(1)} ms, RSS +${grewMb.toFixed(1)} MB — ${record.error?.message ?? ''}`);
    expect(record.error?.name).toBe('LimitExceededError');
    expect(ms).toBeLessThan(1500);
    expect(grewMb).toBeLessThan(200);
  });

  it('a full 65536-entry LUT made of many segments still expands within the budget', () => {
    // Discrete [0], then 255 linear segments of 257 entries each up to 65535: 65536 entries, 256 segments.
    const words: number[] = [0, 1, 0];
    for (let k = 1; k <= 255; k++) words.push(1, 257, k * 257);
    const out = expandSegmentedLut(Uint16Array.from(words), 65536);
    expect(out).toHaveLength(65536);
    expect(out[65535]).toBe(65535);
    expect(out[257]).toBe(257);
  });
});
