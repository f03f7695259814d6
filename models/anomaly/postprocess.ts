// anomaly post-processing: the padded score map → rows × columns scores (normalised units: a residual of 0.1 is 10 %
// of the CT map's 2048 HU or of the MR slice's p1–p99 range), plus connected regions above a threshold as boxes in
// SOURCE-IMAGE PIXEL coordinates, each with a region score that the threshold does not change. Thread-neutral, pure.

/**
 * Default box threshold per modality (normalised residual units), the app's starting point for the threshold slider
 * and the CLI's default: the 99.9th percentile of the scores of lesion-free validation slices, written by
 * models/training/evaluate.py into thresholds.json. It is also the reference a region's score is expressed against.
 */
export { default as SCREEN_THRESHOLD } from './thresholds.json';

/** What a region's score means, for legends and reports (one sentence; it is not a probability). */
export const REGION_SCORE_MEANING = "Region score: the region's peak residual ÷ the 99.9th percentile of residuals on lesion-free "
  + 'validation slices of the same modality (1 = as unusual as the top 0.1 % of normal pixels), the same at any threshold '
  + 'and not a probability of disease.';

export interface Box {
  rowMin: number; rowMax: number; columnMin: number; columnMax: number; pixels: number;
  /** Highest residual in the region (normalised units). */
  peak: number;
  /** peak ÷ the reference (the modality's 99.9th percentile on normal validation slices): see REGION_SCORE_MEANING. */
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
