// Derived images (model outputs and difference maps) as cornerstone images: 'lucid-derived:<key>'. The values live in
// a bounded UI-side store in modality units; the loader turns them into int16 + rescale so the viewer's window/level
// works in HU exactly as for the source. UI thread; pixel data never passes through React state.
import cornerstone from 'cornerstone-core';
import type { Image } from 'cornerstone-core';
import { displayPixels, type DisplayPixels } from '../shared/rescale';
import { renderOffThread } from './offThreadRender';

export interface DerivedImage {
  /** Modality values (HU for CT), rows × columns. */
  values: Float32Array;
  rows: number;
  columns: number;
  /** [row, column] spacing in mm of this image's own grid, or null. */
  pixelSpacing: [number, number] | null;
  /** int16 + rescale for display, prepared off the UI thread (computed here when absent). */
  display?: DisplayPixels;
  /** Initial window; a difference map centres on 0. */
  window: { center: number; width: number };
  /** A denoised image: the noise SD estimated on its source slice (modality units), which the model was set to. */
  noiseSd?: number;
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

export function toDerivedCornerstoneImage(imageId: string, d: DerivedImage): Image {
  const { stored, slope, intercept, min, max } = d.display ?? displayPixels(d.values, true);
  return {
    imageId, rows: d.rows, columns: d.columns, height: d.rows, width: d.columns, color: false, invert: false,
    rowPixelSpacing: d.pixelSpacing?.[0], columnPixelSpacing: d.pixelSpacing?.[1],
    minPixelValue: min, maxPixelValue: max, slope, intercept,
    windowCenter: d.window.center, windowWidth: d.window.width,
    getPixelData: () => stored, sizeInBytes: stored.byteLength, render: renderOffThread,
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
