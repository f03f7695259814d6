// Every transfer syntax decodes fixtures we generate in code to the known stored values.
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { makeImage, pattern, type ImageSpec } from '../../fixtures/makeImage';

async function decodeAll(bytes: Uint8Array) {
  const parsed = parseInstance(bytes);
  const frames = [];
  for (let i = 0; i < parsed.header.frames; i++) frames.push(await decodeFrame(parsed, i));
  return { parsed, frames };
}
function concat(frames: { data: ArrayLike<number> }[]): number[] {
  return frames.flatMap((f) => Array.from(f.data));
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const grey16: ImageSpec = { rows: 48, columns: 40, frames: 2, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(48, 40, 0, 4095, 2)) };
const signed16: ImageSpec = { rows: 32, columns: 36, bitsAllocated: 16, signed: true, values: Int16Array.from(pattern(32, 36, -1024, 3000)), rescale: [1, -1024], modality: 'CT' };
const grey8: ImageSpec = { rows: 33, columns: 31, bitsAllocated: 8, values: Uint8Array.from(pattern(33, 31, 0, 255)) };
const rgb8: ImageSpec = { rows: 30, columns: 34, samples: 3, bitsAllocated: 8, values: Uint8Array.from(pattern(30, 34, 0, 255, 1, 3)) };

const LOSSLESS = [
  TS_UID.implicitLE, TS_UID.explicitLE, TS_UID.explicitBE, TS_UID.deflatedLE, TS_UID.rle,
  TS_UID.jpegLossless, TS_UID.jpegLosslessSV1, TS_UID.jpegLS, TS_UID.j2kLossless, TS_UID.htj2kLossless, TS_UID.htj2kRPCL,
];

describe('lossless transfer syntaxes decode to the exact stored values', () => {
  for (const ts of LOSSLESS) {
    it(`12-bit unsigned, 2 frames: ${ts}`, async () => {
      const { parsed, frames } = await decodeAll(await makeImage(grey16, ts));
      expect(parsed.header.transferSyntaxUID).toBe(ts);
      expect(frames).toHaveLength(2);
      expect(frames[0]!.data).toBeInstanceOf(Uint16Array);
      expect(concat(frames)).toEqual(Array.from(grey16.values));
    });
    it(`16-bit signed: ${ts}`, async () => {
      const { frames } = await decodeAll(await makeImage(signed16, ts));
      expect(frames[0]!.data).toBeInstanceOf(Int16Array);
      expect(concat(frames)).toEqual(Array.from(signed16.values));
      expect(frames[0]!.min).toBe(Math.min(...signed16.values));
    });
    it(`8-bit grey, odd size: ${ts}`, async () => {
      const { frames } = await decodeAll(await makeImage(grey8, ts));
      expect(frames[0]!.data).toBeInstanceOf(Uint8Array);
      expect(concat(frames)).toEqual(Array.from(grey8.values));
    });
    it(`8-bit RGB: ${ts}`, async () => {
      const { frames } = await decodeAll(await makeImage(rgb8, ts));
      expect(frames[0]!.samples).toBe(3);
      expect(concat(frames)).toEqual(Array.from(rgb8.values));
    });
  }
});

describe('JPEG lossless predictors 1–7 (process 14)', () => {
  for (let predictor = 1; predictor <= 7; predictor++) {
    it(`predictor ${predictor}`, async () => {
      const { frames } = await decodeAll(await makeImage(grey16, TS_UID.jpegLossless, { predictor }));
      expect(concat(frames)).toEqual(Array.from(grey16.values));
    });
  }
});

describe('lossy transfer syntaxes decode within their error bounds', () => {
  it('JPEG-LS near-lossless keeps every value within NEAR', async () => {
    const { frames } = await decodeAll(await makeImage(grey16, TS_UID.jpegLSNear, { near: 3 }));
    const diff = maxAbsDiff(concat(frames), grey16.values);
    expect(diff).toBeLessThanOrEqual(3);
  });
  it('JPEG 2000 lossy is close but not identical', async () => {
    const { frames } = await decodeAll(await makeImage(grey16, TS_UID.j2k, { ratio: 8 }));
    const got = concat(frames);
    const mean = got.reduce((s, v, i) => s + Math.abs(v - grey16.values[i]!), 0) / got.length;
    expect(mean).toBeLessThan(4095 * 0.02);
  });
  it('HTJ2K lossy is close', async () => {
    const { frames } = await decodeAll(await makeImage(grey16, TS_UID.htj2k, { step: 0.002 }));
    const got = concat(frames);
    const mean = got.reduce((s, v, i) => s + Math.abs(v - grey16.values[i]!), 0) / got.length;
    expect(mean).toBeLessThan(4095 * 0.02);
  });
  for (const ts of [TS_UID.jpegBaseline, TS_UID.jpegExtended]) {
    it(`8-bit JPEG (${ts}) grey and RGB are close`, async () => {
      for (const spec of [grey8, rgb8]) {
        const { frames } = await decodeAll(await makeImage(spec, ts, { quality: 95 }));
        const got = concat(frames);
        expect(got).toHaveLength(spec.values.length);
        const mean = got.reduce((s, v, i) => s + Math.abs(v - spec.values[i]!), 0) / got.length;
        expect(mean).toBeLessThan(4);
      }
    });
  }
});
