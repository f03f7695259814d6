// denoise pre-processing: modality values → normalised 1 × 1 × H × W input, edge-padded so H and W are multiples of 4
// (the network works at full, ½ and ¼ resolution). Thread-neutral, pure. Mirrors models/training/common.py.
import { normaliseSlice, type ModelModality, type Normalised } from '../shared/normalise';

export const MULTIPLE = 4;

export interface DenoiseInput extends Normalised { dims: [1, 1, number, number]; rows: number; columns: number }

export function padToMultiple(x: Float32Array, rows: number, columns: number, m = MULTIPLE): { data: Float32Array; rows: number; columns: number } {
  const pr = Math.ceil(rows / m) * m, pc = Math.ceil(columns / m) * m;
  if (pr === rows && pc === columns) return { data: x, rows, columns };
  const out = new Float32Array(pr * pc);
  for (let r = 0; r < pr; r++) {
    const sr = Math.min(r, rows - 1);
    for (let c = 0; c < pc; c++) out[r * pc + c] = x[sr * columns + Math.min(c, columns - 1)]!;
  }
  return { data: out, rows: pr, columns: pc };
}

export function preprocess(modalityValues: ArrayLike<number>, rows: number, columns: number, modality: ModelModality): DenoiseInput {
  if (modalityValues.length !== rows * columns) throw new RangeError(`denoise: ${modalityValues.length} values for ${rows} × ${columns}`);
  const n = normaliseSlice(modalityValues, modality);
  const padded = padToMultiple(n.x, rows, columns);
  return { x: padded.data, offset: n.offset, scale: n.scale, dims: [1, 1, padded.rows, padded.columns], rows, columns };
}
