// denoise pre/post-processing: padding to multiples of 4 and cropping back, and the normalisation contract.
import { describe, expect, it } from 'vitest';
import { padToMultiple, preprocess } from '../../models/denoise/preprocess';
import { postprocess } from '../../models/denoise/postprocess';

describe('denoise pre/post-processing', () => {
  it('pads with edge values to multiples of 4 and crops back exactly', () => {
    const rows = 5, columns = 6;
    const x = Float32Array.from({ length: rows * columns }, (_, i) => i);
    const p = padToMultiple(x, rows, columns);
    expect([p.rows, p.columns]).toEqual([8, 8]);
    expect(p.data[7 * 8 + 7]).toBe(x[rows * columns - 1]); // bottom-right corner replicated
    expect(p.data[0 * 8 + 6]).toBe(x[5]); // right edge replicated
    const pre = preprocess(Array.from({ length: rows * columns }, (_, i) => i * 10 - 1000), rows, columns, 'CT');
    expect(pre.dims).toEqual([1, 1, 8, 8]);
    const back = postprocess(pre.x, pre.dims, rows, columns, pre.offset, pre.scale, 'MR', []);
    expect(Array.from(back).map((v) => Math.round(v))).toEqual(Array.from({ length: rows * columns }, (_, i) => i * 10 - 1000));
  });

  it('for CT, removes the low-frequency part of the change so local means stay put', () => {
    const rows = 40, columns = 40;
    const input = new Float32Array(rows * columns).fill(40);
    // A "model output" that shifted everything by +10 HU and removed a checkerboard of ±5 HU.
    const modelHU = Float32Array.from(input, (_, i) => 50 + (((i % columns) + Math.floor(i / columns)) % 2 ? 5 : -5));
    const x = Float32Array.from(modelHU, (v) => (v + 1024) / 2048);
    const out = postprocess(x, [1, 1, rows, columns], rows, columns, -1024, 2048, 'CT', input);
    const mean = out.reduce((s, v) => s + v, 0) / out.length;
    expect(Math.abs(mean - 40)).toBeLessThan(0.01);
    expect(Math.abs(out[0]! - out[1]!)).toBeGreaterThan(9); // the fine pattern is kept
  });
});
