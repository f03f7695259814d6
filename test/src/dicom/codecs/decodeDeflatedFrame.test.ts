// Deflated Image Frame Compression (1.2.840.10008.1.2.8.1) and RLE of 1-bit data (packed, and a byte a pixel): files built in code
// decode to the same stored values as their uncompressed versions; a deflate bomb frame is refused in milliseconds.
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../../src/dicom/decodeFrame';
import { decodeDeflatedFrame } from '../../../../src/dicom/codecs/decodeDeflatedFrame';
import { TS_UID } from '../../../../src/dicom/transferSyntax';
import { writeDicom, encapsulate } from '../../../../src/dicom/writeDicom';
import { createDecodeApi } from '../../../../workers/decodeApi';
import { encodeRle } from '../../../fixtures/encoders/encodeRle';
import { imageElements, makeImage, pattern, type ImageSpec } from '../../../fixtures/makeImage';

async function decodeAll(bytes: Uint8Array): Promise<number[]> {
  const parsed = parseInstance(bytes);
  const out: number[] = [];
  for (let f = 0; f < parsed.header.frames; f++) out.push(...Array.from((await decodeFrame(parsed, f)).data));
  return out;
}

/** 1-bit mask, 3 frames of 13 × 11 (143 bits a frame: frames do not end on a byte boundary). */
const mask: ImageSpec = {
  rows: 13, columns: 11, frames: 3, bitsAllocated: 1,
  values: Uint8Array.from({ length: 3 * 143 }, (_, i) => ((i % 143) % 11 > 3 && (i % 143) < 100 + 10 * Math.floor(i / 143) ? 1 : 0)),
};
const SPECS: Record<string, ImageSpec> = {
  '1-bit mask, 3 frames of 13 × 11': mask,
  '8-bit grey, 2 frames': { rows: 21, columns: 17, frames: 2, bitsAllocated: 8, values: Uint8Array.from(pattern(21, 17, 0, 255, 2)) },
  '16-bit signed, 2 frames': { rows: 20, columns: 24, frames: 2, bitsAllocated: 16, signed: true, values: Int16Array.from(pattern(20, 24, -1024, 3000, 2)) },
  '8-bit RGB of odd length (3 × 3)': { rows: 3, columns: 3, samples: 3, bitsAllocated: 8, values: Uint8Array.from({ length: 27 }, (_, i) => 1 + i * 9) },
  '32-bit unsigned': { rows: 5, columns: 7, bitsAllocated: 32, values: Uint32Array.from({ length: 35 }, (_, i) => i * 100003) },
};

describe('Deflated Image Frame Compression decodes to the uncompressed values', () => {
  for (const [label, spec] of Object.entries(SPECS)) {
    it(label, async () => {
      const reference = await decodeAll(await makeImage(spec, TS_UID.explicitLE));
      expect(reference).toEqual(Array.from(spec.values));
      const file = await makeImage(spec, TS_UID.deflatedFrame);
      expect(parseInstance(file).header.transferSyntaxUID).toBe(TS_UID.deflatedFrame);
      expect(await decodeAll(file)).toEqual(reference);
      expect((await createDecodeApi().load('x', file.slice().buffer)).ok).toBe(true);
    });
  }
});

describe('RLE Lossless of 1-bit data', () => {
  it('3 frames of 13 × 11 decode to the uncompressed values', async () => {
    const reference = await decodeAll(await makeImage(mask, TS_UID.explicitLE));
    const file = await makeImage(mask, TS_UID.rle);
    expect(await decodeAll(file)).toEqual(reference);
    expect(reference.filter((v) => v === 1).length).toBeGreaterThan(100);
  });
  it('a 1-bit RLE frame one packed byte short is a CorruptPixelDataError', async () => {
    const short = { ...mask, frames: 1, values: mask.values.subarray(0, 143) };
    const file = await makeImage(short, TS_UID.rle);
    const parsed = parseInstance(file);
    // Rows 13 → 12 makes the header promise fewer pixels; the reverse (more pixels than coded) must be refused.
    const bigger = parseInstance(writeDicom(imageElements({ ...short, rows: 14 }, encapsulate([rleOf(file)])), { transferSyntaxUID: TS_UID.rle }));
    expect((await decodeFrame(parsed, 0)).data.length).toBe(143);
    await expect(decodeFrame(bigger, 0)).rejects.toMatchObject({ name: 'CorruptPixelDataError' });
  });
});

/** The first (only) fragment of an RLE file made by makeImage. */
function rleOf(file: Uint8Array): Uint8Array {
  const p = parseInstance(file);
  const f = p.dataSet.elements.x7fe00010!.fragments![0]!;
  return p.dataSet.byteArray.slice(f.position, f.position + f.length);
}

describe('deflate bombs are refused at the frame size', () => {
  it('64 MiB of zeros claiming a 512 × 512 × 16-bit frame (512 KiB): CorruptPixelDataError quickly', async () => {
    const bomb = deflateSync(new Uint8Array(64 * 2 ** 20), { level: 9 });
    const spec: ImageSpec = { rows: 512, columns: 512, bitsAllocated: 16, values: new Uint16Array(0) };
    const file = writeDicom(imageElements(spec, encapsulate([bomb])), { transferSyntaxUID: TS_UID.deflatedFrame });
    const t0 = performance.now();
    const r = await createDecodeApi().load('bomb', file.slice().buffer);
    const ms = performance.now() - t0;
    console.log(`deflate bomb frame: ${bomb.length} bytes compressed → 64 MiB; refused as ${r.ok ? 'ok' : r.error.name} in ${ms.toFixed(1)} ms`);
    expect(r.ok ? 'ok' : r.error.name).toBe('CorruptPixelDataError');
    expect(ms).toBeLessThan(1000);
  });
  it('one byte too many or too few is refused; exactly the frame size is returned', () => {
    const frame = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    expect(Array.from(decodeDeflatedFrame(deflateSync(frame), 1000))).toEqual(Array.from(frame));
    expect(() => decodeDeflatedFrame(deflateSync(frame), 999)).toThrow(expect.objectContaining({ name: 'CorruptPixelDataError' }));
    expect(() => decodeDeflatedFrame(deflateSync(frame), 1001)).toThrow(expect.objectContaining({ name: 'CorruptPixelDataError' }));
    expect(() => decodeDeflatedFrame(Uint8Array.from([0xff, 0xff, 0xff]), 1000)).toThrow(expect.objectContaining({ name: 'CorruptPixelDataError' }));
  });
});

describe('RLE Lossless of 1-bit data: both layouts writers use', () => {
  // G.2 read literally: each 1-bit code padded with most significant zero bits to a byte — one byte a pixel.
  it('a segment of one byte a pixel (Padded Composite Pixel Code) decodes to the same values as the packed one', async () => {
    const frame = mask.values.subarray(0, 143);
    const bytePerPixel = encodeRle(Uint8Array.from(frame), 13, 11, 1, 1);
    const spec = { ...mask, frames: 1, values: frame };
    const unpacked = writeDicom(imageElements(spec, encapsulate([bytePerPixel])), { transferSyntaxUID: TS_UID.rle });
    const packed = await makeImage(spec, TS_UID.rle);
    expect(rleOf(packed).length).toBeLessThan(bytePerPixel.length); // the two files really differ in layout
    const a = (await decodeFrame(parseInstance(unpacked), 0)).data, b = (await decodeFrame(parseInstance(packed), 0)).data;
    expect(Array.from(a)).toEqual(Array.from(frame));
    expect(Array.from(b)).toEqual(Array.from(frame));
  });
  it('a byte-a-pixel segment with 255 for set pixels reads them as 1', async () => {
    const frame = mask.values.subarray(0, 143);
    const file = writeDicom(imageElements({ ...mask, frames: 1, values: frame }, encapsulate([encodeRle(Uint8Array.from(frame, (v) => v * 255), 13, 11, 1, 1)])), { transferSyntaxUID: TS_UID.rle });
    expect(Array.from((await decodeFrame(parseInstance(file), 0)).data)).toEqual(Array.from(frame));
  });
});
