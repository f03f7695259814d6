// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, each segment PackBits-coded.
// Segment order: for each sample, its bytes from most to least significant. Output: planar by sample
// (the caller interleaves), each sample's values in native byte order. Thread-neutral, pure.
// Bits Allocated 1 (CP 2301): the frame packed as for native data (PS3.5 §8.1.1: continuous bits, least significant
// bit first, the frame padded to a whole byte) forms one byte segment; decodeRle1Bit unpacks it to a byte a pixel.
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

/** 1-bit frame: one segment of ceil(pixels / 8) packed bytes → one byte (0 or 1) a pixel. */
export function decodeRle1Bit(frame: Uint8Array, rows: number, columns: number, samples: number): Uint8Array {
  const n = rows * columns * samples;
  const packed = decodeRle(frame, 1, Math.ceil(n / 8), 1, 1);
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = (packed[k >> 3]! >> (k & 7)) & 1;
  return out;
}
