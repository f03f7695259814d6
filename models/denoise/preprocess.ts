// denoise pre-processing: modality values → the network's input, 1 × 1 × H × W, edge-padded so H and W are multiples
// of 4 (the network works at full, ½ and ¼ resolution). Thread-neutral, pure. Mirrors models/training/common.py
// (normalise) and degrade.py (estimate_noise, denoise_scale).
//
// The network reads the slice in units of its own noise: u = (x − CENTRE) / s, with x the normalised slice and
// s = σ̂ / NOISE_UNIT, σ̂ the slice's noise estimated from it (robust SD of horizontal neighbour differences in
// tissue). So the noise the network sees has about the same size whatever the level and modality, and it only has to
// tell the texture. CENTRE is 0 so that zero (air, MR background) stays zero whatever s is: the network can tell
// Gaussian noise, which dips below the background, from Rician magnitude noise, which does not. The way back,
// x = u · s + CENTRE, is folded into the returned (offset, scale), so `postprocess` maps the output to modality values
// as for any model.
import { normaliseSlice, percentile, type ModelModality, type Normalised } from '../shared/normalise';

export const MULTIPLE = 4;
export const NOISE_UNIT = 0.1;
export const CENTRE = 0;
/** CT tissue where the noise is estimated: soft tissue, −100…150 HU, in normalised units ((HU + 1024) / 2048). */
const CT_TISSUE = [(-100 + 1024) / 2048, (150 + 1024) / 2048] as const;
/** MR tissue: normalised value above 0.3 (compared as float32, as numpy compares a float32 slice). */
const MR_TISSUE = Math.fround(0.3);

export interface DenoiseInput extends Normalised {
  dims: [1, 1, number, number]; rows: number; columns: number;
  /** The slice's estimated noise SD in modality units (HU for CT), the level the network was set to. */
  noiseSd: number;
}

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

/** σ̂ of a normalised slice: MAD of horizontal neighbour differences where both pixels are tissue, × 1.4826 / √2
 *  (every difference when fewer than 100 pairs are tissue); at least 1e-4. */
export function estimateNoise(x: Float32Array, rows: number, columns: number, modality: ModelModality): number {
  const tissue = modality === 'CT' ? (v: number) => v > CT_TISSUE[0] && v < CT_TISSUE[1] : (v: number) => v > MR_TISSUE;
  const all: number[] = [], inTissue: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 1; c < columns; c++) {
    const a = x[r * columns + c]!, b = x[r * columns + c - 1]!;
    const d = Math.fround(a - b);
    all.push(d);
    if (tissue(a) && tissue(b)) inTissue.push(d);
  }
  const d = Float64Array.from(inTissue.length < 100 ? all : inTissue).sort();
  if (d.length === 0) return 1e-4;
  const m = percentile(d, 50); // numpy's median
  const dev = d.map((v) => Math.abs(v - m)).sort();
  return Math.max(percentile(dev, 50) * 1.4826 / Math.SQRT2, 1e-4);
}

export function preprocess(modalityValues: ArrayLike<number>, rows: number, columns: number, modality: ModelModality): DenoiseInput {
  if (modalityValues.length !== rows * columns) throw new RangeError(`denoise: ${modalityValues.length} values for ${rows} × ${columns}`);
  const n = normaliseSlice(modalityValues, modality);
  const sigma = estimateNoise(n.x, rows, columns, modality);
  const s = sigma / NOISE_UNIT;
  const u = Float32Array.from(n.x, (v) => (v - CENTRE) / s);
  const padded = padToMultiple(u, rows, columns);
  return {
    x: padded.data, offset: n.offset + CENTRE * n.scale, scale: n.scale * s, noiseSd: sigma * n.scale,
    dims: [1, 1, padded.rows, padded.columns], rows, columns,
  };
}
