// The anomaly heatmap's colours: an inferno-like ramp from the threshold (dark purple) to the highest score (pale
// yellow), transparent below the threshold. Pure (no cornerstone, no DOM), shared by the overlay and the legend.

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

/** RGBA of the heatmap: transparent below `threshold`, colour from threshold (t 0) to `max` (t 1) at `opacity`. Pure. */
export function heatmapRgba(scores: Float32Array, threshold: number, max: number, opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(scores.length * 4);
  const span = Math.max(max - threshold, 1e-9), a = Math.round(255 * Math.min(1, Math.max(0, opacity)));
  // A new result repaints a whole slice on the UI thread: nothing is allocated per pixel.
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= threshold)) continue;
    ramp((s - threshold) / span, out, 4 * i);
    out[4 * i + 3] = a;
  }
  return out;
}
