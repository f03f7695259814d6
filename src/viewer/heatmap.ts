// The anomaly heatmap's colours: an inferno-like ramp from the threshold (dark purple) to the highest score (pale
// yellow), transparent below the threshold. Pure (no cornerstone, no DOM), shared by the overlay and the legend.

/** Inferno-like colour stops (t = 0 … 1). */
const STOPS: [number, number, number, number][] = [
  [0, 40, 11, 84], [0.33, 137, 34, 106], [0.66, 240, 112, 32], [1, 252, 255, 164],
];

export function colourAt(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, r1, g1, b1] = STOPS[i]!, [t0, r0, g0, b0] = STOPS[i - 1]!;
    if (x <= t1) {
      const f = (x - t0) / (t1 - t0);
      return [Math.round(r0 + f * (r1 - r0)), Math.round(g0 + f * (g1 - g0)), Math.round(b0 + f * (b1 - b0))];
    }
  }
  return [252, 255, 164];
}

/** RGBA of the heatmap: transparent below `threshold`, colour from threshold (t 0) to `max` (t 1) at `opacity`. Pure. */
export function heatmapRgba(scores: Float32Array, threshold: number, max: number, opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(scores.length * 4);
  const span = Math.max(max - threshold, 1e-9), a = Math.round(255 * Math.min(1, Math.max(0, opacity)));
  // A new result repaints a whole slice on the UI thread: colourAt's arithmetic inlined, nothing allocated per pixel.
  const last = STOPS.length - 1;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= threshold)) continue;
    const x = Math.min(1, (s - threshold) / span);
    let k = 1;
    while (k < last && x > STOPS[k]![0]) k++;
    const [t1, r1, g1, b1] = STOPS[k]!, [t0, r0, g0, b0] = STOPS[k - 1]!;
    const f = (x - t0) / (t1 - t0), o = 4 * i;
    out[o] = Math.round(r0 + f * (r1 - r0)); out[o + 1] = Math.round(g0 + f * (g1 - g0)); out[o + 2] = Math.round(b0 + f * (b1 - b0)); out[o + 3] = a;
  }
  return out;
}
