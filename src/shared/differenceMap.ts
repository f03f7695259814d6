// Where a model changed the image: enhanced minus original on the enhanced grid, with a window centred on zero.
// Thread-neutral, pure: computed in the inference worker next to the result, shown by the viewer.
import { percentile } from './percentile';

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
