// anomaly post-processing: the padded score map → rows × columns scores (0–1: the model's estimate of how strongly the
// slice differs there from the normal anatomy it learned), plus connected regions above a threshold as boxes in
// SOURCE-IMAGE PIXEL coordinates, each with a region score that the threshold does not change. Thread-neutral, pure.

/**
 * Default box threshold per modality (score units), the app's starting point for the threshold slider and the CLI's
 * default: the lowest level at which the lesion-free validation slices have at most one box per ten slices, written by
 * models/training/eval_anomaly.py into thresholds.json. It is also the reference a region's score is expressed against.
 */
export { default as SCREEN_THRESHOLD } from './thresholds.json';

/** What a region's score means, for legends and reports (one sentence; it is not a probability). */
export const REGION_SCORE_MEANING = "Region score: the region's peak ÷ its modality's reference level, which regions reach on "
  + 'fewer than one in ten lesion-free validation slices (1 or more: rarer than that on normal slices); the same at any '
  + 'threshold and not a probability of disease.';

export interface Box {
  rowMin: number; rowMax: number; columnMin: number; columnMax: number; pixels: number;
  /** Highest score in the region (0–1). */
  peak: number;
  /** peak ÷ the reference (the modality's default threshold): see REGION_SCORE_MEANING. */
  score: number;
}

/** A score as the UI and legends print it: two significant decimals below 10. */
export const formatRegionScore = (score: number): string => (score < 10 ? score.toFixed(2) : score.toFixed(1));

export function cropScores(output: Float32Array, dims: readonly number[], rows: number, columns: number): Float32Array {
  const pc = dims[3]!;
  const out = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) out.set(output.subarray(r * pc, r * pc + columns), r * columns);
  return out;
}

/**
 * A working-resolution score map (`workRows` × `workColumns`, downsampled by `factor`) → `rows` × `columns`, bilinear
 * between working-pixel centres (the same geometry as torch's interpolate with align_corners false), edges held.
 */
export function upsampleScores(work: Float32Array, workRows: number, workColumns: number, rows: number, columns: number, factor: number): Float32Array {
  if (factor === 1 && workRows === rows && workColumns === columns) return work;
  const out = new Float32Array(rows * columns);
  const c0 = new Int32Array(columns), c1 = new Int32Array(columns), cw = new Float32Array(columns);
  for (let c = 0; c < columns; c++) {
    const s = Math.min(Math.max((c + 0.5) / factor - 0.5, 0), workColumns - 1);
    c0[c] = Math.floor(s);
    c1[c] = Math.min(c0[c]! + 1, workColumns - 1);
    cw[c] = s - c0[c]!;
  }
  for (let r = 0; r < rows; r++) {
    const s = Math.min(Math.max((r + 0.5) / factor - 0.5, 0), workRows - 1);
    const r0 = Math.floor(s), r1 = Math.min(r0 + 1, workRows - 1), rw = s - r0;
    const a = r0 * workColumns, b = r1 * workColumns;
    for (let c = 0; c < columns; c++) {
      const top = work[a + c0[c]!]! + (work[a + c1[c]!]! - work[a + c0[c]!]!) * cw[c]!;
      const bottom = work[b + c0[c]!]! + (work[b + c1[c]!]! - work[b + c0[c]!]!) * cw[c]!;
      out[r * columns + c] = top + (bottom - top) * rw;
    }
  }
  return out;
}

/**
 * 4-connected regions with score ≥ threshold, largest peak first; `minPixels` drops specks. Each region's score is
 * its peak ÷ `reference` (SCREEN_THRESHOLD of the modality), so the threshold decides which regions there are, never
 * what a region's number is.
 */
export function scoreBoxes(scores: Float32Array, rows: number, columns: number, threshold: number, reference: number, minPixels = 4): Box[] {
  const seen = new Uint8Array(rows * columns);
  const boxes: Box[] = [];
  // Flood fill with a typed stack and no per-pixel allocation: a screened series arrives slice by slice on the UI
  // thread, which must stay responsive.
  const stack = new Int32Array(rows * columns);
  for (let start = 0; start < scores.length; start++) {
    if (seen[start] || !(scores[start]! >= threshold)) continue;
    let rowMin = rows, rowMax = -1, columnMin = columns, columnMax = -1, peak = 0, pixels = 0, top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const i = stack[--top]!;
      const r = (i / columns) | 0, c = i - r * columns, v = scores[i]!;
      pixels++;
      if (v > peak) peak = v;
      if (r < rowMin) rowMin = r;
      if (r > rowMax) rowMax = r;
      if (c < columnMin) columnMin = c;
      if (c > columnMax) columnMax = c;
      if (r > 0 && !seen[i - columns] && scores[i - columns]! >= threshold) { seen[i - columns] = 1; stack[top++] = i - columns; }
      if (r + 1 < rows && !seen[i + columns] && scores[i + columns]! >= threshold) { seen[i + columns] = 1; stack[top++] = i + columns; }
      if (c > 0 && !seen[i - 1] && scores[i - 1]! >= threshold) { seen[i - 1] = 1; stack[top++] = i - 1; }
      if (c + 1 < columns && !seen[i + 1] && scores[i + 1]! >= threshold) { seen[i + 1] = 1; stack[top++] = i + 1; }
    }
    if (pixels >= minPixels) boxes.push({ rowMin, rowMax, columnMin, columnMax, pixels, peak, score: peak / reference });
  }
  return boxes.sort((a, b) => b.peak - a.peak);
}

/** The boxes of a screened slice at `threshold`: those found with it (in the worker) when it is the same, else anew. */
export function boxesAt(result: { scores: Float32Array; rows: number; columns: number; threshold: number; reference: number; boxes: Box[] }, threshold: number): Box[] {
  return result.threshold === threshold ? result.boxes : scoreBoxes(result.scores, result.rows, result.columns, threshold, result.reference);
}
