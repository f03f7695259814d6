// anomaly post-processing: the padded score map → rows × columns scores (normalised units: a residual of 0.1 is 10 %
// of the CT map's 2048 HU or of the MR slice's p1–p99 range), plus connected regions above a threshold as boxes
// with a confidence, in SOURCE-IMAGE PIXEL coordinates. Thread-neutral, pure.

/**
 * Default box threshold per modality (normalised residual units), the app's starting point for the threshold slider
 * and the CLI's default: the 99.9th percentile of the scores of lesion-free validation slices, written by
 * models/training/evaluate.py into thresholds.json.
 */
export { default as SCREEN_THRESHOLD } from './thresholds.json';

export interface Box { rowMin: number; rowMax: number; columnMin: number; columnMax: number; confidence: number; pixels: number }

export function cropScores(output: Float32Array, dims: readonly number[], rows: number, columns: number): Float32Array {
  const pc = dims[3]!;
  const out = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) out.set(output.subarray(r * pc, r * pc + columns), r * columns);
  return out;
}

/**
 * 4-connected regions with score ≥ threshold, largest peak first. Confidence is the region's peak score mapped
 * through 1 − exp(−peak / scale), so it rises from 0 towards 1 as the residual grows; `minPixels` drops specks.
 */
export function scoreBoxes(scores: Float32Array, rows: number, columns: number, threshold: number, scale = threshold, minPixels = 4): Box[] {
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
    if (pixels >= minPixels) boxes.push({ rowMin, rowMax, columnMin, columnMax, pixels, confidence: 1 - Math.exp(-peak / scale) });
  }
  return boxes.sort((a, b) => b.confidence - a.confidence);
}

/** The boxes of a screened slice at `threshold`: those found with it (in the worker) when it is the same, else anew. */
export function boxesAt(result: { scores: Float32Array; rows: number; columns: number; threshold: number; boxes: Box[] }, threshold: number): Box[] {
  return result.threshold === threshold ? result.boxes : scoreBoxes(result.scores, result.rows, result.columns, threshold);
}
