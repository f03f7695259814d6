// Mean and standard deviation of modality values inside a rectangle, in SOURCE-IMAGE PIXEL coordinates scaled to the
// grid of the image being measured (an sr-x2 result has twice the rows and columns). Thread-neutral, pure.

/** Inclusive-exclusive pixel rectangle on the source grid: rows [rowMin, rowMax), columns [columnMin, columnMax). */
export interface PixelRect { rowMin: number; rowMax: number; columnMin: number; columnMax: number }

export interface RoiStats { mean: number; sd: number; pixels: number }

/** Statistics of `values` (rows × columns) over `rect` given on a grid `scale` times coarser than this image. */
export function roiStats(values: ArrayLike<number>, rows: number, columns: number, rect: PixelRect, scale = 1): RoiStats {
  const r0 = Math.max(0, Math.floor(rect.rowMin * scale)), r1 = Math.min(rows, Math.ceil(rect.rowMax * scale));
  const c0 = Math.max(0, Math.floor(rect.columnMin * scale)), c1 = Math.min(columns, Math.ceil(rect.columnMax * scale));
  let n = 0, sum = 0, sum2 = 0;
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) {
    const v = values[r * columns + c]!;
    n++; sum += v; sum2 += v * v;
  }
  if (n === 0) return { mean: NaN, sd: NaN, pixels: 0 };
  const mean = sum / n;
  return { mean, sd: Math.sqrt(Math.max(0, sum2 / n - mean * mean) * (n > 1 ? n / (n - 1) : 1)), pixels: n };
}

/** The rectangle spanned by two points given in (fractional) source pixel coordinates, clipped to the image. */
export function rectFromPoints(a: { x: number; y: number }, b: { x: number; y: number }, rows: number, columns: number): PixelRect {
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
  return {
    rowMin: clamp(Math.floor(Math.min(a.y, b.y)), rows), rowMax: clamp(Math.ceil(Math.max(a.y, b.y)), rows),
    columnMin: clamp(Math.floor(Math.min(a.x, b.x)), columns), columnMax: clamp(Math.ceil(Math.max(a.x, b.x)), columns),
  };
}
