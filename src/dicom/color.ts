// Colour sample conversions (PS3.3 C.7.6.3.1.2): planar → interleaved, YBR_FULL(_422) → RGB.
// Thread-neutral, pure; operates in place where it can.
import type { StoredArray } from '../shared/types';

/** Planar (RRR…GGG…BBB…) → interleaved (RGBRGB…), PS3.3 C.7.6.3.1.3 Planar Configuration = 1. */
export function planarToInterleaved<T extends StoredArray>(src: T, pixels: number): T {
  const out = new (src.constructor as { new (n: number): T })(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    out[3 * p] = src[p]!;
    out[3 * p + 1] = src[pixels + p]!;
    out[3 * p + 2] = src[2 * pixels + p]!;
  }
  return out;
}

/** YBR_FULL_422 as stored natively: Y0 Y1 Cb Cr per pair of pixels → full YBR (Y Cb Cr per pixel). */
export function upsample422(src: StoredArray, rows: number, columns: number): StoredArray {
  const out = new (src.constructor as { new (n: number): StoredArray })(rows * columns * 3);
  const n = rows * columns;
  for (let p = 0, i = 0; p < n && i + 3 < src.length; p += 2, i += 4) {
    const y0 = src[i]!, y1 = src[i + 1]!, cb = src[i + 2]!, cr = src[i + 3]!;
    out[3 * p] = y0; out[3 * p + 1] = cb; out[3 * p + 2] = cr;
    if (p + 1 < n) { out[3 * p + 3] = y1; out[3 * p + 4] = cb; out[3 * p + 5] = cr; }
  }
  return out;
}

/** Interleaved YCbCr (full range) → RGB in place, for `bits`-bit samples. */
export function ybrFullToRgb(data: StoredArray, bits: number): void {
  const max = 2 ** bits - 1;
  const half = 2 ** (bits - 1);
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = data[i]!, cb = data[i + 1]! - half, cr = data[i + 2]! - half;
    const r = y + 1.402 * cr;
    const g = y - 0.344136 * cb - 0.714136 * cr;
    const b = y + 1.772 * cb;
    data[i] = r < 0 ? 0 : r > max ? max : Math.round(r);
    data[i + 1] = g < 0 ? 0 : g > max ? max : Math.round(g);
    data[i + 2] = b < 0 ? 0 : b > max ? max : Math.round(b);
  }
}
