// denoise pre/post-processing: padding to multiples of 4 and cropping back, the noise estimate and the noise-scaled
// input, and the normalisation contract.
import { describe, expect, it } from 'vitest';
import { CENTRE, estimateNoise, NOISE_UNIT, padToMultiple, preprocess } from '../../models/denoise/preprocess';
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

  it('estimates the noise as numpy does (degrade.estimate_noise) on the same slice', () => {
    // A slice both languages can make: the fractional part of sin, as pseudo-noise. Expected values printed by
    // /usr/bin/python3 -c "from degrade import estimate_noise; …" on the same formula (models/training).
    const rows = 40, columns = 50;
    const frac = (v: number) => v - Math.trunc(v);
    const ct = Float32Array.from({ length: rows * columns }, (_, i) => ((Math.floor(i / columns) * 3 - 40 + frac(Math.sin(i * 12.9898) * 43758.5453) * 60) + 1024) / 2048);
    const mr = Float32Array.from({ length: rows * columns }, (_, i) => 0.2 + (i % columns) / columns * 0.8 + frac(Math.sin(i * 78.233) * 43758.5453) * 0.1);
    expect(estimateNoise(ct, rows, columns, 'CT')).toBeCloseTo(0.010350395518554538, 7);
    expect(estimateNoise(mr, rows, columns, 'MR')).toBeCloseTo(0.09676624080816502, 6);
  });

  it('finds a known Gaussian noise SD in soft tissue and ignores air and bone', () => {
    const rows = 128, columns = 128;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    // Soft tissue (40 HU, noise SD 12 HU) in the middle rows; air and bone (no noise, sharp edges) around it.
    const hu = Float32Array.from({ length: rows * columns }, (_, i) => {
      const r = Math.floor(i / columns);
      return r < 20 ? -1000 : r > 108 ? 1200 : 40 + 12 * gauss();
    });
    const pre = preprocess(hu, rows, columns, 'CT');
    expect(pre.noiseSd).toBeGreaterThan(12 * 0.93);
    expect(pre.noiseSd).toBeLessThan(12 * 1.07);
    // The network's input is in units of that noise: tissue at 40 HU sits at (x − CENTRE) / s.
    const s = (pre.noiseSd / 2048) / NOISE_UNIT;
    expect(pre.x[0]).toBeCloseTo(((-1000 + 1024) / 2048 - CENTRE) / s, 4);
    // Too few tissue pairs: every difference counts (here all 0), and the floor keeps the scale finite.
    expect(estimateNoise(new Float32Array(64).fill(0.1), 8, 8, 'MR')).toBe(1e-4);
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
