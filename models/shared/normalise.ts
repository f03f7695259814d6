// Model-space normalisation shared by every Lucid model, mirroring models/training/common.py exactly.
// Thread-neutral, pure. CT: fixed map from Hounsfield units; MR: robust percentiles of the slice.
// Model outputs are mapped back with the same (offset, scale), so modality values (HU) survive enhancement.

import { percentile } from '../../src/shared/percentile';

export type ModelModality = 'CT' | 'MR';

/** The normalisation a DICOM Modality gets: CT's fixed HU map, everything else MR-style slice percentiles. */
export function modelModality(modality: string): ModelModality {
  return modality === 'CT' ? 'CT' : 'MR';
}

/** CT: x = (HU + 1024) / 2048 with HU clipped to [-1024, 3071] (air 0, water 0.5). */
export const CT_MAP = Object.freeze({ offset: -1024, scale: 2048, min: -1024, max: 3071 });
/** MR: x = (v − p1) / (p99 − p1) over the slice. */
export const MR_PERCENTILES = Object.freeze({ low: 1, high: 99 });

export interface Normalised { x: Float32Array; offset: number; scale: number }

export { percentile } from '../../src/shared/percentile';

/** Modality values of one slice → model input; keeps (offset, scale) for the way back. */
export function normaliseSlice(values: ArrayLike<number>, modality: ModelModality): Normalised {
  const n = values.length;
  const x = new Float32Array(n);
  if (modality === 'CT') {
    for (let i = 0; i < n; i++) {
      const v = Math.min(CT_MAP.max, Math.max(CT_MAP.min, values[i]!));
      x[i] = (v - CT_MAP.offset) / CT_MAP.scale;
    }
    return { x, offset: CT_MAP.offset, scale: CT_MAP.scale };
  }
  const sorted = Float64Array.from(values).sort();
  const lo = percentile(sorted, MR_PERCENTILES.low);
  let hi = percentile(sorted, MR_PERCENTILES.high);
  if (hi - lo < 1e-6) hi = lo + 1;
  const scale = hi - lo;
  for (let i = 0; i < n; i++) x[i] = (values[i]! - lo) / scale;
  return { x, offset: lo, scale };
}

/** Model output → modality values with the input's (offset, scale). */
export function denormalise(y: ArrayLike<number>, offset: number, scale: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i]! * scale + offset;
  return out;
}

/** Modality values → stored values (PS3.3 C.11.1 inverted), rounded and clipped to the stored type's range. */
export function toStoredValues(modality: ArrayLike<number>, slope: number, intercept: number, min: number, max: number): Float64Array {
  const out = new Float64Array(modality.length);
  for (let i = 0; i < modality.length; i++) {
    const s = Math.round((modality[i]! - intercept) / slope);
    out[i] = s < min ? min : s > max ? max : s;
  }
  return out;
}
