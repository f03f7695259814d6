// The anomaly heatmap's colours: an inferno-like ramp from the threshold (dark purple) to the highest score (pale
// yellow), transparent below the threshold. Pure (no cornerstone, no DOM), shared by the legend and the overlay
// (coloured in the render worker, or on the UI thread where there is none, and for attached teaching maps).

/** Inferno-like colour stops (t = 0 … 1). */
const STOPS: [number, number, number, number][] = [
  [0, 40, 11, 84], [0.33, 137, 34, 106], [0.66, 240, 112, 32], [1, 252, 255, 164],
];

/** Writes the colour at t (0 … 1, clamped) to out[o], out[o + 1], out[o + 2]; allocates nothing. */
function ramp(t: number, out: { [i: number]: number }, o: number): void {
  const x = Math.min(1, Math.max(0, t));
  let k = 1;
  while (k < STOPS.length - 1 && x > STOPS[k]![0]) k++;
  const [t1, r1, g1, b1] = STOPS[k]!, [t0, r0, g0, b0] = STOPS[k - 1]!;
  const f = (x - t0) / (t1 - t0);
  out[o] = Math.round(r0 + f * (r1 - r0)); out[o + 1] = Math.round(g0 + f * (g1 - g0)); out[o + 2] = Math.round(b0 + f * (b1 - b0));
}

export function colourAt(t: number): [number, number, number] {
  const c: [number, number, number] = [0, 0, 0];
  ramp(t, c, 0);
  return c;
}

/** Colour steps of the heatmap's lookup table: finer than 8-bit colour needs, so the ramp looks continuous. */
const LUT_STEPS = 4096;
let lut: { opacity: number; table: Uint32Array } | null = null;

/** The ramp at LUT_STEPS points as RGBA words (byte order as in ImageData, whatever the platform's endianness). */
function rampTable(alpha: number): Uint32Array {
  if (lut?.opacity === alpha) return lut.table;
  const table = new Uint32Array(LUT_STEPS);
  const bytes = new Uint8Array(table.buffer);
  for (let k = 0; k < LUT_STEPS; k++) { ramp(k / (LUT_STEPS - 1), bytes, 4 * k); bytes[4 * k + 3] = alpha; }
  lut = { opacity: alpha, table };
  return table;
}

/**
 * RGBA of the heatmap: transparent below `threshold`, colour from threshold (t 0) to `max` (t 1) at `opacity`. Pure
 * apart from writing `out` (a new array when absent, e.g. an ImageData's own data). A new result or a scroll
 * repaints a whole slice on the UI thread: one table lookup and one 32-bit store per pixel, nothing allocated.
 */
export function heatmapRgba(scores: Float32Array, threshold: number, max: number, opacity: number, out = new Uint8ClampedArray(scores.length * 4)): Uint8ClampedArray {
  const span = Math.max(max - threshold, 1e-9), alpha = Math.round(255 * Math.min(1, Math.max(0, opacity)));
  const table = rampTable(alpha), words = new Uint32Array(out.buffer, out.byteOffset, scores.length), top = LUT_STEPS - 1;
  const k = top / span;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= threshold)) { words[i] = 0; continue; }
    words[i] = table[Math.min(top, Math.round((s - threshold) * k))]!;
  }
  return out;
}
