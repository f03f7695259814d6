import { describe, expect, it } from 'vitest';
import { regionFromDrag } from '../../../src/teaching/regions';

describe('regionFromDrag', () => {
  it('a point is where the button was released', () => {
    expect(regionFromDrag('point', [{ x: 1, y: 2 }, { x: 3.5, y: 4.25 }])).toEqual({ kind: 'point', point: { x: 3.5, y: 4.25 } });
  });
  it('boxes and ellipses keep the press and release points as corners, in image pixels', () => {
    const drag = [{ x: 100, y: 50 }, { x: 120, y: 60 }, { x: 140.5, y: 80 }];
    expect(regionFromDrag('box', drag)).toEqual({ kind: 'box', corners: [{ x: 100, y: 50 }, { x: 140.5, y: 80 }] });
    expect(regionFromDrag('ellipse', drag)).toEqual({ kind: 'ellipse', corners: [{ x: 100, y: 50 }, { x: 140.5, y: 80 }] });
  });
  it('a click without a drag makes no box', () => {
    expect(regionFromDrag('box', [{ x: 10, y: 10 }, { x: 10.4, y: 30 }])).toBeNull();
    expect(regionFromDrag('ellipse', [{ x: 10, y: 10 }])).toBeNull();
  });
  it('freehand drops near-duplicate points and needs three', () => {
    const drag = [{ x: 0, y: 0 }, { x: 0.1, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 0.2 }, { x: 5, y: 5 }];
    expect(regionFromDrag('freehand', drag)).toEqual({ kind: 'freehand', points: [{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 5 }] });
    expect(regionFromDrag('freehand', [{ x: 0, y: 0 }, { x: 0.2, y: 0.2 }])).toBeNull();
  });
});

describe('placing and moving regions from the keyboard', () => {
  it('regionAt centres every kind on the point asked for', async () => {
    const { regionAt, regionBounds } = await import('../../../src/teaching/regions');
    for (const kind of ['point', 'box', 'ellipse', 'freehand'] as const) {
      const [x0, y0, x1, y1] = regionBounds(regionAt(kind, { x: 100, y: 60 }, 20));
      expect((x0 + x1) / 2).toBeCloseTo(100, 9);
      expect((y0 + y1) / 2).toBeCloseTo(60, 9);
      if (kind !== 'point') expect(x1 - x0).toBeCloseTo(20, 9);
    }
  });
  it('translateRegion moves every point by the same amount and nothing else', async () => {
    const { translateRegion, regionBounds } = await import('../../../src/teaching/regions');
    const r = { kind: 'freehand' as const, points: [{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 5 }] };
    const m = translateRegion(r, 10, -2);
    expect(regionBounds(m)).toEqual([10, -2, 15, 3]);
    expect(translateRegion(m, -10, 2)).toEqual(r);
  });
});

describe('moving one handle from the keyboard (resize / reshape)', () => {
  it('moves only the chosen handle; the index wraps', async () => {
    const { movePoint } = await import('../../../src/teaching/regions');
    const pts = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }];
    expect(movePoint(pts, 1, 2, -3)).toEqual([{ x: 0, y: 0 }, { x: 12, y: -3 }, { x: 10, y: 10 }]);
    expect(movePoint(pts, -1, 1, 1)).toEqual([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 11, y: 11 }]);
    expect(movePoint(pts, 4, 1, 0)).toEqual(movePoint(pts, 1, 1, 0));
    expect(pts[1]).toEqual({ x: 10, y: 0 }); // input untouched
  });
  it('a box resized by its second corner keeps the first; points round-trip for every kind', async () => {
    const { movePoint, regionPoints, withRegionPoints, regionBounds } = await import('../../../src/teaching/regions');
    const box = { kind: 'box' as const, corners: [{ x: 10, y: 10 }, { x: 20, y: 30 }] as [{ x: number; y: number }, { x: number; y: number }] };
    const bigger = withRegionPoints(box, movePoint(regionPoints(box), 1, 5, 0));
    expect(regionBounds(bigger)).toEqual([10, 10, 25, 30]);
    for (const r of [box, { kind: 'point' as const, point: { x: 1, y: 2 } }, { kind: 'freehand' as const, points: [{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 2, y: 3 }] }]) {
      expect(withRegionPoints(r, regionPoints(r))).toEqual(r);
    }
  });
});
