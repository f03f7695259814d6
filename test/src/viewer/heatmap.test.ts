// The heatmap is transparent below the threshold and ramps in colour above it.
import { describe, expect, it } from 'vitest';
import { colourAt, heatmapRgba } from '../../../src/viewer/heatmap';

describe('heatmap colours', () => {
  it('is transparent below the threshold and opaque at the given opacity above', () => {
    const rgba = heatmapRgba(Float32Array.of(0.01, 0.05, 0.1), 0.05, 0.1, 0.5);
    expect(rgba[3]).toBe(0);
    expect(rgba[7]).toBe(128);
    expect(Array.from(rgba.subarray(8, 11))).toEqual(colourAt(1));
    expect(colourAt(0)).not.toEqual(colourAt(1));
  });

  it('colours every pixel as colourAt does for its place between threshold and maximum', () => {
    const scores = Float32Array.from({ length: 500 }, (_, i) => (i % 97) / 400);
    const threshold = 0.05, max = 0.2;
    const rgba = heatmapRgba(scores, threshold, max, 1);
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      const want = s >= threshold ? [...colourAt((s - threshold) / (max - threshold)), 255] : [0, 0, 0, 0];
      expect(Array.from(rgba.subarray(4 * i, 4 * i + 4))).toEqual(want);
    }
  });
});
