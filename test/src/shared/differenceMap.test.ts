// The difference map of an unchanged image is zero and shows an added spot where it was added, on the ×2 grid.
import { describe, expect, it } from 'vitest';
import { differenceMap } from '../../../src/shared/differenceMap';

describe('differenceMap', () => {
  it('is zero for a pixel-centre-aligned ×2 linear upsampling of a ramp and finds an added spot', () => {
    const n = 8;
    const src = Float32Array.from({ length: n * n }, (_, i) => (i % n) * 4);
    const up = new Float32Array(4 * n * n);
    for (let r = 0; r < 2 * n; r++) for (let c = 0; c < 2 * n; c++) up[r * 2 * n + c] = Math.min(n - 1, Math.max(0, (c + 0.5) / 2 - 0.5)) * 4;
    const flat = differenceMap(up, 2 * n, 2 * n, src, n, n);
    expect(Math.max(...flat.values.map(Math.abs))).toBeLessThan(1e-5);
    up[5 * 2 * n + 7]! += 100;
    const spot = differenceMap(up, 2 * n, 2 * n, src, n, n);
    expect(spot.values[5 * 2 * n + 7]).toBeCloseTo(100, 4);
    expect(spot.window.center).toBe(0);
  });
});
