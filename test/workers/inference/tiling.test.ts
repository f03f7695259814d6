// Tiling: plans cover the image with the promised overlap and alignment; feathered blending of a local operator
// (a stack of 3×3 convolutions, receptive radius 5) equals the untiled result; ×2 outputs blend in output space.
import { describe, expect, it } from 'vitest';
import { featherWeights, planTiles, runTiled, tileStarts } from '../../../workers/inference/tiling';
import { convStackReference } from '../../fixtures/makeOnnx';

const KERNELS = Array.from({ length: 5 }, (_, i) => [0.05, 0.1, 0.05, 0.1, 0.4 + 0.02 * i, 0.1, 0.05, 0.1, 0.05]);

function image(rows: number, columns: number): Float32Array {
  const x = new Float32Array(rows * columns);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) + ((i * 7919) % 101) / 50;
  return x;
}

describe('tiling', () => {
  it('plans aligned tiles that overlap by at least 2·margin + ramp and reach the far edge', () => {
    const starts = tileStarts(2048, 512, 80, 4);
    expect(starts[0]).toBe(0);
    expect(starts.at(-1)).toBe(2048 - 512);
    for (const s of starts) expect(s % 4).toBe(0);
    for (let i = 1; i < starts.length; i++) expect(starts[i - 1]! + 512 - starts[i]!).toBeGreaterThanOrEqual(80);
    expect(tileStarts(300, 512, 80, 4)).toEqual([0]);
    expect(planTiles(2048, 1024, { tile: 512, margin: 32, ramp: 16, scale: 1, align: 4 })).toHaveLength(starts.length * tileStarts(1024, 512, 80, 4).length);
    expect(() => planTiles(30, 32, { tile: 16, margin: 2, ramp: 2, scale: 1, align: 4 })).toThrow(/multiple of 4/);
  });

  it('cross-fades neighbouring tiles with weights that sum to one', () => {
    // Two tiles of 100 over 160 overlapping by 40 = 2 · margin 8 + ramp 24.
    const a = featherWeights(0, 100, 160, 8, 24), b = featherWeights(60, 100, 160, 8, 24);
    for (let p = 60; p < 100; p++) expect(a[p]! + b[p - 60]!).toBeCloseTo(1, 6);
    expect(a[99]).toBe(0); // cut edge: no context, unused
    expect(a[0]).toBe(1); // image border: used
  });

  it('equals the untiled result for a local operator (2048 × 1536, tiles of 256)', async () => {
    const rows = 2048, columns = 1536;
    const x = image(rows, columns);
    const whole = convStackReference(x, rows, columns, KERNELS);
    let calls = 0, maxTileEdge = 0;
    const progress: number[] = [];
    const tiled = await runTiled(x, rows, columns, { tile: 256, margin: 8, ramp: 8, scale: 1, align: 4 }, async (t, h, w) => {
      calls++;
      maxTileEdge = Math.max(maxTileEdge, h, w);
      return convStackReference(t, h, w, KERNELS);
    }, (done, total) => progress.push(done / total));
    expect(calls).toBeGreaterThan(40);
    expect(maxTileEdge).toBe(256); // memory per model call stays bounded
    expect(progress.at(-1)).toBe(1);
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i]! - tiled[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('blends ×2 outputs in output coordinates', async () => {
    const rows = 200, columns = 120;
    const x = image(rows, columns);
    const up = (t: Float32Array, h: number, w: number) => {
      const y = convStackReference(t, h, w, KERNELS.slice(0, 3));
      const out = new Float32Array(h * w * 4);
      for (let r = 0; r < 2 * h; r++) for (let c = 0; c < 2 * w; c++) out[r * 2 * w + c] = y[(r >> 1) * w + (c >> 1)]!;
      return out;
    };
    const whole = up(x, rows, columns);
    const tiled = await runTiled(x, rows, columns, { tile: 64, margin: 6, ramp: 4, scale: 2, align: 1 }, async (t, h, w) => up(t, h, w));
    expect(tiled.length).toBe(4 * rows * columns);
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i]! - tiled[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('stops between tiles when aborted', async () => {
    const signal = { aborted: false };
    let calls = 0;
    const run = runTiled(image(256, 256), 256, 256, { tile: 64, margin: 4, ramp: 4, scale: 1, align: 4 }, async (t) => {
      if (++calls === 3) signal.aborted = true;
      return t;
    }, undefined, signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(3);
  });
});
