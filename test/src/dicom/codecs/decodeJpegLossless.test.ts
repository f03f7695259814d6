// JPEG Lossless through our wrapper of jpeg-lossless-decoder-js: the last sample survives when its code ends on a
// byte boundary right before EOI (the library returned the marker instead and left the sample 0).
import { describe, expect, it } from 'vitest';
import { decodeJpegLossless, padBeforeEoi } from '../../../../src/dicom/codecs/decodeJpegLossless';
import { encodeJpegLossless } from '../../../fixtures/encoders/encodeJpegLossless';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../../src/dicom/decodeFrame';
import { TS_UID } from '../../../../src/dicom/transferSyntax';
import { makeImage } from '../../../fixtures/makeImage';

/** Signed 16-bit CT: air (−2000 outside the field of view) in a ramp, ending in a run of −2000. */
function ct(rows: number, columns: number): Int16Array {
  const v = new Int16Array(rows * columns);
  for (let i = 0; i < v.length; i++) v[i] = i % 3 === 0 ? -1000 + i : -2000;
  v[v.length - 2] = -2000;
  v[v.length - 1] = -2000;
  return v;
}

/** Bits our fixed-5-bit-code encoder spends on an image: 5 per sample plus each difference's category. */
function endsOnByteBoundary(v: Int16Array): boolean {
  let bits = 0, prev = 0x8000;
  for (let i = 0; i < v.length; i++) {
    const cur = v[i]! & 0xffff;
    let d = (cur - prev) & 0xffff;
    if (d >= 0x8000) d -= 0x10000;
    bits += 5 + (d === 0 || d === -32768 ? 0 : 32 - Math.clz32(Math.abs(d)));
    prev = cur;
  }
  return bits % 8 === 0;
}

describe('decodeJpegLossless', () => {
  it('decodes the last sample of a scan whose final code ends right before EOI (was 0 instead of −2000)', async () => {
    let tried = 0;
    for (const [rows, columns] of [[1, 5], [3, 7], [5, 13], [4, 4], [7, 9], [16, 16]] as const) {
      for (const values of [new Int16Array(rows * columns).fill(-2000), ct(rows, columns)]) {
        if (endsOnByteBoundary(values)) tried++;
        const file = await makeImage({ rows, columns, bitsAllocated: 16, signed: true, values, modality: 'CT' }, TS_UID.jpegLosslessSV1);
        const frame = await decodeFrame(parseInstance(file), 0);
        expect(Array.from(frame.data), `${rows} × ${columns}`).toEqual(Array.from(values));
      }
    }
    expect(tried).toBeGreaterThanOrEqual(2); // the failing shape is really exercised
  });

  it('the codec alone: 1 × 5 of −2000 ends on a byte boundary and decodes whole', () => {
    const values = new Int16Array(5).fill(-2000);
    expect(endsOnByteBoundary(values)).toBe(true);
    const out = decodeJpegLossless(encodeJpegLossless(values, 1, 5, 1, 16, 1), 2);
    expect(Array.from(new Int16Array(out.buffer, out.byteOffset, 5))).toEqual(Array.from(values));
  });

  it('pads before EOI, also when a DICOM pad byte follows it, and leaves the input alone', () => {
    const s = Uint8Array.from([0xff, 0xd8, 1, 2, 0xff, 0xd9, 0]);
    expect(Array.from(padBeforeEoi(s))).toEqual([0xff, 0xd8, 1, 2, 0, 0, 0xff, 0xd9, 0]);
    expect(Array.from(s)).toEqual([0xff, 0xd8, 1, 2, 0xff, 0xd9, 0]);
    expect(Array.from(padBeforeEoi(Uint8Array.from([0xff, 0xd8, 7])))).toEqual([0xff, 0xd8, 7, 0, 0]);
  });
});
