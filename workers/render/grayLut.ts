// Stored int16 pixels → opaque grey RGBA through a linear window, exactly as cornerstone's grayscale renderer maps
// them (its generateLut: modality value = stored × slope + intercept, ((v − centre) / width + 0.5) × 255, inverted as
// 255 − that, clamped and rounded by a Uint8ClampedArray). Thread-neutral: the render worker uses it, Node tests it.

export interface GrayWindow { center: number; width: number; invert: boolean }
export interface StoredPixels { stored: Int16Array; slope: number; intercept: number; min: number; max: number }

/** One opaque RGBA pixel (as a little-endian uint32) per stored value from `min` to `max`. */
export function grayLut(p: Pick<StoredPixels, 'slope' | 'intercept' | 'min' | 'max'>, w: GrayWindow): Uint32Array {
  const grey = new Uint8ClampedArray(p.max - p.min + 1);
  for (let s = p.min; s <= p.max; s++) {
    const v = ((s * p.slope + p.intercept - w.center) / w.width + 0.5) * 255;
    grey[s - p.min] = w.invert ? 255 - v : v;
  }
  const lut = new Uint32Array(grey.length);
  for (let i = 0; i < grey.length; i++) { const g = grey[i]!; lut[i] = (0xff000000 | (g << 16) | (g << 8) | g) >>> 0; }
  return lut;
}

/** Writes the windowed image into `out` (RGBA bytes of the same pixel count). */
export function applyGrayLut(p: StoredPixels, lut: Uint32Array, out: Uint8ClampedArray): void {
  const px = new Uint32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
  const { stored, min } = p;
  for (let i = 0; i < stored.length; i++) px[i] = lut[stored[i]! - min]!;
}
