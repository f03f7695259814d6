// Measurement maths on synthetic images of known geometry: a disc of known HU, a 3-4-5 triangle under anisotropic
// spacing, right and known angles, polygon areas, the probe's pixel, and the no-spacing case.
import { describe, expect, it } from 'vitest';
import { angleDeg, lengthMm, lengthPx, measure, polygonAreaPx, probeValue, regionStats, spacingOf } from '../../../src/shared/measure';

/** A CT-like frame: air (−1000 HU) with a disc of `hu` of radius `r` px centred at (cx, cy) (pixel centres inside). */
function disc(size: number, cx: number, cy: number, r: number, hu: number): Uint16Array {
  const out = new Uint16Array(size * size);
  for (let row = 0; row < size; row++) for (let c = 0; c < size; c++) {
    const inside = (c + 0.5 - cx) ** 2 + (row + 0.5 - cy) ** 2 <= r * r;
    out[row * size + c] = (inside ? hu : -1000) + 1024; // stored = HU − intercept, slope 1, intercept −1024
  }
  return out;
}

describe('lengthMm / lengthPx', () => {
  it('gives 5 mm for a 3-4-5 triangle under anisotropic spacing', () => {
    // 0.5 mm between columns, 2 mm between rows: 6 px across = 3 mm, 2 px down = 4 mm.
    const pts = [{ x: 10, y: 10 }, { x: 16, y: 12 }];
    expect(lengthMm(pts, { row: 2, column: 0.5 })).toBeCloseTo(5, 12);
    expect(lengthPx(pts)).toBeCloseTo(Math.sqrt(40), 12);
  });
  it('is null without Pixel Spacing', () => {
    expect(lengthMm([{ x: 0, y: 0 }, { x: 3, y: 4 }], null)).toBeNull();
    expect(spacingOf(null)).toBeNull();
    expect(spacingOf([0, 0.7])).toBeNull();
    expect(spacingOf([0.6, 0.7])).toEqual({ row: 0.6, column: 0.7 });
  });
});

describe('angleDeg', () => {
  it('is 90° for a right angle, whichever way round', () => {
    expect(angleDeg([{ x: 20, y: 10 }, { x: 10, y: 10 }, { x: 10, y: 0 }])).toBeCloseTo(90, 12);
    expect(angleDeg([{ x: 10, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 10 }])).toBeCloseTo(90, 12);
  });
  it('measures in physical space: a 45° pixel diagonal is atan(2) with rows twice as far apart', () => {
    const pts = [{ x: 1, y: 0 }, { x: 0, y: 0 }, { x: 1, y: 1 }];
    expect(angleDeg(pts)).toBeCloseTo(45, 12);
    expect(angleDeg(pts, { row: 2, column: 1 })).toBeCloseTo((Math.atan(2) * 180) / Math.PI, 12);
  });
  it('gives 180° for a straight line and null when a ray has no length', () => {
    expect(angleDeg([{ x: 0, y: 5 }, { x: 5, y: 5 }, { x: 9, y: 5 }])).toBeCloseTo(180, 12);
    expect(angleDeg([{ x: 5, y: 5 }, { x: 5, y: 5 }, { x: 9, y: 5 }])).toBeNull();
  });
});

describe('regionStats', () => {
  const size = 128, cx = 64, cy = 60, r = 30, hu = 60;
  const img = disc(size, cx, cy, r, hu);
  const sp = { row: 0.7, column: 0.7 };

  it('ellipse inside a disc of 60 HU: mean 60, SD 0, min = max = 60, area π r² in mm²', () => {
    const s = regionStats(img, size, size, 1, -1024, 'ellipse', [{ x: cx - 20, y: cy - 20 }, { x: cx + 20, y: cy + 20 }], sp);
    expect(s.mean).toBe(hu);
    expect(s.sd).toBe(0);
    expect([s.min, s.max]).toEqual([hu, hu]);
    expect(s.areaMm2).toBeCloseTo(Math.PI * 20 * 20 * 0.49, 9);
    // Pixel-centre count of a disc of radius 20 is within a perimeter's worth of π r².
    expect(Math.abs(s.pixels - Math.PI * 400)).toBeLessThan(2 * Math.PI * 20 * 0.5);
  });

  it('an ellipse exactly over the disc includes exactly the disc (same pixel-centre rule)', () => {
    const s = regionStats(img, size, size, 1, -1024, 'ellipse', [{ x: cx - r, y: cy - r }, { x: cx + r, y: cy + r }], sp);
    expect(s.mean).toBe(hu);
    expect(s.pixels).toBe(img.filter((v) => v === hu + 1024).length);
  });

  it('half inside, half air: the mean is the pixel-weighted mix and min/max are the two tissues', () => {
    const s = regionStats(img, size, size, 1, -1024, 'rectangle', [{ x: cx - 40, y: cy - 5 }, { x: cx + 40, y: cy + 5 }], sp);
    const inside = s.pixels - 2 * 10 * 10; // 10 columns of air on each side (|x − cx| > 30), 10 rows
    expect(s.mean).toBeCloseTo((inside * hu + 200 * -1000) / s.pixels, 9);
    expect([s.min, s.max]).toEqual([-1000, hu]);
    expect(s.pixels).toBe(80 * 10);
    expect(s.areaMm2).toBeCloseTo(80 * 10 * 0.49, 9);
  });

  it('sample SD of a checkerboard and the rescale (slope 2, intercept −100) applied to every statistic', () => {
    const v = new Uint16Array(20 * 20);
    for (let i = 0; i < v.length; i++) v[i] = (Math.floor(i / 20) + (i % 20)) % 2 ? 10 : 0;
    const s = regionStats(v, 20, 20, 2, -100, 'rectangle', [{ x: 5, y: 5 }, { x: 15, y: 15 }], null);
    expect(s.pixels).toBe(100);
    expect(s.mean).toBeCloseTo(5 * 2 - 100, 12);
    expect(s.sd).toBeCloseTo(2 * Math.sqrt((100 * 25) / 99), 12);
    expect([s.min, s.max]).toEqual([-100, -80]);
    expect(s.areaMm2).toBeNull();
    expect(s.areaPx).toBe(100);
  });

  it('a negative slope swaps min and max', () => {
    const v = Uint16Array.from([0, 10, 20, 30]);
    const s = regionStats(v, 2, 2, -1, 0, 'rectangle', [{ x: 0, y: 0 }, { x: 2, y: 2 }], null);
    expect([s.min, s.max, s.mean]).toEqual([-30, 0, -15]);
  });

  it('freehand: polygon area by the shoelace formula, pixels by centre, corners in either order', () => {
    const square = [{ x: 10, y: 10 }, { x: 20, y: 10 }, { x: 20, y: 20 }, { x: 10, y: 20 }];
    expect(polygonAreaPx(square)).toBe(100);
    expect(polygonAreaPx([...square].reverse())).toBe(100);
    const lShape = [{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 4, y: 1 }, { x: 1, y: 1 }, { x: 1, y: 3 }, { x: 0, y: 3 }];
    expect(polygonAreaPx(lShape)).toBe(6);
    const s = regionStats(img, size, size, 1, -1024, 'freehand', square.map((p) => ({ x: p.x + cx - 15, y: p.y + cy - 15 })), { row: 2, column: 0.5 });
    expect(s.pixels).toBe(100);
    expect(s.mean).toBe(hu);
    expect(s.areaMm2).toBeCloseTo(100, 12);
    const l = regionStats(new Uint16Array(16), 4, 4, 1, 0, 'freehand', lShape, null);
    expect(l.pixels).toBe(6);
  });

  it('a region off the image or degenerate has no statistics but keeps its area', () => {
    const s = regionStats(img, size, size, 1, -1024, 'ellipse', [{ x: -50, y: -50 }, { x: -10, y: -10 }], sp);
    expect(s.pixels).toBe(0);
    expect(s.mean).toBeNaN();
    expect(s.areaPx).toBeCloseTo(Math.PI * 400, 9);
    expect(regionStats(img, size, size, 1, -1024, 'ellipse', [{ x: 5, y: 5 }, { x: 5, y: 9 }], sp).pixels).toBe(0);
  });
});

describe('probeValue and measure', () => {
  it('reads the pixel containing the point, in modality units; null outside', () => {
    const v = Uint16Array.from([1, 2, 3, 4, 5, 6]); // 2 rows × 3 columns
    expect(probeValue(v, 2, 3, 1, -1024, { x: 2.7, y: 1.2 })).toBe(6 - 1024);
    expect(probeValue(v, 2, 3, 1, 0, { x: 0.999, y: 0 })).toBe(1);
    expect(probeValue(v, 2, 3, 1, 0, { x: 3, y: 0 })).toBeNull();
    expect(probeValue(v, 2, 3, 1, 0, { x: -0.1, y: 0 })).toBeNull();
  });
  it('dispatches by kind', () => {
    expect(measure('length', [{ x: 0, y: 0 }, { x: 3, y: 4 }], null, null)).toEqual({ kind: 'length', px: 5, mm: null });
    expect(measure('arrow', [{ x: 0, y: 0 }, { x: 3, y: 4 }], null, null)).toEqual({ kind: 'none' });
    const m = measure('ellipse', [{ x: 0, y: 0 }, { x: 4, y: 2 }], { row: 1, column: 1 }, null);
    expect(m.kind === 'region' && m.stats.pixels === 0 && m.stats.areaMm2).toBeCloseTo(2 * Math.PI, 12);
    expect(measure('probe', [{ x: 0, y: 0 }], null, { values: [7], rows: 1, columns: 1, slope: 1, intercept: 0 })).toEqual({ kind: 'probe', value: 7 });
  });
});
