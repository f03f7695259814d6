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
});
