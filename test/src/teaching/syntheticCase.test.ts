import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brainMrSlice, chestCtSlice } from '../../../src/dicom/synthetic/phantom';
import { makeGaussian, makeRandom } from '../../../src/dicom/synthetic/random';
import type { Point } from '../../../src/teaching/model';
import {
  backgroundRing, bodyMask, distanceTo, makeSyntheticLesion, maskContour, noiseSigma, RING_GAP_PX, syntheticDifficulty,
  syntheticFinding,
} from '../../../src/teaching/syntheticCase';

const n = 256;
const PHANTOMS = {
  CT: { values: chestCtSlice(n, 0.5, 11), spacingMm: [1.4, 1.4] as [number, number], noise: 12 },
  MR: { values: brainMrSlice(n, 0.5, 11), spacingMm: [0.9, 0.9] as [number, number], noise: 18 },
};
const BODY = { CT: bodyMask(PHANTOMS.CT.values, n, n, 'CT'), MR: bodyMask(PHANTOMS.MR.values, n, n, 'MR') };
const IMAGE = { studyInstanceUID: '1.2', seriesInstanceUID: '1.2.3', sopInstanceUID: '1.2.3.4', frame: 0 };
const count = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);
const mean = (v: ArrayLike<number>, m: Uint8Array) => { let s = 0, k = 0; m.forEach((x, i) => { if (x) { s += v[i]!; k++; } }); return s / k; };

function inside(p: Point, poly: Point[]): boolean { // even–odd rule
  let odd = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!, b = poly[j]!;
    if ((a.y > p.y) !== (b.y > p.y) && p.x < a.x + ((p.y - a.y) * (b.x - a.x)) / (b.y - a.y)) odd = !odd;
  }
  return odd;
}

describe('bodyMask', () => {
  it('is the whole chest (lungs filled in) and the whole head (skull filled in), not the air', () => {
    const u = n / 512; // chest outline: ellipse 215 × 160 px at 512
    expect(count(BODY.CT) / (Math.PI * 215 * u * 160 * u)).toBeCloseTo(1, 1);
    expect(BODY.CT[(n / 2) * n + Math.round(n / 2 - 88 * u)]).toBe(1); // right lung centre
    expect(BODY.CT[0]).toBe(0);
    const r = n * 0.44; // head outline: ellipse 0.86 r × r
    expect(count(BODY.MR) / (Math.PI * 0.86 * r * r)).toBeCloseTo(1, 1);
    expect(BODY.MR[(n / 2) * n + Math.round(n / 2 + 0.77 * 0.86 * r)]).toBe(1); // in the (dark) skull
  });

  it('keeps only the largest part', () => {
    const v = new Float32Array(64 * 64).fill(-1000);
    for (let r = 10; r < 40; r++) for (let c = 10; c < 40; c++) v[r * 64 + c] = 40;
    for (let r = 50; r < 54; r++) for (let c = 50; c < 60; c++) v[r * 64 + c] = 40; // a table
    const m = bodyMask(v, 64, 64, 'CT');
    expect(count(m)).toBe(900);
    expect(m[52 * 64 + 55]).toBe(0);
  });
});

describe('noiseSigma', () => {
  it('recovers white noise σ on top of smooth anatomy and ignores edges', () => {
    const g = makeGaussian(makeRandom(5));
    const v = Float32Array.from({ length: n * n }, (_, i) => (i % n) * 2 + (i % n > n / 2 ? 300 : 0) + 10 * g());
    expect(noiseSigma(v, n, n, new Uint8Array(n * n).fill(1)) / 10).toBeCloseTo(1, 1);
  });

  it('is about the phantoms\' noise inside the body (fine texture adds a little)', () => {
    for (const m of ['CT', 'MR'] as const) {
      const s = noiseSigma(PHANTOMS[m].values, n, n, BODY[m]) / PHANTOMS[m].noise;
      expect(s).toBeGreaterThan(0.95);
      expect(s).toBeLessThan(1.2);
    }
  });
});

describe('makeSyntheticLesion', () => {
  for (const modality of ['CT', 'MR'] as const) {
    const { values, spacingMm } = PHANTOMS[modality];
    const body = BODY[modality];
    const inset = distanceTo(body.map((b) => 1 - b), n, n);
    it(`${modality}: inside the body, key = changed region, CNR as requested within 10 %`, () => {
      const errors: number[] = [];
      fc.assert(fc.property(
        fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 1, max: 8, noNaN: true }), fc.double({ min: 4, max: 30, noNaN: true }),
        (seed, cnr, diameterMm) => {
          const s = makeSyntheticLesion({ values, rows: n, columns: n, spacingMm, modality, seed, diameterMm, cnr, body });
          const ring = backgroundRing(s.mask, n, n);
          expect(count(s.mask)).toBeGreaterThan(0);
          // Inside the body with a margin, and so is the background ring used for the CNR.
          expect(s.mask.every((m, i) => !m || inset[i]! >= RING_GAP_PX + 5)).toBe(true);
          expect(ring.every((m, i) => !m || body[i] === 1)).toBe(true);
          // The key is exactly the set of pixels the insertion changed by more than half the contrast.
          const changed = Uint8Array.from(s.values, (v, i) => (Math.abs(v - values[i]!) > Math.abs(s.contrast) / 2 ? 1 : 0));
          expect(changed.every((v, i) => v === s.mask[i])).toBe(true);
          // CNR recomputed here from its definition, on the image the trainee sees.
          const measured = (mean(s.values, s.mask) - mean(s.values, ring)) / s.sigma;
          errors.push(Math.abs(Math.abs(measured) / cnr - 1));
          expect(Math.abs(Math.abs(measured) / cnr - 1)).toBeLessThanOrEqual(0.1);
          expect(Math.sign(measured)).toBe(Math.sign(s.contrast));
          expect(s.sigma / PHANTOMS[modality].noise).toBeGreaterThan(0.9);
          expect(s.sigma / PHANTOMS[modality].noise).toBeLessThan(1.25);
          // Nothing else changed far from the lesion; values stay storable.
          const far = distanceTo(s.mask, n, n);
          expect(s.values.every((v, i) => far[i]! <= 12 || v === values[i])).toBe(true);
          if (modality === 'MR') expect(Math.min(...s.values)).toBeGreaterThanOrEqual(0);
          // The reported centre is the lesion's centre pixel (cornerstone: pixel centre at c + 0.5, r + 0.5), in the key.
          expect(s.centre).toEqual({ x: s.lesion.centerColumn + 0.5, y: s.lesion.centerRow + 0.5 });
          expect(s.mask[s.lesion.centerRow * n + s.lesion.centerColumn]).toBe(1);
        }), { seed: modality === 'CT' ? 20240611 : 20240612, numRuns: 40 });
      console.info(`[synthetic] ${modality}: measured CNR within ${(Math.max(...errors) * 100).toFixed(2)} % of the request (worst of ${errors.length} cases)`);
    });
  }

  it('is deterministic for a seed and varies with it', () => {
    const input = { ...PHANTOMS.CT, rows: n, columns: n, modality: 'CT' as const, diameterMm: 8, cnr: 3 };
    const a = makeSyntheticLesion({ ...input, seed: 7 }), b = makeSyntheticLesion({ ...input, seed: 7 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(a.lesion).toEqual(b.lesion);
    const centres = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(makeSyntheticLesion({ ...input, seed }).centre)));
    expect(centres.size).toBeGreaterThan(4);
  });

  it('honours polarity and keeps CNR with internal texture', () => {
    const input = { ...PHANTOMS.MR, rows: n, columns: n, modality: 'MR' as const, diameterMm: 12, cnr: 2, seed: 3 };
    const dark = makeSyntheticLesion({ ...input, polarity: 'dark' });
    expect(dark.contrast).toBeLessThan(0);
    expect(dark.cnrMeasured).toBeCloseTo(-2, 1);
    expect(makeSyntheticLesion({ ...input, polarity: 'bright' }).contrast).toBeGreaterThan(0);
    const textured = makeSyntheticLesion({ ...input, texture: 0.3 });
    expect(textured.lesion.texture).toBe(0.3);
    expect(Math.abs(textured.cnrMeasured)).toBeCloseTo(2, 1);
  });

  it('rejects impossible requests', () => {
    const input = { ...PHANTOMS.CT, rows: n, columns: n, modality: 'CT' as const, seed: 1, cnr: 2 };
    expect(() => makeSyntheticLesion({ ...input, diameterMm: 400 })).toThrow(RangeError);
    expect(() => makeSyntheticLesion({ ...input, diameterMm: 8, cnr: 0 })).toThrow(RangeError);
  });
});

describe('maskContour', () => {
  const rasterise = (poly: Point[], rows: number, columns: number) =>
    Uint8Array.from({ length: rows * columns }, (_, i) => (inside({ x: (i % columns) + 0.5, y: Math.floor(i / columns) + 0.5 }, poly) ? 1 : 0));

  it('outlines exactly the key: pixel centres inside the polygon are the mask', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const s = makeSyntheticLesion({ ...PHANTOMS.MR, rows: n, columns: n, modality: 'MR', seed, diameterMm: 3 + 4 * seed, cnr: 3 });
      const poly = maskContour(s.mask, n, n);
      expect(Array.from(rasterise(poly, n, n))).toEqual(Array.from(s.mask));
    }
  });

  it('handles one pixel, diagonal neighbours and merges straight runs', () => {
    const m = new Uint8Array(36);
    m[7] = 1;
    expect(maskContour(m, 6, 6)).toHaveLength(4);
    m[14] = 1; m[21] = 1; // a diagonal line of pixels: one 8-connected outline
    expect(Array.from(rasterise(maskContour(m, 6, 6), 6, 6))).toEqual(Array.from(m));
    const square = Uint8Array.from({ length: 36 }, (_, i) => (i % 6 >= 1 && i % 6 <= 4 && i >= 6 && i < 30 ? 1 : 0));
    expect(maskContour(square, 6, 6)).toHaveLength(8); // 4 sides, corners cut at the edge midpoints
  });
});

describe('syntheticFinding and difficulty', () => {
  it('grades by the documented table, monotone in CNR and size', () => {
    expect(syntheticDifficulty(6, 12)).toBe(1);
    expect(syntheticDifficulty(3, 12)).toBe(3);
    expect(syntheticDifficulty(6, 4.5)).toBe(4);
    expect(syntheticDifficulty(1.2, 20)).toBe(5);
    expect(syntheticDifficulty(8, 3)).toBe(5);
    fc.assert(fc.property(fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }),
      fc.double({ min: 1, max: 40, noNaN: true }), fc.double({ min: 1, max: 40, noNaN: true }), (c1, c2, d1, d2) => {
        const [lo, hi] = c1 < c2 ? [c1, c2] : [c2, c1], [small, big] = d1 < d2 ? [d1, d2] : [d2, d1];
        expect(syntheticDifficulty(hi, d1)).toBeLessThanOrEqual(syntheticDifficulty(lo, d1));
        expect(syntheticDifficulty(c1, big)).toBeLessThanOrEqual(syntheticDifficulty(c1, small));
      }), { seed: 99 });
  });

  it('is a freehand outline of the key, labelled, and says it is synthetic', () => {
    const s = makeSyntheticLesion({ ...PHANTOMS.CT, rows: n, columns: n, modality: 'CT', seed: 4, diameterMm: 9, cnr: 2.2 });
    expect(s.synthetic).toBe(true);
    expect(s.title).toMatch(/^Synthetic CT lesion — 9\.0 mm/);
    expect(s.stimulus).toEqual({ contrast: s.contrast, cnr: Math.abs(s.cnrMeasured), diameterMm: 9 });
    const f = syntheticFinding(s, IMAGE);
    expect(f.region.kind).toBe('freehand');
    expect(f.label).toBe('nodule');
    expect(f.difficulty).toBe(4);
    expect(f.image).toEqual(IMAGE);
    expect(f.explanation).toMatch(/^Synthetic lesion \(computer-generated, not a real finding\): 9\.0 mm/);
    expect(f.explanation).toContain('CNR 2.2');
    expect(syntheticFinding(s, IMAGE, { id: 'k', label: 'mass' })).toMatchObject({ id: 'k', label: 'mass' });
  });
});
