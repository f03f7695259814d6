import { describe, expect, it } from 'vitest';
import { insertLesions, lesionCase, tissueMask } from '../../../src/teaching/syntheticLesions';
import { brainMrSlice, chestCtSlice } from '../../../src/dicom/synthetic/phantom';

describe('synthetic lesions', () => {
  const n = 128;
  const ct = chestCtSlice(n, 0.5, 3, 0);

  it('paints an ellipse of the requested size in mm, with the requested contrast, and masks it', () => {
    const spacing: [number, number] = [0.5, 0.5];
    const flat = new Float32Array(n * n).fill(40);
    const r = insertLesions(flat, n, n, spacing, [{ centerRow: 64, centerColumn: 64, diameterMm: 20, axisRatio: 1, angle: 0, contrast: 100, lobulation: 0, texture: 0 }], 1);
    const area = r.mask.reduce((s, v) => s + v, 0);
    const expected = Math.PI * (10 / 0.5) ** 2; // radius 10 mm = 20 px
    expect(area / expected).toBeGreaterThan(0.9);
    expect(area / expected).toBeLessThan(1.1);
    expect(r.values[64 * n + 64]).toBeCloseTo(140, 0);
    expect(r.values[0]).toBe(40);
  });

  it('is deterministic for a seed and places lesions in tissue', () => {
    const a = lesionCase(ct, n, n, [2.8, 2.8], 'CT', 42);
    const b = lesionCase(ct, n, n, [2.8, 2.8], 'CT', 42);
    expect(Array.from(a.mask)).toEqual(Array.from(b.mask));
    expect(a.lesions.length).toBeGreaterThanOrEqual(1);
    const tissue = tissueMask(ct, 'CT');
    for (const L of a.lesions) expect(tissue[L.centerRow * n + L.centerColumn]).toBe(1);
    for (const L of a.lesions) {
      expect(L.diameterMm).toBeGreaterThanOrEqual(3);
      expect(L.diameterMm).toBeLessThanOrEqual(30);
      expect(Math.abs(L.contrast)).toBeGreaterThanOrEqual(20);
      expect(Math.abs(L.contrast)).toBeLessThanOrEqual(200);
    }
  });

  it('varies size, sign and contrast across seeds, with modest contrasts common', () => {
    const mr = brainMrSlice(n, 0.5, 5, 0);
    const lesions = Array.from({ length: 60 }, (_, s) => lesionCase(mr, n, n, [1.8, 1.8], 'MR', s, 1).lesions[0]!);
    expect(lesions.some((L) => L.contrast > 0)).toBe(true);
    expect(lesions.some((L) => L.contrast < 0)).toBe(true);
    expect(lesions.some((L) => L.diameterMm < 6)).toBe(true);
    expect(lesions.some((L) => L.diameterMm > 18)).toBe(true);
    const range = Math.max(...lesions.map((L) => Math.abs(L.contrast)));
    expect(lesions.filter((L) => Math.abs(L.contrast) < range / 2).length).toBeGreaterThan(lesions.length / 3);
  });

  it('count 0 gives a normal slice with an empty mask', () => {
    const r = lesionCase(ct, n, n, [2.8, 2.8], 'CT', 9, 0);
    expect(r.mask.every((v) => v === 0)).toBe(true);
    expect(Array.from(r.values)).toEqual(Array.from(ct));
  });
});
