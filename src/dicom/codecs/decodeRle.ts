// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, each segment PackBits-coded.
// Segment order: for each sample, its bytes from most to least significant. Output: planar by sample
// (the caller interleaves), each sample's values in native byte order. Thread-neutral, pure.
// Bits Allocated 1: the standard leaves the layout open, and writers differ. Read literally, G.2 pads each 1-bit
// Composite Pixel Code with most significant zero bits to a byte (one byte a pixel); writers that pack the frame as
// for native data (PS3.5 §8.1.1: continuous bits, least significant first, padded to a whole byte) write a segment
// of ceil(pixels / 8) bytes. decodeRle1Bit reads both, told apart by the decoded length of the one segment.
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
    const p = unpackBits(frame, start, end, out, base, bytesPerSample, pixels, s);
    if (p < pixels) throw new CorruptPixelDataError(`RLE segment ${s} decodes to ${p} of ${pixels} pixels`);
  }
  return out;
}

/**
 * PackBits-decodes frame[start, end) into out[base + stride * p] for p < max; returns how many bytes it made. A run
 * running past `end` is a CorruptPixelDataError, or with `untilEnd` the end of the data (the pad byte that makes a
 * segment even looks like a run header; the caller judges the length made).
 */
function unpackBits(frame: Uint8Array, start: number, end: number, out: Uint8Array, base: number, stride: number, max: number, segment: number, untilEnd = false): number {
  let p = 0;
  let i = start;
  while (p < max && i < end) {
    const n = frame[i++]!;
    if (n < 128) {
      const count = n + 1;
      if (i + count > end) {
        if (untilEnd) return p;
        throw new CorruptPixelDataError(`RLE segment ${segment} literal run past its end`);
      }
      for (let k = 0; k < count && p < max; k++) out[base + stride * p++] = frame[i + k]!;
      i += count;
    } else if (n > 128) {
      const count = 257 - n;
      if (i >= end) {
        if (untilEnd) return p;
        throw new CorruptPixelDataError(`RLE segment ${segment} replicate run past its end`);
      }
      const v = frame[i++]!;
      for (let k = 0; k < count && p < max; k++) out[base + stride * p++] = v;
    }
    // n === 128: no-op
  }
  return p;
}

/**
 * 1-bit frame → one byte (0 or 1) a pixel. The one segment holds either a byte a pixel (G.2's Padded Composite Pixel
 * Code; any non-zero byte is 1) or the packed frame (ceil(pixels / 8) bytes, least significant bit first). A segment
 * decoding to fewer than the packed size is a CorruptPixelDataError.
 */
export function decodeRle1Bit(frame: Uint8Array, rows: number, columns: number, samples: number): Uint8Array {
  const n = rows * columns * samples;
  const [start] = readRleHeader(frame, 1, 1);
  const bytes = new Uint8Array(n);
  const made = unpackBits(frame, start!, frame.length, bytes, 0, 1, n, 0, true);
  if (made === n) {
    for (let k = 0; k < n; k++) bytes[k] = bytes[k] ? 1 : 0;
    return bytes;
  }
  const packedBytes = Math.ceil(n / 8);
  if (made < packedBytes) throw new CorruptPixelDataError(`RLE segment 0 decodes to ${made} bytes; a 1-bit frame of ${n} pixels needs ${packedBytes} (packed) or ${n} (a byte a pixel)`);
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = (bytes[k >> 3]! >> (k & 7)) & 1;
  return out;
}
