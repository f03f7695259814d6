// ROI statistics in modality units on the source grid and on a ×2 grid covering the same area.
import { describe, expect, it } from 'vitest';
import { rectFromPoints, roiStats } from '../../../src/shared/roiStats';

describe('roiStats', () => {
  it('gives mean and sample SD inside the rectangle', () => {
    const v = Float32Array.from({ length: 4 * 5 }, (_, i) => i);
    const s = roiStats(v, 4, 5, { rowMin: 1, rowMax: 3, columnMin: 1, columnMax: 3 });
    // pixels 6, 7, 11, 12
    expect(s.pixels).toBe(4);
    expect(s.mean).toBeCloseTo(9, 10);
    expect(s.sd).toBeCloseTo(Math.sqrt(((9 - 6) ** 2 * 2 + (9 - 7) ** 2 * 2) / 3), 10);
  });

  it('measures the same physical area on a ×2 grid', () => {
    const src = Float32Array.from({ length: 8 * 8 }, (_, i) => (i % 8) * 10);
    const up = new Float32Array(16 * 16);
    for (let r = 0; r < 16; r++) for (let c = 0; c < 16; c++) up[r * 16 + c] = src[(r >> 1) * 8 + (c >> 1)]!;
    const rect = { rowMin: 2, rowMax: 5, columnMin: 1, columnMax: 6 };
    const a = roiStats(src, 8, 8, rect), b = roiStats(up, 16, 16, rect, 2);
    expect(b.pixels).toBe(4 * a.pixels);
    expect(b.mean).toBeCloseTo(a.mean, 10);
  });

  it('clips rectangles drawn in either direction to the image; empty rectangles have no statistics', () => {
    expect(rectFromPoints({ x: 7.6, y: -3 }, { x: 2.2, y: 1.5 }, 6, 6)).toEqual({ rowMin: 0, rowMax: 2, columnMin: 2, columnMax: 6 });
    expect(roiStats(new Float32Array(4), 2, 2, { rowMin: 1, rowMax: 1, columnMin: 0, columnMax: 2 }).pixels).toBe(0);
  });
});
