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
  const stack: number[] = [];
  for (let start = 0; start < scores.length; start++) {
    if (seen[start] || scores[start]! < threshold) continue;
    let rowMin = rows, rowMax = -1, columnMin = columns, columnMax = -1, peak = 0, pixels = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      const r = Math.floor(i / columns), c = i - r * columns;
      pixels++;
      peak = Math.max(peak, scores[i]!);
      rowMin = Math.min(rowMin, r); rowMax = Math.max(rowMax, r);
      columnMin = Math.min(columnMin, c); columnMax = Math.max(columnMax, c);
      for (const j of [r > 0 ? i - columns : -1, r + 1 < rows ? i + columns : -1, c > 0 ? i - 1 : -1, c + 1 < columns ? i + 1 : -1]) {
        if (j >= 0 && !seen[j] && scores[j]! >= threshold) { seen[j] = 1; stack.push(j); }
      }
    }
    if (pixels >= minPixels) boxes.push({ rowMin, rowMax, columnMin, columnMax, pixels, confidence: 1 - Math.exp(-peak / scale) });
  }
  return boxes.sort((a, b) => b.confidence - a.confidence);
}
