// Truncation at every offset, for a small file of every transfer syntax Lucid reads (and 1-bit, RGB and multi-frame
// variants): the whole file loads and decodes every frame; every shorter copy is refused with a named error — never
// a throw, a hang, or a half-read file taken as good (Pixel Data is the last element, so any cut loses pixels).
import { describe, expect, it } from 'vitest';
import { inspectBytes } from '../../../src/dicom/inspectFile';
import { DICOM_ERROR_NAMES } from '../../../src/shared/errors';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { makeImage, pattern, type ImageSpec } from '../../fixtures/makeImage';

const NAMED = new Set<string>(DICOM_ERROR_NAMES);
const grey: ImageSpec = { rows: 6, columns: 5, frames: 2, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(6, 5, 0, 4095, 2)) };
// libjpeg-turbo's encoder (used here only to make fixtures) overruns its output on images under 32 × 32.
const grey8: ImageSpec = { rows: 32, columns: 32, frames: 2, bitsAllocated: 8, values: Uint8Array.from(pattern(32, 32, 0, 255, 2)) };
const rgb: ImageSpec = { rows: 32, columns: 32, samples: 3, bitsAllocated: 8, values: Uint8Array.from(pattern(32, 32, 0, 255, 1, 3)) };
const rgbOdd: ImageSpec = { rows: 3, columns: 3, samples: 3, bitsAllocated: 8, values: Uint8Array.from(pattern(3, 3, 0, 255, 1, 3)) };
const bits1: ImageSpec = { rows: 7, columns: 5, frames: 2, bitsAllocated: 1, values: Uint8Array.from(pattern(7, 5, 0, 1, 2)) };

const CASES: [name: string, spec: ImageSpec, ts: string][] = [
  ...(['implicitLE', 'explicitLE', 'explicitBE', 'deflatedLE', 'rle', 'jpegLossless', 'jpegLosslessSV1', 'jpegLS', 'jpegLSNear', 'j2kLossless', 'j2k', 'htj2kLossless', 'htj2k', 'deflatedFrame', 'jpegExtended'] as const)
    .map((k): [string, ImageSpec, string] => [`16-bit, 2 frames, ${k}`, grey, TS_UID[k]]),
  ['8-bit, 2 frames, JPEG baseline', grey8, TS_UID.jpegBaseline],
  ['RGB, JPEG baseline', rgb, TS_UID.jpegBaseline],
  ['RGB, RLE', rgb, TS_UID.rle],
  ['RGB 3 × 3, explicit VR big endian (odd length)', rgbOdd, TS_UID.explicitBE],
  ['1-bit, 2 frames, explicit LE', bits1, TS_UID.explicitLE],
  ['1-bit, 2 frames, RLE', bits1, TS_UID.rle],
  ['1-bit, 2 frames, deflated frames', bits1, TS_UID.deflatedFrame],
];

describe('truncation at every offset, every transfer syntax', () => {
  it.each(CASES)('%s', async (name, spec, ts) => {
    const bytes = await makeImage(spec, ts);
    const whole = (await inspectBytes(name, bytes, { allFrames: true })).record;
    expect(whole.ok, `${name} whole: ${whole.error?.name}: ${whole.error?.message}`).toBe(true);
    let slowest = 0;
    const names = new Map<string, number>();
    for (let cut = 0; cut < bytes.length; cut++) {
      const t0 = performance.now();
      const { record } = await inspectBytes(`${name} cut at ${cut}`, bytes.slice(0, cut), { allFrames: true });
      slowest = Math.max(slowest, performance.now() - t0);
      expect(record.ok, `${name} cut at ${cut} of ${bytes.length} was taken as good`).toBe(false);
      expect(NAMED.has(record.error!.name), `${name} cut at ${cut}: ${record.error!.name}: ${record.error!.message}`).toBe(true);
      names.set(record.error!.name, (names.get(record.error!.name) ?? 0) + 1);
    }
    // Past the preamble and file meta, a cut is a truncation, not "not DICOM": the message must say what happened.
    expect(names.get('TruncatedError') ?? 0, `${name}: ${JSON.stringify([...names])}`).toBeGreaterThan(0);
    expect(names.size > 0 && [...names.values()].reduce((a, b) => a + b) === bytes.length).toBe(true);
    expect(slowest, `${name}: slowest cut took ${slowest.toFixed(0)} ms`).toBeLessThan(2000);
  });
});
