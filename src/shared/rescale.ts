// Modality values (float) → int16 stored values + rescale slope/intercept (PS3.3 C.11.1), for derived images written
// to DICOM and shown in the viewer (cornerstone builds its LUT over integer stored values). Thread-neutral, pure.

/**
 * Stored int16 values and the rescale that carries the modality values: the source's slope/intercept when the source
 * stored integers and every value fits in int16 with them (stored values keep their meaning, CT stays exact to 1 HU);
 * otherwise a slope that spreads the value range over int16 (float sources, odd rescales).
 */
export function storedWithRescale(frames: Float32Array[], slope: number, intercept: number, integerSource = true): { stored: Int16Array; slope: number; intercept: number } {
  let lo = Infinity, hi = -Infinity;
  for (const f of frames) for (let i = 0; i < f.length; i++) { const v = f[i]!; if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!Number.isFinite(lo)) lo = hi = 0;
  let m = slope || 1, b = intercept || 0;
  if (!integerSource || (lo - b) / m < -32768 || (hi - b) / m > 32767) {
    b = (lo + hi) / 2;
    m = Math.max((hi - lo) / 65000, 1e-6);
  }
  const n = frames.reduce((k, f) => k + f.length, 0);
  const stored = new Int16Array(n);
  let o = 0;
  for (const f of frames) for (let i = 0; i < f.length; i++) stored[o++] = Math.max(-32768, Math.min(32767, Math.round((f[i]! - b) / m)));
  return { stored, slope: m, intercept: b };
}
