// Photometric interpretations and pixel formats: known values in, known stored values (or RGB) out.
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { expandSegmentedLut } from '../../../src/dicom/readPalette';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { writeDicom, type WriteElement } from '../../../src/dicom/writeDicom';
import { imageElements, makeImage, pattern, type ImageSpec } from '../../fixtures/makeImage';

const decode0 = async (bytes: Uint8Array) => decodeFrame(parseInstance(bytes), 0);

describe('photometric interpretations', () => {
  it('MONOCHROME1 keeps stored values (inversion is a display matter) and the viewer is told', async () => {
    const values = Uint16Array.from(pattern(16, 16, 0, 1000));
    const bytes = await makeImage({ rows: 16, columns: 16, bitsAllocated: 16, photometric: 'MONOCHROME1', values }, TS_UID.explicitLE);
    const parsed = parseInstance(bytes);
    expect(parsed.header.photometricInterpretation).toBe('MONOCHROME1');
    expect(Array.from((await decodeFrame(parsed, 0)).data)).toEqual(Array.from(values));
  });

  it('RGB planar configuration 1 becomes interleaved', async () => {
    const rgb = Uint8Array.from(pattern(10, 12, 0, 255, 1, 3));
    const planar = new Uint8Array(rgb.length);
    const n = 120;
    for (let p = 0; p < n; p++) for (let s = 0; s < 3; s++) planar[s * n + p] = rgb[3 * p + s]!;
    for (const ts of [TS_UID.explicitLE, TS_UID.explicitBE]) {
      const f = await decode0(await makeImage({ rows: 10, columns: 12, samples: 3, planar: 1, bitsAllocated: 8, values: planar }, ts));
      expect(Array.from(f.data)).toEqual(Array.from(rgb));
    }
  });

  it('YBR_FULL converts to RGB (PS3.3 C.7.6.3.1.2)', async () => {
    // Pure red (255, 0, 0) in YCbCr full range is Y 76.2, Cb 85, Cr 255.5 → rounded 76, 85, 255.
    const ybr = Uint8Array.from([76, 85, 255, 150, 44, 21, 29, 255, 107, 128, 128, 128]);
    const f = await decode0(await makeImage({ rows: 2, columns: 2, samples: 3, bitsAllocated: 8, photometric: 'YBR_FULL', values: ybr }, TS_UID.explicitLE));
    const px = Array.from(f.data);
    const expectRgb = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [128, 128, 128]];
    expectRgb.forEach((rgb, i) => rgb.forEach((v, c) => expect(Math.abs(px[3 * i + c]! - v)).toBeLessThanOrEqual(2)));
  });

  it('YBR_FULL_422 uncompressed (Y0 Y1 Cb Cr) is upsampled and converted', async () => {
    // Two pixels sharing chroma: neutral grey 100 and 200.
    const stored = Uint8Array.from([100, 200, 128, 128, 50, 60, 128, 128]);
    const f = await decode0(await makeImage({ rows: 2, columns: 2, samples: 3, bitsAllocated: 8, photometric: 'YBR_FULL_422', values: stored }, TS_UID.explicitLE).then((b) => b));
    expect(Array.from(f.data)).toEqual([100, 100, 100, 200, 200, 200, 50, 50, 50, 60, 60, 60]);
  });

  for (const bits of [8, 16] as const) {
    it(`PALETTE COLOR with ${bits}-bit entries keeps indices and parses the LUT`, async () => {
      const indices = Uint8Array.from(pattern(8, 8, 0, 255));
      const lut = Uint16Array.from({ length: 256 }, (_, i) => (bits === 16 ? i * 257 : i));
      const extra: WriteElement[] = [0x1101, 0x1102, 0x1103].map((el) => ({ tag: 0x00280000 | el, vr: 'US', value: [256, 0, bits] }));
      extra.push(...[0x1201, 0x1202, 0x1203].map((el, k) => ({ tag: 0x00280000 | el, vr: 'OW', value: k === 0 ? lut : lut.map((v) => (bits === 16 ? 65535 : 255) - v) })));
      const parsed = parseInstance(await makeImage({ rows: 8, columns: 8, bitsAllocated: 8, photometric: 'PALETTE COLOR', values: indices, extra }, TS_UID.explicitLE));
      expect(parsed.header.palette?.red.entries).toBe(256);
      expect(parsed.header.palette?.red.bits).toBe(bits);
      expect(parsed.header.palette?.green.data[10]).toBe((bits === 16 ? 65535 : 255) - lut[10]!);
      expect(Array.from((await decodeFrame(parsed, 0)).data)).toEqual(Array.from(indices));
    });
  }

  it('segmented palette LUTs expand: discrete, linear and indirect segments', () => {
    // discrete [0, 10, 20], linear to 50 over 3 entries, then copy the first (discrete) segment again.
    const words = Uint16Array.from([0, 3, 0, 10, 20, 1, 3, 50, 2, 1, 0, 0]);
    expect(expandSegmentedLut(words, 9)).toEqual([0, 10, 20, 30, 40, 50, 0, 10, 20]);
  });

  it('a segmented PALETTE COLOR file decodes and expands its LUT', async () => {
    const seg = Uint16Array.from([0, 1, 0, 1, 255, 65535]);
    const extra: WriteElement[] = [0x1101, 0x1102, 0x1103].map((el) => ({ tag: 0x00280000 | el, vr: 'US', value: [256, 0, 16] }));
    extra.push(...[0x1221, 0x1222, 0x1223].map((el) => ({ tag: 0x00280000 | el, vr: 'OW', value: seg })));
    const parsed = parseInstance(await makeImage({ rows: 4, columns: 4, bitsAllocated: 8, photometric: 'PALETTE COLOR', values: new Uint8Array(16).fill(3), extra }, TS_UID.explicitLE));
    const red = parsed.header.palette!.red;
    expect(red.data.length).toBe(256);
    expect(red.data[0]).toBe(0);
    expect(red.data[255]).toBe(65535);
    expect(red.data[128]).toBe(Math.round((65535 * 128) / 255));
  });
});

describe('pixel formats', () => {
  it('Bits Stored 12 in 16 masks away garbage in the high bits (unsigned)', async () => {
    const clean = Uint16Array.from(pattern(8, 8, 0, 4095));
    const dirty = clean.map((v, i) => v | ((i % 16) << 12));
    const f = await decode0(await makeImage({ rows: 8, columns: 8, bitsAllocated: 16, bitsStored: 12, values: dirty }, TS_UID.explicitLE));
    expect(Array.from(f.data)).toEqual(Array.from(clean));
  });

  it('Bits Stored 12 signed sign-extends from bit 11', async () => {
    const values = Int16Array.from([-2048, -1, 0, 2047]);
    const raw = Uint16Array.from(values, (v) => (v & 0x0fff) | 0xa000); // junk above bit 11
    const f = await decode0(await makeImage({ rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 12, signed: true, values: raw }, TS_UID.explicitLE));
    expect(f.data).toBeInstanceOf(Int16Array);
    expect(Array.from(f.data)).toEqual([-2048, -1, 0, 2047]);
  });

  it('High Bit below Bits Allocated − 1 shifts the stored bits down', async () => {
    const raw = Uint16Array.from([1 << 4, 100 << 4, 255 << 4, 7 << 4]);
    const f = await decode0(await makeImage({ rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 8, highBit: 11, values: raw }, TS_UID.explicitLE));
    expect(Array.from(f.data)).toEqual([1, 100, 255, 7]);
  });

  it('1-bit data unpacks least significant bit first, continuing across frames', async () => {
    // 3 frames of 3 × 3 = 27 bits, packed continuously into 4 bytes.
    const bits = Array.from({ length: 27 }, (_, i) => (i % 3 === 0 || i % 7 === 0 ? 1 : 0));
    const packed = new Uint8Array(4);
    bits.forEach((b, i) => { packed[i >> 3]! |= b << (i & 7); });
    const spec: ImageSpec = { rows: 3, columns: 3, frames: 3, bitsAllocated: 1, values: packed };
    const parsed = parseInstance(writeDicom(imageElements(spec, packed), { transferSyntaxUID: TS_UID.explicitLE }));
    const all: number[] = [];
    for (let i = 0; i < 3; i++) all.push(...Array.from((await decodeFrame(parsed, i)).data));
    expect(all).toEqual(bits);
  });

  it('32-bit unsigned and signed data keep their natural types', async () => {
    const u = Uint32Array.from([0, 1, 70000, 4294967295]);
    const s = Int32Array.from([-2147483648, -5, 5, 2147483647]);
    for (const ts of [TS_UID.explicitLE, TS_UID.explicitBE, TS_UID.rle]) {
      const fu = await decode0(await makeImage({ rows: 2, columns: 2, bitsAllocated: 32, values: u }, ts));
      expect(fu.data).toBeInstanceOf(Uint32Array);
      expect(Array.from(fu.data)).toEqual(Array.from(u));
      const fs = await decode0(await makeImage({ rows: 2, columns: 2, bitsAllocated: 32, signed: true, values: s }, ts));
      expect(fs.data).toBeInstanceOf(Int32Array);
      expect(Array.from(fs.data)).toEqual(Array.from(s));
    }
  });

  it('Float Pixel Data (7FE0,0008) decodes as float32', async () => {
    const values = Float32Array.from([-1.5, 0, 3.25, 1e6]);
    const els = imageElements({ rows: 2, columns: 2, bitsAllocated: 32, values }, undefined).filter((e) => e.tag !== 0x7fe00010 && e.tag !== 0x00280101 && e.tag !== 0x00280102 && e.tag !== 0x00280103);
    els.push({ tag: 0x7fe00008, vr: 'OF', value: values });
    for (const ts of [TS_UID.explicitLE, TS_UID.explicitBE]) {
      const f = await decode0(writeDicom(els, { transferSyntaxUID: ts }));
      expect(f.data).toBeInstanceOf(Float32Array);
      expect(Array.from(f.data)).toEqual(Array.from(values));
    }
  });

  it('8-bit signed data decodes as int8', async () => {
    const values = Int8Array.from([-128, -1, 0, 127]);
    const f = await decode0(await makeImage({ rows: 2, columns: 2, bitsAllocated: 8, signed: true, values }, TS_UID.explicitLE));
    expect(f.data).toBeInstanceOf(Int8Array);
    expect(Array.from(f.data)).toEqual([-128, -1, 0, 127]);
  });

  it('Double Float Pixel Data (7FE0,0009) decodes as float64', async () => {
    const values = Float64Array.from([-1e-9, 0, Math.PI, 1e300]);
    const els = imageElements({ rows: 2, columns: 2, bitsAllocated: 64, values }, undefined).filter((e) => ![0x7fe00010, 0x00280101, 0x00280102, 0x00280103].includes(e.tag));
    els.push({ tag: 0x7fe00009, vr: 'OD', value: values });
    for (const ts of [TS_UID.explicitLE, TS_UID.explicitBE]) {
      const f = await decode0(writeDicom(els, { transferSyntaxUID: ts }));
      expect(f.data).toBeInstanceOf(Float64Array);
      expect(Array.from(f.data)).toEqual(Array.from(values));
    }
  });

  it('rescale slope and intercept are read as numbers', async () => {
    const parsed = parseInstance(await makeImage({ rows: 2, columns: 2, bitsAllocated: 16, values: new Uint16Array(4), rescale: [0.5, -1024] }, TS_UID.explicitLE));
    expect(parsed.header.rescaleSlope).toBe(0.5);
    expect(parsed.header.rescaleIntercept).toBe(-1024);
  });
});
