// Colour space of 8-bit JPEG: the stream's own signals (JFIF, Adobe APP14, component ids) first, DICOM's
// Photometric Interpretation when the stream is silent. pydicom's TCGA tile files are the real-world check.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jpegStreamColour } from '../../../../src/dicom/codecs/decodeJpegBaseline';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../../src/dicom/decodeFrame';

/** SOI, optional APPn segments, then a 3-component SOF0 with the given component ids. */
function header(ids: number[], app: number[][] = []): Uint8Array {
  const sof = [0xff, 0xc0, 0, 17, 8, 0, 16, 0, 16, 3, ...ids.flatMap((id) => [id, 0x11, 0])];
  return Uint8Array.from([0xff, 0xd8, ...app.flat(), ...sof, 0xff, 0xda]);
}
const JFIF = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
const adobe = (t: number) => [0xff, 0xee, 0, 14, 0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, t];

describe('jpegStreamColour', () => {
  it('follows libjpeg: JFIF, then the Adobe transform flag, then ids 1,2,3 / R,G,B; otherwise silent', () => {
    expect(jpegStreamColour(header([1, 2, 3], [JFIF]))).toBe('ycc');
    expect(jpegStreamColour(header([0, 1, 2], [adobe(0)]))).toBe('rgb');
    expect(jpegStreamColour(header([0, 1, 2], [adobe(1)]))).toBe('ycc');
    expect(jpegStreamColour(header([82, 71, 66], [adobe(0)]))).toBe('rgb');
    expect(jpegStreamColour(header([1, 2, 3]))).toBe('ycc');
    expect(jpegStreamColour(header([82, 71, 66]))).toBe('rgb');
    expect(jpegStreamColour(header([0, 1, 2]))).toBeNull();
  });
});

const PYD = 'test/fixtures/pydicom';
const HAS_PYD = existsSync(`${PYD}/.complete`);
async function pixels(name: string): Promise<ArrayLike<number>> {
  return (await decodeFrame(parseInstance(new Uint8Array(readFileSync(`${PYD}/${name}`))), 0)).data;
}
function meanError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

describe.skipIf(!HAS_PYD)('pydicom RGB JPEGs without colour transform', () => {
  it('no JFIF, no APP14, ids 0,1,2, Photometric RGB: samples as stored (was converted from YCbCr, mean error 48.3)', async () => {
    // SC_rgb_jpeg_dcmd.dcm is pydicom's uncompressed reference for this file (its Pillow test pairs them).
    const ref = await pixels('SC_rgb_jpeg_dcmd.dcm');
    expect(ref).toHaveLength(256 * 256 * 3);
    expect(meanError(await pixels('SC_jpeg_no_color_transform.dcm'), ref)).toBe(0);
  });

  it('Adobe APP14 transform 0 stays RGB; ids 1,2,3 without markers (GDCM, Photometric RGB) are still YCbCr', async () => {
    // _2 is another encoding of the same TCGA tile (pydicom's own reference for it differs by a few levels).
    expect(meanError(await pixels('SC_jpeg_no_color_transform_2.dcm'), await pixels('SC_rgb_jpeg_dcmd.dcm'))).toBeLessThan(3);
    expect(meanError(await pixels('SC_rgb_jpeg_lossy_gdcm.dcm'), await pixels('SC_rgb_rle.dcm'))).toBeLessThan(6);
  });
});
