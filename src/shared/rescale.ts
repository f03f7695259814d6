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

/** What the viewer displays for a float image: int16 + rescale and the stored range (cornerstone's LUT bounds). */
export interface DisplayPixels { stored: Int16Array; slope: number; intercept: number; min: number; max: number }

/**
 * Display pixels of modality values: slope 1 (whole HU, a LUT of a few thousand entries) when the values span at
 * least 1000 units and fit in int16, otherwise (or when `fine`: difference maps of a few HU) spread over int16. Thread-neutral: the
 * inference worker prepares them, so the UI thread does not loop over a 1024² result.
 */
export function displayPixels(values: Float32Array, fine = false): DisplayPixels {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) { const v = values[i]!; if (v < lo) lo = v; if (v > hi) hi = v; }
  // Whole units only when they resolve the image: a range under ~1000 units (float MR, small values) is spread.
  const r = storedWithRescale([values], 1, 0, !fine && hi - lo >= 1000);
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < r.stored.length; i++) { const v = r.stored[i]!; if (v < min) min = v; if (v > max) max = v; }
  return { ...r, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0 };
}
