// Synthetic practice cases with an automatic key: one lesion of a requested size and contrast-to-noise ratio inserted
// (syntheticLesions.insertLesions) into a normal slice, in modality units, fully inside the body; the key is the exact
// lesion mask. Pure, thread-neutral, deterministic for a seed. Coordinates: row-major pixels; centres and contours in
// cornerstone's source-image pixel space (pixel (c, r) spans [c, c+1] × [r, r+1], its centre at (c + 0.5, r + 0.5)).
import { makeRandom } from '../dicom/synthetic/random';
import { percentile } from '../shared/percentile';
import type { Difficulty, Finding, ImageRef, Point } from './model';
import { insertLesions, type LesionSpec } from './syntheticLesions';

/** Background pixels measured for CNR: a ring from RING_GAP_PX (past the soft edge) to RING_GAP_PX + width of the mask. */
export const RING_GAP_PX = 3;

/** The patient: CT > −500 HU, MR > 15 % of the p99 (as tissueMask), holes filled (lungs, skull), largest 4-connected part. */
export function bodyMask(values: ArrayLike<number>, rows: number, columns: number, modality: 'CT' | 'MR'): Uint8Array {
  const n = rows * columns;
  const thr = modality === 'CT' ? -500 : 0.15 * percentile(Float64Array.from(values).sort(), 99);
  const label = new Int32Array(n); // 0 unvisited, 1 outside (reached from the border through background), 2+ parts
  const queue = new Int32Array(n);
  const flood = (seed: number, id: number, inside: (j: number) => boolean): number => {
    let head = 0, tail = 0;
    queue[tail++] = seed; label[seed] = id;
    while (head < tail) {
      const i = queue[head++]!, r = Math.floor(i / columns), c = i - r * columns;
      for (const j of [c > 0 ? i - 1 : -1, c < columns - 1 ? i + 1 : -1, r > 0 ? i - columns : -1, r < rows - 1 ? i + columns : -1]) {
        if (j >= 0 && label[j] === 0 && inside(j)) { label[j] = id; queue[tail++] = j; }
      }
    }
    return tail;
  };
  const background = (j: number) => !(values[j]! > thr);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / columns), c = i - r * columns;
    if ((r === 0 || c === 0 || r === rows - 1 || c === columns - 1) && label[i] === 0 && background(i)) flood(i, 1, background);
  }
  let best = 0, bestSize = 0;
  for (let i = 0, id = 2; i < n; i++) {
    if (label[i] !== 0) continue;
    const size = flood(i, id, () => true);
    if (size > bestSize) { bestSize = size; best = id; }
    id++;
  }
  return Uint8Array.from(label, (l) => (l === best ? 1 : 0));
}

/** Chamfer (3-4) distance in pixels from every pixel to the nearest pixel with `target` set (0 on them). */
export function distanceTo(target: Uint8Array, rows: number, columns: number): Float32Array {
  const far = 4 * (rows + columns), diag = 4 / 3;
  const d = Float32Array.from(target, (t) => (t ? 0 : far));
  for (let r = 0; r < rows; r++) for (let c = 0, i = r * columns; c < columns; c++, i++) {
    let v = d[i]!;
    if (c > 0) v = Math.min(v, d[i - 1]! + 1);
    if (r > 0) {
      v = Math.min(v, d[i - columns]! + 1);
      if (c > 0) v = Math.min(v, d[i - columns - 1]! + diag);
      if (c < columns - 1) v = Math.min(v, d[i - columns + 1]! + diag);
    }
    d[i] = v;
  }
  for (let r = rows - 1; r >= 0; r--) for (let c = columns - 1, i = r * columns + c; c >= 0; c--, i--) {
    let v = d[i]!;
    if (c < columns - 1) v = Math.min(v, d[i + 1]! + 1);
    if (r < rows - 1) {
      v = Math.min(v, d[i + columns]! + 1);
      if (c < columns - 1) v = Math.min(v, d[i + columns + 1]! + diag);
      if (c > 0) v = Math.min(v, d[i + columns - 1]! + diag);
    }
    d[i] = v;
  }
  return d;
}

/**
 * Noise standard deviation (modality units) inside `mask`: from differences of horizontal and vertical neighbours
 * (both in the mask), σ = 1.4826 · MAD / √2. Differences cancel smooth anatomy and the MAD ignores edges; for white
 * noise it is the pixel σ. Quantised, nearly noise-free data (MAD 0) falls back to the RMS difference / √2. 0 if empty.
 */
export function noiseSigma(values: ArrayLike<number>, rows: number, columns: number, mask: Uint8Array): number {
  const all = new Float64Array(2 * mask.reduce((s, m) => s + (m ? 1 : 0), 0));
  let n = 0;
  for (let r = 0; r < rows; r++) for (let c = 0, i = r * columns; c < columns; c++, i++) {
    if (!mask[i]) continue;
    if (c < columns - 1 && mask[i + 1]) all[n++] = values[i + 1]! - values[i]!;
    if (r < rows - 1 && mask[i + columns]) all[n++] = values[i + columns]! - values[i]!;
  }
  if (n === 0) return 0;
  const diffs = all.subarray(0, n);
  const med = percentile(Float64Array.from(diffs).sort(), 50);
  const mad = percentile(diffs.map((d) => Math.abs(d - med)).sort(), 50);
  if (mad > 0) return (1.4826 * mad) / Math.SQRT2;
  return Math.sqrt(diffs.reduce((s, d) => s + d * d, 0) / n) / Math.SQRT2;
}

/** The local background of a lesion mask: pixels RING_GAP_PX < distance ≤ RING_GAP_PX + max(4, equivalent radius). */
export function backgroundRing(mask: Uint8Array, rows: number, columns: number): Uint8Array {
  let area = 0, r0 = rows, r1 = -1, c0 = columns, c1 = -1;
  mask.forEach((m, i) => {
    if (!m) return;
    const r = Math.floor(i / columns), c = i - r * columns;
    area++; r0 = Math.min(r0, r); r1 = Math.max(r1, r); c0 = Math.min(c0, c); c1 = Math.max(c1, c);
  });
  const ring = new Uint8Array(rows * columns);
  if (area === 0) return ring;
  const outer = RING_GAP_PX + Math.max(4, Math.round(Math.sqrt(area / Math.PI)));
  // A chamfer path stays in the box of its ends, so distances ≤ outer are exact in the box grown by outer + 1.
  const g = Math.ceil(outer) + 1, top = Math.max(0, r0 - g), left = Math.max(0, c0 - g);
  const h = Math.min(rows - 1, r1 + g) - top + 1, w = Math.min(columns - 1, c1 + g) - left + 1;
  const crop = new Uint8Array(h * w);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) crop[r * w + c] = mask[(top + r) * columns + left + c]!;
  const d = distanceTo(crop, h, w);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
    const v = d[r * w + c]!;
    if (v > RING_GAP_PX && v <= outer) ring[(top + r) * columns + left + c] = 1;
  }
  return ring;
}

const meanOver = (values: ArrayLike<number>, mask: Uint8Array) => {
  let s = 0, n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) { s += values[i]!; n++; }
  return n ? s / n : 0;
};

/** Contrast-to-noise ratio, signed: (mean over the lesion − mean over its ring) / σ. */
export function measureCnr(values: ArrayLike<number>, mask: Uint8Array, ring: Uint8Array, sigma: number): number {
  return (meanOver(values, mask) - meanOver(values, ring)) / sigma;
}

export interface SyntheticLesionInput {
  values: ArrayLike<number>;
  rows: number;
  columns: number;
  /** [row, column] spacing in mm (Pixel Spacing). */
  spacingMm: [number, number];
  modality: 'CT' | 'MR';
  seed: number;
  /** Major-axis diameter, mm. */
  diameterMm: number;
  /** Requested contrast-to-noise ratio magnitude (> 0). */
  cnr: number;
  /** Bright or dark; default from the seed. */
  polarity?: 'bright' | 'dark';
  /** Internal texture, 0–0.3 of the contrast. Default 0: then the key is exactly the pixels changed by > |contrast| / 2. */
  texture?: number;
  /** bodyMask of `values`, when the caller already has it (several cases from one slice). */
  body?: Uint8Array;
}

export interface SyntheticLesion {
  synthetic: true;
  /** Starts with "Synthetic" wherever it is shown. */
  title: string;
  seed: number;
  modality: 'CT' | 'MR';
  rows: number;
  columns: number;
  /** The slice with the lesion, modality units. */
  values: Float32Array;
  /** The key: pixels where the lesion's shape indicator exceeds ½ (insertLesions' mask). */
  mask: Uint8Array;
  lesion: LesionSpec;
  /** Amplitude added at the lesion centre, modality units (HU for CT), signed. */
  contrast: number;
  /** Local noise σ measured on the result, modality units. */
  sigma: number;
  /** Signed CNR measured on the result: measureCnr(values, mask, backgroundRing(mask), sigma). */
  cnrMeasured: number;
  centre: Point;
  /** What an Attempt stores for a staircase trial (practiceModel). */
  stimulus: { contrast: number; cnr: number; diameterMm: number };
}

const FLOOR = { CT: -1024, MR: 0 }; // lowest storable value: a dark lesion must not be clipped

/**
 * Insert one lesion whose measured CNR equals the request. CNR is (mean over the key − mean over its background ring)
 * / local σ, all on the result, so it includes the anatomy and the noise under the lesion; the amplitude is solved
 * for (CNR is linear in it; σ re-measured on the result). σ is local: body pixels within ±max(24, 2 × ring radius) px of the
 * centre. Places are drawn from the seed among those where the lesion and its ring lie inside the body and the
 * background under the lesion already differs from the ring by ≤ 20 % of the target (else the best of 80 places),
 * so the inserted signal, not the anatomy or the noise, makes the contrast.
 */
export function makeSyntheticLesion(input: SyntheticLesionInput): SyntheticLesion {
  const { values, rows, columns, spacingMm, modality, seed, diameterMm, cnr } = input;
  if (!(cnr > 0 && diameterMm > 0)) throw new RangeError('makeSyntheticLesion: cnr and diameterMm must be > 0');
  const rand = makeRandom(Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995); // decorrelated from insertLesions' own seeds
  const sign = input.polarity ? (input.polarity === 'bright' ? 1 : -1) : rand() < 0.5 ? 1 : -1;
  const shape = { diameterMm, axisRatio: 0.7 + 0.3 * rand(), angle: Math.PI * rand(), lobulation: 0.15 * rand(), texture: input.texture ?? 0 };
  const body = input.body ?? bodyMask(values, rows, columns, modality);
  const inset = distanceTo(body.map((b) => 1 - b), rows, columns);
  const radiusPx = diameterMm / 2 / Math.min(spacingMm[0], spacingMm[1]);
  const margin = RING_GAP_PX + Math.max(4, Math.round(radiusPx)) + 1; // ring inside the body (chamfer triangle inequality)
  const zeros = new Float32Array(rows * columns);
  const screenSigma = noiseSigma(values, rows, columns, body); // the local σ is measured once a place is chosen
  let best: { score: number; spec: LesionSpec; mask: Uint8Array; ring: Uint8Array; weight: Float32Array } | null = null;
  for (let tries = 0, evaluated = 0; tries < 4000 && evaluated < 80 && !(best && best.score <= 0.2); tries++) {
    const r = Math.floor(rand() * rows), c = Math.floor(rand() * columns);
    if (inset[r * columns + c]! < margin + radiusPx * (1 + shape.lobulation)) continue;
    const spec: LesionSpec = { centerRow: r, centerColumn: c, contrast: 1, ...shape };
    const { values: weight, mask } = insertLesions(zeros, rows, columns, spacingMm, [spec], seed);
    let area = 0, fits = true;
    mask.forEach((m, i) => { if (m) { area++; fits &&= inset[i]! >= margin; } });
    if (area === 0 || !fits) continue;
    evaluated++;
    const ring = backgroundRing(mask, rows, columns);
    const target = sign * cnr * screenSigma, gain = meanOver(weight, mask) - meanOver(weight, ring);
    const contrast = (target - (meanOver(values, mask) - meanOver(values, ring))) / gain;
    let low = Infinity; // with slack: the amplitude moves a little when σ is re-measured below
    mask.forEach((m, i) => { if (m) low = Math.min(low, values[i]! + 1.2 * contrast * weight[i]!); });
    // Score: how far the anatomy and noise under the lesion move the amplitude from the nominal one, ∞ if unusable.
    const score = screenSigma > 0 && sign * contrast > 0 && low >= FLOOR[modality] + 2 * screenSigma ? Math.abs(contrast * gain - target) / Math.abs(target) : Infinity;
    if (!best || score < best.score) best = { score, spec, mask, ring, weight };
  }
  if (!best || !Number.isFinite(best.score)) throw new RangeError('makeSyntheticLesion: no place in the body fits this lesion');
  const { spec, mask, ring, weight } = best;
  const h = Math.max(24, 2 * (radiusPx + margin)), window = new Uint8Array(rows * columns);
  for (let y = Math.max(0, Math.ceil(spec.centerRow - h)); y <= Math.min(rows - 1, spec.centerRow + h); y++) {
    const x0 = Math.max(0, Math.ceil(spec.centerColumn - h)), x1 = Math.min(columns - 1, spec.centerColumn + h);
    for (let x = x0, i = y * columns + x0; x <= x1; x++, i++) window[i] = body[i]!;
  }
  let sigma = noiseSigma(values, rows, columns, window), out: Float32Array = Float32Array.from(values), contrast = 0;
  for (let k = 0; k < 3; k++) { // σ on the result moves a little with the lesion's edges: re-measure, re-solve
    const gain = meanOver(weight, mask) - meanOver(weight, ring);
    contrast = (sign * cnr * sigma - (meanOver(values, mask) - meanOver(values, ring))) / gain;
    out = insertLesions(values, rows, columns, spacingMm, [{ ...spec, contrast }], seed).values;
    sigma = noiseSigma(out, rows, columns, window);
  }
  const cnrMeasured = measureCnr(out, mask, ring, sigma);
  const lesion = { ...spec, contrast };
  const unit = modality === 'CT' ? ' HU' : '';
  return {
    synthetic: true, title: `Synthetic ${modality} lesion — ${diameterMm.toFixed(1)} mm, ${contrast > 0 ? '+' : ''}${contrast.toFixed(1)}${unit}, CNR ${Math.abs(cnrMeasured).toFixed(1)}`,
    seed, modality, rows, columns, values: out, mask, lesion, contrast, sigma, cnrMeasured,
    centre: { x: spec.centerColumn + 0.5, y: spec.centerRow + 0.5 },
    stimulus: { contrast, cnr: Math.abs(cnrMeasured), diameterMm },
  };
}

/**
 * The outline of a mask as a closed polygon in source-image pixels: through the midpoints of its boundary pixel edges
 * (what marching squares gives for a binary mask), straight runs merged. Pixel centres inside it are exactly the mask
 * for one 8-connected blob without holes; with several, the longest outline.
 */
export function maskContour(mask: Uint8Array, rows: number, columns: number): Point[] {
  const W = columns + 1, DX = [1, 0, -1, 0], DY = [0, 1, 0, -1]; // directions E, S, W, N (y down)
  const state = new Uint8Array(W * (rows + 1) * 4); // per (corner, direction): 1 boundary edge, 2 traced
  const starts: number[] = [];
  const edge = (x: number, y: number, d: number) => { const k = (y * W + x) * 4 + d; state[k] = 1; starts.push(k); };
  const on = (r: number, c: number) => r >= 0 && c >= 0 && r < rows && c < columns && mask[r * columns + c] === 1;
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) {
    if (!on(r, c)) continue; // sides clockwise on screen, the mask on the right-hand side
    if (!on(r - 1, c)) edge(c, r, 0);
    if (!on(r, c + 1)) edge(c + 1, r, 1);
    if (!on(r + 1, c)) edge(c + 1, r + 1, 2);
    if (!on(r, c - 1)) edge(c, r + 1, 3);
  }
  let longest: Point[] = [];
  for (const start of starts) {
    if (state[start] !== 1) continue;
    const loop: Point[] = [];
    for (let k: number | undefined = start; k !== undefined && state[k] === 1;) {
      state[k] = 2;
      const v: number = k >> 2, d: number = k & 3, x = v % W, y: number = (v - x) / W;
      loop.push({ x: x + DX[d]! / 2, y: y + DY[d]! / 2 });
      const end: number = (y + DY[d]!) * W + x + DX[d]!;
      k = [(d + 3) % 4, d, (d + 1) % 4].map((nd) => end * 4 + nd).find((nk) => state[nk] === 1); // left turn first: 8-connected
    }
    if (loop.length > longest.length) longest = loop;
  }
  return longest.filter((p, i, a) => { // drop points on a straight line between their neighbours
    const q = a[(i + a.length - 1) % a.length]!, n = a[(i + 1) % a.length]!;
    return (p.x - q.x) * (n.y - p.y) - (p.y - q.y) * (n.x - p.x) !== 0;
  });
}

/** Difficulty by CNR and by major-axis size; a case is as hard as its harder factor (max of the two grades). */
export const SYNTHETIC_DIFFICULTY = {
  /** CNR ≥ 5 → 1, ≥ 3.5 → 2, ≥ 2.5 → 3, ≥ 1.5 → 4, below → 5. */
  cnr: [5, 3.5, 2.5, 1.5],
  /** Diameter ≥ 10 mm → 1, ≥ 7 → 2, ≥ 5 → 3, ≥ 4 → 4, below → 5. */
  diameterMm: [10, 7, 5, 4],
} as const;

export function syntheticDifficulty(cnr: number, diameterMm: number): Difficulty {
  const grade = (v: number, steps: readonly number[]) => 1 + steps.filter((s) => v < s).length;
  return Math.max(grade(Math.abs(cnr), SYNTHETIC_DIFFICULTY.cnr), grade(diameterMm, SYNTHETIC_DIFFICULTY.diameterMm)) as Difficulty;
}

/** The key of a synthetic case as a Finding: the traced mask outline, graded, and saying plainly that it is synthetic. */
export function syntheticFinding(s: SyntheticLesion, image: ImageRef, options: { id?: string; label?: string } = {}): Finding {
  const unit = s.modality === 'CT' ? 'HU' : '(signal units)';
  const { diameterMm } = s.lesion;
  return {
    id: options.id ?? `synthetic-${s.modality}-${s.seed}`,
    image,
    region: { kind: 'freehand', points: maskContour(s.mask, s.rows, s.columns) },
    label: options.label ?? (s.modality === 'CT' ? 'nodule' : 'lesion'),
    difficulty: syntheticDifficulty(s.cnrMeasured, diameterMm),
    explanation: `Synthetic lesion (computer-generated, not a real finding): ${diameterMm.toFixed(1)} mm, ` +
      `${s.contrast > 0 ? 'brighter' : 'darker'} than its surroundings by ${Math.abs(s.contrast).toFixed(1)} ${unit} ` +
      `at the centre, CNR ${Math.abs(s.cnrMeasured).toFixed(1)} against noise σ ${s.sigma.toFixed(1)} ${unit}.`,
    toleranceMm: null,
  };
}
