// Our sequential DCT decoder: 12-bit round trips with known error, and agreement with libjpeg-turbo on 8-bit.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJpegDct } from '../../../../src/dicom/codecs/decodeJpegDct';
import { encodeJpegDct } from '../../../fixtures/encoders/encodeJpegDct';
import { encodeJpegBaseline } from '../../../fixtures/encoders/encodeWasm';
import { decodeWithWasm } from '../../../../src/dicom/codecs/wasmCodecs';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../../src/dicom/decodeFrame';
import { TS_UID } from '../../../../src/dicom/transferSyntax';
import { makeImage, pattern } from '../../../fixtures/makeImage';

const stats = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0, sum = 0;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i]! - b[i]!); max = Math.max(max, d); sum += d; }
  return { max, mean: sum / a.length };
};

describe('sequential DCT JPEG decoder', () => {
  it('12-bit with unit quantisation reconstructs within ±2 (rounding only), odd sizes included', () => {
    const rows = 37, columns = 29;
    const values = Uint16Array.from(pattern(rows, columns, 0, 4095));
    const d = decodeJpegDct(encodeJpegDct(values, rows, columns, 12, 1));
    expect(d).toMatchObject({ width: columns, height: rows, components: 1, precision: 12 });
    expect(d.samples).toBeInstanceOf(Uint16Array);
    expect(stats(d.samples, values).max).toBeLessThanOrEqual(2);
  });

  it('12-bit with coarse quantisation stays close', () => {
    const values = Uint16Array.from(pattern(64, 64, 200, 3800));
    const d = decodeJpegDct(encodeJpegDct(values, 64, 64, 12, 16));
    expect(stats(d.samples, values).mean).toBeLessThan(8);
  });

  it('agrees with libjpeg-turbo on 8-bit greyscale', async () => {
    const values = Uint8Array.from(pattern(48, 40, 0, 255));
    const jpeg = await encodeJpegBaseline({ pixels: values, rows: 48, columns: 40, components: 1, bitsPerSample: 8, signed: false }, 90);
    const ours = decodeJpegDct(jpeg);
    const ref = await decodeWithWasm('libjpeg-turbo', jpeg);
    expect(stats(ours.samples, ref.pixels).max).toBeLessThanOrEqual(2);
  });

  it('rejects progressive and truncated streams with named errors', () => {
    const jpeg = encodeJpegDct(new Uint16Array(64).fill(1000), 8, 8, 12, 1);
    const progressive = jpeg.slice();
    const sof = progressive.findIndex((b, i) => b === 0xff && progressive[i + 1] === 0xc1);
    progressive[sof + 1] = 0xc2;
    expect(() => decodeJpegDct(progressive)).toThrow(expect.objectContaining({ name: 'UnsupportedPixelFormatError' }));
    expect(() => decodeJpegDct(jpeg.slice(0, 30))).toThrow(expect.objectContaining({ name: 'CorruptPixelDataError' }));
  });

  it('a 12-bit JPEG Extended DICOM file decodes through decodeFrame', async () => {
    const values = Uint16Array.from(pattern(40, 48, 0, 4095, 2));
    const bytes = await makeImage({ rows: 40, columns: 48, frames: 2, bitsAllocated: 16, bitsStored: 12, values }, TS_UID.jpegExtended);
    const parsed = parseInstance(bytes);
    const f0 = await decodeFrame(parsed, 0), f1 = await decodeFrame(parsed, 1);
    expect(f0.data).toBeInstanceOf(Uint16Array);
    expect(stats([...f0.data, ...f1.data], values).max).toBeLessThanOrEqual(2);
  });

  it.skipIf(!existsSync('test/fixtures/pydicom/.complete'))('pydicom JPGExtended.dcm (12-bit, process 4) decodes close to the same image in JPEG 2000', async () => {
    const px = async (f: string) => decodeFrame(parseInstance(new Uint8Array(readFileSync(`test/fixtures/pydicom/${f}`))), 0);
    const jpg = await px('JPGExtended.dcm');
    const j2k = await px('JPEG2000.dcm');
    expect(jpg.rows).toBe(1024);
    expect(jpg.max).toBeGreaterThan(jpg.min);
    const s = stats(jpg.data, j2k.data);
    expect(s.mean).toBeLessThan((j2k.max - j2k.min) * 0.02);
    const lossy = await px('JPEG-lossy.dcm');
    expect(stats(lossy.data, jpg.data).mean).toBeLessThan((j2k.max - j2k.min) * 0.02);
  });
});
