// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, each segment PackBits-coded.
// Segment order: for each sample, its bytes from most to least significant. Output: planar by sample
// (the caller interleaves), each sample's values in native byte order. Thread-neutral, pure.
import { CorruptPixelDataError } from '../../shared/errors';
import { readRleHeader } from './codestreamHeader';

export function decodeRle(frame: Uint8Array, rows: number, columns: number, samples: number, bytesPerSample: number): Uint8Array {
  const offsets = readRleHeader(frame, samples, bytesPerSample);
  const segments = offsets.length;
  const pixels = rows * columns;
  const out = new Uint8Array(pixels * segments);
  const littleEndianHost = true; // typed arrays here are little endian on every platform we run on
  for (let s = 0; s < segments; s++) {
    const start = offsets[s]!;
    const end = offsets[s + 1] ?? frame.length;
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
