// Pure annotation edits: add / update / remove / move, no-op identity (no undo step), bounds on keyboard nudges,
// default shapes for keyboard placement, the storage diff, and undo/redo through history.ts restoring exact points.
import { describe, expect, it } from 'vitest';
import { ANNOTATION_KINDS, type Annotation, type ImageRef } from '../../../src/teaching/model';
import { defaultPoints, diffAnnotations, makeAnnotation, performAnnotation, validPoints } from '../../../src/teaching/annotationActions';
import { commit, redo, startHistory, undo } from '../../../src/teaching/history';
import { angleDeg, lengthPx, regionAreaPx } from '../../../src/shared/measure';

const img: ImageRef = { studyInstanceUID: 'st', seriesInstanceUID: 'se', sopInstanceUID: 'se.1', frame: 0 };
const len = (id: string) => makeAnnotation(id, 'length', img, [{ x: 10.25, y: 20.5 }, { x: 40.125, y: 60.75 }], 1);

describe('performAnnotation', () => {
  it('adds, updates label/text/points with a new updatedAt, removes; never mutates its input', () => {
    const a = performAnnotation([], { type: 'add', annotation: len('a') }, 1);
    const frozen = JSON.stringify(a);
    const b = performAnnotation(a, { type: 'update', id: 'a', patch: { label: 'RUL nodule', text: 'spiculated' } }, 5);
    expect(b[0]).toMatchObject({ label: 'RUL nodule', text: 'spiculated', updatedAt: 5, createdAt: 1 });
    const c = performAnnotation(b, { type: 'update', id: 'a', patch: { points: [{ x: 1, y: 2 }, { x: 3, y: 4 }] } }, 6);
    expect(c[0]!.points).toEqual([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
    expect(performAnnotation(c, { type: 'remove', id: 'a' }, 7)).toEqual([]);
    expect(JSON.stringify(a)).toBe(frozen);
  });

  it('returns the same list object when nothing changes, so History records no step', () => {
    const list = [len('a')];
    expect(performAnnotation(list, { type: 'add', annotation: len('a') }, 2)).toBe(list);
    expect(performAnnotation(list, { type: 'remove', id: 'nope' }, 2)).toBe(list);
    expect(performAnnotation(list, { type: 'update', id: 'a', patch: { label: '' } }, 2)).toBe(list);
    expect(performAnnotation(list, { type: 'update', id: 'a', patch: { points: list[0]!.points.map((p) => ({ ...p })) } }, 2)).toBe(list);
    expect(performAnnotation(list, { type: 'update', id: 'a', patch: { points: [{ x: 1, y: 1 }] } }, 2)).toBe(list); // wrong count
    expect(performAnnotation(list, { type: 'move', id: 'a', dx: 0, dy: 0 }, 2)).toBe(list);
    const h = startHistory(list);
    expect(commit(h, performAnnotation(list, { type: 'remove', id: 'nope' }, 2))).toBe(h);
  });

  it('refuses shapes with the wrong number of points', () => {
    expect(performAnnotation([], { type: 'add', annotation: makeAnnotation('f', 'freehand', img, [{ x: 0, y: 0 }, { x: 1, y: 1 }], 1) }, 1)).toEqual([]);
    expect(validPoints('probe', [{ x: 0, y: NaN }])).toBe(false);
    expect(validPoints('angle', [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }])).toBe(true);
  });

  it('moves every point by (dx, dy), keeping the whole shape inside the image when bounds are given', () => {
    const list = [len('a')];
    const moved = performAnnotation(list, { type: 'move', id: 'a', dx: -10, dy: 1 }, 3);
    expect(moved[0]!.points).toEqual([{ x: 0.25, y: 21.5 }, { x: 30.125, y: 61.75 }]);
    const clamped = performAnnotation(list, { type: 'move', id: 'a', dx: -100, dy: 100 }, 3);
    expect(clamped[0]!.points[0]!.x).toBe(-89.75);
    const inside = performAnnotation(list, { type: 'move', id: 'a', dx: -100, dy: 100, bounds: { rows: 64, columns: 64 } }, 3);
    expect(inside[0]!.points).toEqual([{ x: 0, y: 23.75 }, { x: 29.875, y: 64 }]);
    // Already at the edge: a further nudge outwards changes nothing.
    expect(performAnnotation(inside, { type: 'move', id: 'a', dx: -1, dy: 1, bounds: { rows: 64, columns: 64 } }, 4)).toBe(inside);
  });
});

describe('undo / redo of annotation edits', () => {
  it('restores the exact points (no rounding) after a move and a drag edit, and redoes them', () => {
    const a = len('a');
    let h = startHistory<Annotation[]>([]);
    h = commit(h, performAnnotation(h.present, { type: 'add', annotation: a }, 1));
    h = commit(h, performAnnotation(h.present, { type: 'move', id: 'a', dx: 10, dy: -1 }, 2));
    h = commit(h, performAnnotation(h.present, { type: 'update', id: 'a', patch: { points: [{ x: 1 / 3, y: 2 / 7 }, { x: 5, y: 6 }] } }, 3));
    h = commit(h, performAnnotation(h.present, { type: 'update', id: 'a', patch: { label: 'L' } }, 4));
    const last = h.present;
    h = undo(undo(h));
    expect(h.present[0]!.points).toEqual([{ x: 20.25, y: 19.5 }, { x: 50.125, y: 59.75 }]);
    h = undo(h);
    expect(h.present[0]!.points).toEqual(a.points);
    h = undo(h);
    expect(h.present).toEqual([]);
    h = redo(redo(redo(redo(h))));
    expect(h.present).toBe(last);
    expect(h.present[0]!.points).toEqual([{ x: 1 / 3, y: 2 / 7 }, { x: 5, y: 6 }]);
  });
});

describe('defaultPoints', () => {
  it('gives every kind a valid shape of about `size` centred on the point', () => {
    const c = { x: 100, y: 80 };
    for (const kind of ANNOTATION_KINDS) expect(validPoints(kind, defaultPoints(kind, c, 40))).toBe(true);
    expect(lengthPx(defaultPoints('length', c, 40))).toBe(40);
    expect(angleDeg(defaultPoints('angle', c, 40))).toBeCloseTo(90, 12);
    expect(regionAreaPx('rectangle', defaultPoints('rectangle', c, 40))).toBe(1600);
    expect(defaultPoints('arrow', c, 40)[0]).toEqual(c); // the tip points at the centre
  });
});

describe('diffAnnotations', () => {
  it('puts added and changed records, removes deleted ids, skips unchanged ones', () => {
    const a = len('a'), b = len('b'), c = len('c');
    const b2 = performAnnotation([b], { type: 'update', id: 'b', patch: { label: 'x' } }, 9)[0]!;
    expect(diffAnnotations([a, b], [b2, c])).toEqual({ put: [b2, c], remove: ['a'] });
    expect(diffAnnotations([a], [a])).toEqual({ put: [], remove: [] });
  });
});
