// The heatmap is transparent below the threshold and ramps in colour above it.
import { describe, expect, it } from 'vitest';
import { colourAt, heatmapRgba } from '../../../src/shared/heatmap';

describe('heatmap colours', () => {
  it('is transparent below the threshold and opaque at the given opacity above', () => {
    const rgba = heatmapRgba(Float32Array.of(0.01, 0.05, 0.1), 0.05, 0.1, 0.5);
    expect(rgba[3]).toBe(0);
    expect(rgba[7]).toBe(128);
    expect(Array.from(rgba.subarray(8, 11))).toEqual(colourAt(1));
    expect(colourAt(0)).not.toEqual(colourAt(1));
  });

  it('ramps through the colour stops from the threshold to the maximum', () => {
    // Threshold 0, maximum 1: t = 0, a fifth of the way to the 0.33 stop, the stop, the maximum, beyond it.
    const rgba = heatmapRgba(Float32Array.of(0, 0.066, 0.33, 1, 2), 0, 1, 1);
    const px = (i: number) => Array.from(rgba.subarray(4 * i, 4 * i + 4));
    expect(px(0)).toEqual([40, 11, 84, 255]);
    expect(px(1)).toEqual([59, 16, 88, 255]);
    expect(px(2)).toEqual([137, 34, 106, 255]);
    expect(px(3)).toEqual([252, 255, 164, 255]);
    expect(px(4)).toEqual([252, 255, 164, 255]);
  });

  it('colours every score as the ramp does, to within one level per channel', () => {
    const scores = Float32Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) / 4000 - 0.1);
    const [threshold, max] = [0.05, 1.1];
    const rgba = heatmapRgba(scores, threshold, max, 0.8);
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (s < threshold) { expect(rgba[4 * i + 3]).toBe(0); continue; }
      const want = colourAt((s - threshold) / (max - threshold));
      for (let c = 0; c < 3; c++) expect(Math.abs(rgba[4 * i + c]! - want[c]!)).toBeLessThanOrEqual(1);
      expect(rgba[4 * i + 3]).toBe(204);
    }
  });

  it('writes into a given buffer (an ImageData), clearing what lies below the threshold', () => {
    const out = new Uint8ClampedArray(8).fill(99);
    expect(heatmapRgba(Float32Array.of(0, 1), 0.5, 1, 1, out)).toBe(out);
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(out.subarray(4, 8))).toEqual([...colourAt(1), 255]);
  });
});
