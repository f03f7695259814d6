// Derived images (model outputs and difference maps) as cornerstone images: 'lucid-derived:<key>'. The values live in
// a bounded UI-side store in modality units; the loader turns them into int16 + rescale so the viewer's window/level
// works in HU exactly as for the source. UI thread; pixel data never passes through React state.
import cornerstone from 'cornerstone-core';
import type { Image } from 'cornerstone-core';
import { storedWithRescale } from '../shared/rescale';
import { percentile } from '../shared/percentile';

export interface DerivedImage {
  /** Modality values (HU for CT), rows × columns. */
  values: Float32Array;
  rows: number;
  columns: number;
  /** [row, column] spacing in mm of this image's own grid, or null. */
  pixelSpacing: [number, number] | null;
  /** Initial window; a difference map centres on 0. */
  window: { center: number; width: number };
}

const store = new Map<string, DerivedImage>();
/** Most derived images kept (oldest dropped first); a 1024² sr-x2 slice is 4 MB as float32. */
export const MAX_DERIVED = 400;
let registered = false;

export function derivedImageId(key: string): string {
  return `lucid-derived:${key}`;
}

export function putDerived(key: string, image: DerivedImage): string {
  store.delete(key);
  store.set(key, image);
  while (store.size > MAX_DERIVED) store.delete(store.keys().next().value!);
  const id = derivedImageId(key);
  try { cornerstone.imageCache.removeImageLoadObject(id); } catch { /* not cached yet */ }
  return id;
}

export function getDerived(key: string): DerivedImage | undefined {
  return store.get(key);
}

export function clearDerived(): void {
  for (const key of store.keys()) {
    try { cornerstone.imageCache.removeImageLoadObject(derivedImageId(key)); } catch { /* not cached */ }
  }
  store.clear();
}

export function toDerivedCornerstoneImage(imageId: string, d: DerivedImage): Image {
  const { stored, slope, intercept } = storedWithRescale([d.values], 1, 0, false);
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < stored.length; i++) { const v = stored[i]!; if (v < min) min = v; if (v > max) max = v; }
  return {
    imageId, rows: d.rows, columns: d.columns, height: d.rows, width: d.columns, color: false, invert: false,
    rowPixelSpacing: d.pixelSpacing?.[0], columnPixelSpacing: d.pixelSpacing?.[1],
    minPixelValue: min, maxPixelValue: max, slope, intercept,
    windowCenter: d.window.center, windowWidth: d.window.width,
    getPixelData: () => stored, sizeInBytes: stored.byteLength,
  };
}

export function registerDerivedLoader(): void {
  if (registered) return;
  registered = true;
  cornerstone.registerImageLoader('lucid-derived', (imageId) => {
    const key = imageId.slice('lucid-derived:'.length);
    const d = store.get(key);
    return { promise: d ? Promise.resolve(toDerivedCornerstoneImage(imageId, d)) : Promise.reject(new Error(`No derived image ${key}`)) };
  });
}

/**
 * Enhanced minus original on the enhanced grid (the original resampled bilinearly, pixel centres aligned as the
 * ×scale model sees them), so the map shows where and by how much the model changed the image. Pure.
 */
export function differenceMap(enhanced: Float32Array, rows: number, columns: number, original: ArrayLike<number>, srcRows: number, srcColumns: number): { values: Float32Array; window: { center: number; width: number } } {
  const sy = srcRows / rows, sx = srcColumns / columns;
  const out = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const y = Math.min(srcRows - 1, Math.max(0, (r + 0.5) * sy - 0.5));
    const y0 = Math.floor(y), y1 = Math.min(srcRows - 1, y0 + 1), fy = y - y0;
    for (let c = 0; c < columns; c++) {
      const x = Math.min(srcColumns - 1, Math.max(0, (c + 0.5) * sx - 0.5));
      const x0 = Math.floor(x), x1 = Math.min(srcColumns - 1, x0 + 1), fx = x - x0;
      const v = (1 - fy) * ((1 - fx) * original[y0 * srcColumns + x0]! + fx * original[y0 * srcColumns + x1]!)
        + fy * ((1 - fx) * original[y1 * srcColumns + x0]! + fx * original[y1 * srcColumns + x1]!);
      out[r * columns + c] = enhanced[r * columns + c]! - v;
    }
  }
  const step = Math.max(1, Math.floor(out.length / 65536));
  const mags = Float64Array.from({ length: Math.ceil(out.length / step) }, (_, i) => Math.abs(out[i * step]!)).sort();
  const p99 = percentile(mags, 99);
  return { values: out, window: { center: 0, width: Math.max(2 * p99, 1e-3) } };
}
