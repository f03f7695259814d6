// Synthetic lesions for anomaly-model evaluation and, later, practice cases. Deterministic for a seed, pure,
// thread-neutral. Works in modality units on one slice and returns the changed slice plus the lesion mask.
//
// A lesion is an ellipse of diameter 3–30 mm (converted with the pixel spacing), axis ratio 0.5–1, random rotation,
// a lobulated boundary (smooth angular perturbation), a soft edge (1–2 px), internal texture (smooth noise, ±30 %
// of the lesion's contrast) and a contrast that is bright or dark and often modest: CT ±(20–200) HU; MR ±(0.1–0.6)
// × the slice's p1–p99 range. Lesions are placed where the slice has tissue (CT > −500 HU, MR > 15 % of p99) and
// lesion pixels (mask) are those where the shape indicator exceeds one half.
import { makeRandom, makeValueNoise } from '../dicom/synthetic/random';
import { percentile } from '../shared/percentile';

const sortedCopy = (values: ArrayLike<number>) => Float64Array.from(values).sort();

export interface LesionSpec {
  centerRow: number;
  centerColumn: number;
  /** Diameter along the major axis in mm. */
  diameterMm: number;
  axisRatio: number;
  angle: number;
  /** Added at the lesion centre, in modality units (HU for CT); negative for dark lesions. */
  contrast: number;
  lobulation: number;
  texture: number;
}

export interface LesionResult { values: Float32Array; mask: Uint8Array; lesions: LesionSpec[] }

/** Pixels where a lesion may be centred: tissue, not background. */
export function tissueMask(values: ArrayLike<number>, modality: 'CT' | 'MR', sorted = sortedCopy(values)): Uint8Array {
  const thr = modality === 'CT' ? -500 : 0.15 * percentile(sorted, 99);
  return Uint8Array.from(values as ArrayLike<number>, (v) => (v > thr ? 1 : 0));
}

export function randomLesion(rand: () => number, rows: number, columns: number, spacingMm: [number, number], modality: 'CT' | 'MR', range: number, tissue: Uint8Array): LesionSpec | null {
  for (let attempt = 0; attempt < 200; attempt++) {
    const r = Math.floor(rand() * rows), c = Math.floor(rand() * columns);
    if (!tissue[r * columns + c]) continue;
    const diameterMm = 3 * Math.pow(10, rand()); // 3–30 mm, log-uniform: small lesions as common as large
    const magnitude = modality === 'CT' ? 20 + 180 * rand() ** 1.5 : range * (0.1 + 0.5 * rand() ** 1.5); // skewed to modest
    return {
      centerRow: r, centerColumn: c, diameterMm,
      axisRatio: 0.5 + 0.5 * rand(), angle: Math.PI * rand(),
      contrast: rand() < 0.5 ? magnitude : -magnitude,
      lobulation: 0.25 * rand(), texture: 0.3 * rand(),
    };
  }
  return null;
}

/** Paint lesions into a copy of `values` (row-major rows × columns, modality units). */
export function insertLesions(values: ArrayLike<number>, rows: number, columns: number, spacingMm: [number, number], lesions: LesionSpec[], seed: number): LesionResult {
  const out = Float32Array.from(values as ArrayLike<number>);
  const mask = new Uint8Array(rows * columns);
  lesions.forEach((L, k) => {
    const rand = makeRandom(seed * 7919 + k);
    const lobes = makeValueNoise(rand, 64, 1, 8);
    const texture = makeValueNoise(rand, columns, rows, Math.max(2, (L.diameterMm / spacingMm[1]) / 4));
    const a = L.diameterMm / 2; // semi-major, mm
    const b = a * L.axisRatio;
    const cos = Math.cos(L.angle), sin = Math.sin(L.angle);
    const reach = Math.ceil(a / Math.min(spacingMm[0], spacingMm[1]) * (1 + L.lobulation) + 3);
    for (let r = Math.max(0, L.centerRow - reach); r < Math.min(rows, L.centerRow + reach + 1); r++) {
      for (let c = Math.max(0, L.centerColumn - reach); c < Math.min(columns, L.centerColumn + reach + 1); c++) {
        const dy = (r - L.centerRow) * spacingMm[0], dx = (c - L.centerColumn) * spacingMm[1];
        const u = (dx * cos + dy * sin) / a, v = (-dx * sin + dy * cos) / b;
        const theta = Math.atan2(v, u);
        const boundary = 1 + L.lobulation * lobes(((theta + Math.PI) / (2 * Math.PI)) * 63, 0);
        const d = Math.sqrt(u * u + v * v) / boundary; // 1 at the boundary
        const edgePx = 1.5 / (a / spacingMm[1]); // soft edge of about 1.5 px
        const inside = 1 / (1 + Math.exp((d - 1) / Math.max(edgePx, 0.02)));
        if (inside < 0.01) continue;
        const i = r * columns + c;
        out[i] = out[i]! + L.contrast * inside * (1 + L.texture * texture(c, r));
        if (inside > 0.5) mask[i] = 1;
      }
    }
  });
  return { values: out, mask, lesions };
}

/** A slice with 1–3 random lesions (or none when `count` is 0), for evaluation and practice. */
export function lesionCase(values: ArrayLike<number>, rows: number, columns: number, spacingMm: [number, number], modality: 'CT' | 'MR', seed: number, count = 1 + Math.floor(makeRandom(seed)() * 3)): LesionResult {
  const rand = makeRandom(seed + 1);
  const sorted = sortedCopy(values); // sorted once for the tissue threshold and the contrast range
  const tissue = tissueMask(values, modality, sorted);
  const range = percentile(sorted, 99) - percentile(sorted, 1);
  const lesions: LesionSpec[] = [];
  for (let k = 0; k < count; k++) {
    const L = randomLesion(rand, rows, columns, spacingMm, modality, range, tissue);
    if (L) lesions.push(L);
  }
  return insertLesions(values, rows, columns, spacingMm, lesions, seed);
}
