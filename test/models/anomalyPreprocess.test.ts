// The anomaly model's working resolution: the factor from Pixel Spacing (or size), block means, and the way back.
import { describe, expect, it } from 'vitest';
import { areaDown, bodyMask, CT_WINDOW_HU, normaliseForScreening, preprocess, workingFactor, WORKING_MM } from '../../models/anomaly/preprocess';
import { upsampleScores } from '../../models/anomaly/postprocess';

describe('anomaly working resolution', () => {
  it('downsamples by round(1.6 mm / the finer pixel spacing), at least 1; without spacing, by size ÷ 256', () => {
    expect(WORKING_MM).toBe(1.6);
    expect(workingFactor([0.7, 0.7], 512, 512)).toBe(2);
    expect(workingFactor([0.43, 0.43], 512, 384)).toBe(4);
    expect(workingFactor([2, 2], 120, 90)).toBe(1);
    expect(workingFactor([1.146, 1.146], 192, 192)).toBe(1);
    expect(workingFactor([0.9, 0.5], 256, 256)).toBe(3); // the finer axis decides
    expect(workingFactor(null, 512, 512)).toBe(2);
    expect(workingFactor(undefined, 128, 128)).toBe(1);
    expect(workingFactor([0, 0], 1024, 1024)).toBe(4); // a zero spacing is no spacing
    expect(workingFactor([0.01, 0.01], 64, 64)).toBe(8); // bounded
  });

  it('takes k × k block means, repeating the last row and column into a partial block (numpy edge padding)', () => {
    // 3 × 5, k = 2 → 2 × 3.
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const d = areaDown(x, 3, 5, 2);
    expect([d.rows, d.columns]).toEqual([2, 3]);
    expect(Array.from(d.data)).toEqual([(1 + 2 + 6 + 7) / 4, (3 + 4 + 8 + 9) / 4, (5 + 5 + 10 + 10) / 4, (11 + 12 + 11 + 12) / 4, (13 + 14 + 13 + 14) / 4, 15]);
    expect(areaDown(x, 3, 5, 1).data).toEqual(x);
  });

  it('normalises the downsampled slice and pads it to multiples of 4', () => {
    const n = 70, v = Float32Array.from({ length: n * n }, (_, i) => (i % n) * 10 - 250);
    const pre = preprocess(v, n, n, 'CT', [0.8, 0.8]);
    expect(pre.factor).toBe(2);
    expect([pre.workRows, pre.workColumns]).toEqual([35, 35]);
    expect(pre.dims).toEqual([1, 1, 36, 36]);
    expect(pre.x[0]).toBeCloseTo(5 / 600, 6); // mean of columns 0 and 1 (−250, −240 HU) in the soft-tissue window
    expect(pre.x[1]).toBeCloseTo(25 / 600, 6);
    expect(pre.mask.length).toBe(35 * 35);
    expect(() => preprocess(v, n, n + 1, 'CT', null)).toThrow(RangeError);
  });

  it('brings scores back to every source pixel: bilinear between working-pixel centres, edges held', () => {
    const work = Float32Array.from([0, 1, 2, 3]); // 2 × 2
    const up = upsampleScores(work, 2, 2, 4, 4, 2);
    expect(up.length).toBe(16);
    // Row 0: source row −0.25 → held at working row 0; columns 0..3 at −0.25, 0.25, 0.75, 1.25 → 0, 0.25, 0.75, 1.
    expect(Array.from(up.subarray(0, 4))).toEqual([0, 0.25, 0.75, 1]);
    expect(up[15]).toBe(3);
    expect(up[5]).toBeCloseTo(0.25 * 2 + 0.25, 6); // row 0.25, column 0.25
    // A source size that is not a multiple of the factor is cut from the working grid's cover.
    expect(upsampleScores(work, 2, 2, 3, 3, 2).length).toBe(9);
    const same = Float32Array.from([1, 2]);
    expect(upsampleScores(same, 1, 2, 1, 2, 1)).toBe(same);
  });

  it('reads CT in a soft-tissue window (−250 to 350 HU) and MR by slice percentiles', () => {
    expect(CT_WINDOW_HU).toEqual([-250, 350]);
    const x = normaliseForScreening(Float32Array.from([-1000, -250, 50, 350, 1200]), 'CT');
    expect(Array.from(x)).toEqual([0, 0, 0.5, 1, 1]);
    const mr = normaliseForScreening(Float32Array.from({ length: 101 }, (_, i) => i * 10), 'MR');
    expect(mr[1]).toBeCloseTo(0, 6); // the 1st percentile
    expect(mr[99]).toBeCloseTo(1, 6); // the 99th
  });

  it('masks the body: holes filled, a separate object (the table) dropped, the outline eroded by the margin', () => {
    const n = 40, hu = new Float32Array(n * n).fill(-1000);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      const d = Math.hypot(r - 18, c - 20);
      if (d < 14) hu[r * n + c] = 40; // body
      if (Math.hypot(r - 18, c - 14) < 4) hu[r * n + c] = -850; // a lung inside it
      if (r >= 36 && c > 5 && c < 35) hu[r * n + c] = 200; // the table, apart from the body
    }
    const m0 = bodyMask(hu, n, n, 'CT', 0);
    expect(m0[18 * n + 14]).toBe(1); // the lung is inside the body
    expect(m0[37 * n + 20]).toBe(0); // the table is not
    expect(m0[2 * n + 2]).toBe(0); // air
    expect(m0[18 * n + 33]).toBe(1); // 13 px from the centre: body
    const m2 = bodyMask(hu, n, n, 'CT', 2);
    expect(m2[18 * n + 33]).toBe(0); // within 2 px of the outline
    expect(m2[18 * n + 30]).toBe(1);
    let a0 = 0, a2 = 0;
    for (let i = 0; i < n * n; i++) { a0 += m0[i]!; a2 += m2[i]!; }
    expect(a0).toBeGreaterThan(Math.PI * 13 * 13);
    expect(a2).toBeLessThan(Math.PI * 12.5 * 12.5);
    // MR: above 10 % of the 99th percentile.
    const mr = Float32Array.from(hu, (v) => (v > 0 ? 500 : 3));
    expect(bodyMask(mr, n, n, 'MR', 0)[18 * n + 20]).toBe(1);
  });
});
