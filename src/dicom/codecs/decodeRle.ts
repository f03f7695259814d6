// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, each segment PackBits-coded.
// Segment order: for each sample, its bytes from most to least significant. Output: planar by sample
// (the caller interleaves), each sample's values in native byte order. Thread-neutral, pure.
import { CorruptPixelDataError } from '../../shared/errors';

export function decodeRle(frame: Uint8Array, rows: number, columns: number, samples: number, bytesPerSample: number): Uint8Array {
  if (frame.length < 64) throw new CorruptPixelDataError('RLE frame shorter than its 64-byte header');
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = dv.getUint32(0, true);
  const expected = samples * bytesPerSample;
  if (segments !== expected) throw new CorruptPixelDataError(`RLE header has ${segments} segments, expected ${expected}`);
  const pixels = rows * columns;
  const out = new Uint8Array(pixels * expected);
  const littleEndianHost = true; // typed arrays here are little endian on every platform we run on
  for (let s = 0; s < segments; s++) {
    const start = dv.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? dv.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || start > frame.length || end > frame.length || end < start) {
      throw new CorruptPixelDataError(`RLE segment ${s} offsets out of range`);
    }
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = s % bytesPerSample; // 0 = most significant
    const byteIndex = littleEndianHost ? bytesPerSample - 1 - byteInSample : byteInSample;
    // Output for this segment: bytes at positions (sample plane) * pixels * bps + p * bps + byteIndex.
    const base = sample * pixels * bytesPerSample + byteIndex;
    let p = 0;
    let i = start;
    while (p < pixels && i < end) {
      const n = frame[i++]!;
      if (n < 128) {
        const count = n + 1;
        if (i + count > end) throw new CorruptPixelDataError(`RLE segment ${s} literal run past its end`);
        for (let k = 0; k < count && p < pixels; k++) out[base + bytesPerSample * p++] = frame[i + k]!;
        i += count;
      } else if (n > 128) {
        const count = 257 - n;
        if (i >= end) throw new CorruptPixelDataError(`RLE segment ${s} replicate run past its end`);
        const v = frame[i++]!;
        for (let k = 0; k < count && p < pixels; k++) out[base + bytesPerSample * p++] = v;
      }
      // n === 128: no-op
    }
    if (p < pixels) throw new CorruptPixelDataError(`RLE segment ${s} decodes to ${p} of ${pixels} pixels`);
  }
  return out;
}
