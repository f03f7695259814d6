// anomaly pre-processing: modality values → the model's working resolution, normalised and padded. The net works at
// about WORKING_MM per pixel whatever the scanner: the slice is area-downsampled by the whole factor
// round(WORKING_MM / pixel spacing) (at least 1) before normalisation, as in training (models/training/common.py
// area_down and anomaly_factor). A 512² CT at 0.7–0.9 mm is screened at 256², a quarter of the compute.
// Thread-neutral, pure.
import { normaliseSlice, percentile, type ModelModality } from '../shared/normalise';
import { MULTIPLE, padToMultiple } from '../denoise/preprocess';

/** Millimetres per pixel the net was trained at (common.py ANOMALY_MM). */
export const WORKING_MM = 1.6;
/**
 * CT is read in a soft-tissue window, x = (clip(HU, −250, 350) + 250) / 600 (common.py ANOMALY_CT_WINDOW): a 100 HU
 * lesion is 0.17 units there, against 0.05 on the full HU map where air and bone edges drown soft-tissue contrast.
 */
export const CT_WINDOW_HU = Object.freeze([-250, 350] as const);
/** Scores count only inside the body (or head), this far in from its outline: the skin–air edge is not a finding. */
export const MASK_MARGIN_MM = 5;
/** Without Pixel Spacing, an image this many pixels across is taken as one working pixel per source pixel. */
const EDGE_WITHOUT_SPACING = 256;

/**
 * The whole downsampling factor for an image: from its finer in-plane pixel spacing, or, when the header has none, from
 * its size (a field of view of 200–400 mm is typical for CT and MR, so 512 pixels are taken as about 0.8 mm each).
 */
export function workingFactor(pixelSpacing: readonly [number, number] | null | undefined, rows: number, columns: number): number {
  const mm = pixelSpacing && pixelSpacing[0] > 0 && pixelSpacing[1] > 0 ? Math.min(pixelSpacing[0], pixelSpacing[1]) : 0;
  const k = mm > 0 ? Math.round(WORKING_MM / mm) : Math.round(Math.max(rows, columns) / EDGE_WITHOUT_SPACING);
  return Math.max(1, Math.min(k, 8));
}

/** k × k block means; a last partial block is filled by repeating the last row/column (numpy 'edge' padding). */
export function areaDown(x: ArrayLike<number>, rows: number, columns: number, k: number): { data: Float32Array; rows: number; columns: number } {
  const R = Math.ceil(rows / k), C = Math.ceil(columns / k);
  const out = new Float32Array(R * C);
  const inv = 1 / (k * k);
  for (let R0 = 0; R0 < R; R0++) {
    for (let C0 = 0; C0 < C; C0++) {
      let sum = 0;
      for (let dr = 0; dr < k; dr++) {
        const r = Math.min(R0 * k + dr, rows - 1);
        for (let dc = 0; dc < k; dc++) sum += x[r * columns + Math.min(C0 * k + dc, columns - 1)]!;
      }
      out[R0 * C + C0] = sum * inv;
    }
  }
  return { data: out, rows: R, columns: C };
}

/** Model input of the anomaly net: CT in its soft-tissue window, MR as every model reads it (slice percentiles). */
export function normaliseForScreening(values: Float32Array, modality: ModelModality): Float32Array {
  if (modality !== 'CT') return normaliseSlice(values, modality).x;
  const [lo, hi] = CT_WINDOW_HU;
  const x = new Float32Array(values.length);
  for (let i = 0; i < x.length; i++) x[i] = (Math.min(hi, Math.max(lo, values[i]!)) - lo) / (hi - lo);
  return x;
}

/**
 * The body (CT: above −400 HU) or head (MR: above 10 % of the slice's 99th percentile) as 1s: the largest 4-connected
 * region of what is not background, holes (lungs, bowel gas, ventricles) filled, where background is what is below the
 * level and joined to the image border; then eroded by `marginPx`. The evaluation places lesions with a similar, not
 * identical, rule (lesion_designs.tissue_mask: an opening, holes filled, the largest region).
 */
export function bodyMask(values: Float32Array, rows: number, columns: number, modality: ModelModality, marginPx: number): Uint8Array {
  const n = rows * columns;
  let level = -400;
  if (modality !== 'CT') level = 0.1 * percentile(Float64Array.from(values).sort(), 99);
  const above = (i: number) => values[i]! > level;
  // Background: below the level and reachable from the border (flood fill over below-level pixels).
  const background = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  const seed = (i: number) => { if (!background[i] && !above(i)) { background[i] = 1; stack[top++] = i; } };
  for (let c = 0; c < columns; c++) { seed(c); seed((rows - 1) * columns + c); }
  for (let r = 0; r < rows; r++) { seed(r * columns); seed(r * columns + columns - 1); }
  while (top > 0) {
    const i = stack[--top]!, r = (i / columns) | 0, c = i - r * columns;
    if (r > 0) seed(i - columns);
    if (r + 1 < rows) seed(i + columns);
    if (c > 0) seed(i - 1);
    if (c + 1 < columns) seed(i + 1);
  }
  // The largest 4-connected region of the rest (drops the table, a head holder, specks).
  const label = new Int32Array(n);
  let best = 0, bestSize = 0, next = 0;
  for (let s = 0; s < n; s++) {
    if (background[s] || label[s]) continue;
    const id = ++next;
    let size = 0;
    label[s] = id;
    stack[top++] = s;
    while (top > 0) {
      const i = stack[--top]!, r = (i / columns) | 0, c = i - r * columns;
      size++;
      const visit = (j: number) => { if (!background[j] && !label[j]) { label[j] = id; stack[top++] = j; } };
      if (r > 0) visit(i - columns);
      if (r + 1 < rows) visit(i + columns);
      if (c > 0) visit(i - 1);
      if (c + 1 < columns) visit(i + 1);
    }
    if (size > bestSize) { bestSize = size; best = id; }
  }
  let mask: Uint8Array = Uint8Array.from(label, (l) => (l === best && best > 0 ? 1 : 0));
  for (let k = 0; k < marginPx; k++) {
    const eroded = new Uint8Array(n);
    for (let r = 1; r < rows - 1; r++) for (let c = 1; c < columns - 1; c++) {
      const i = r * columns + c;
      eroded[i] = mask[i]! & mask[i - 1]! & mask[i + 1]! & mask[i - columns]! & mask[i + columns]!;
    }
    mask = eroded;
  }
  return mask;
}

export interface AnomalyInput {
  /** Normalised working-resolution slice, edge-padded to multiples of MULTIPLE. */
  x: Float32Array;
  dims: [1, 1, number, number];
  /** The downsampling factor and the working-resolution size before padding. */
  factor: number;
  workRows: number;
  workColumns: number;
  /** Where scores count (1) at working resolution: bodyMask. */
  mask: Uint8Array;
}

export function preprocess(modalityValues: ArrayLike<number>, rows: number, columns: number, modality: ModelModality, pixelSpacing?: readonly [number, number] | null): AnomalyInput {
  if (modalityValues.length !== rows * columns) throw new RangeError(`anomaly: ${modalityValues.length} values for ${rows} × ${columns}`);
  const factor = workingFactor(pixelSpacing, rows, columns);
  const small = areaDown(modalityValues, rows, columns, factor);
  const padded = padToMultiple(normaliseForScreening(small.data, modality), small.rows, small.columns, MULTIPLE);
  const mm = pixelSpacing && pixelSpacing[0] > 0 && pixelSpacing[1] > 0 ? Math.min(pixelSpacing[0], pixelSpacing[1]) * factor : WORKING_MM;
  const mask = bodyMask(small.data, small.rows, small.columns, modality, Math.round(MASK_MARGIN_MM / mm));
  return { x: padded.data, dims: [1, 1, padded.rows, padded.columns], factor, workRows: small.rows, workColumns: small.columns, mask };
}
