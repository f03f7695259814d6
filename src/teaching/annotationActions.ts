// Annotation edits as pure "perform → patch" steps: (list, action, now) → new list, the same list when nothing changed
// (so History records no step). Also the default shape a keyboard user places, and the storage diff between two lists.
// Pure and thread-neutral; points are SOURCE-IMAGE PIXELS (src/teaching/model.ts).
import { POINT_COUNT, type Annotation, type AnnotationKind, type ImageRef, type Point } from './model';

export type AnnotationAction =
  | { type: 'add'; annotation: Annotation }
  | { type: 'update'; id: string; patch: Partial<Pick<Annotation, 'points' | 'label' | 'text'>> }
  | { type: 'remove'; id: string }
  /** Keyboard nudge by (dx, dy) source pixels; with `bounds` the whole shape stays inside [0, columns] × [0, rows]. */
  | { type: 'move'; id: string; dx: number; dy: number; bounds?: { rows: number; columns: number } };

/** True when `points` has the right count for `kind` (freehand: a closed contour of at least 3). */
export function validPoints(kind: AnnotationKind, points: readonly Point[]): boolean {
  const n = POINT_COUNT[kind];
  return (n === 'many' ? points.length >= 3 : points.length === n) && points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
}

const samePoints = (a: readonly Point[], b: readonly Point[]) => a.length === b.length && a.every((p, i) => p.x === b[i]!.x && p.y === b[i]!.y);

export function performAnnotation(list: Annotation[], action: AnnotationAction, now: number): Annotation[] {
  switch (action.type) {
    case 'add': {
      const a = action.annotation;
      if (list.some((x) => x.id === a.id) || !validPoints(a.kind, a.points)) return list;
      return [...list, a];
    }
    case 'remove':
      return list.some((x) => x.id === action.id) ? list.filter((x) => x.id !== action.id) : list;
    case 'update':
      return replace(list, action.id, (a) => {
        const { points, label, text } = action.patch;
        const next = {
          ...a,
          ...(points && !samePoints(points, a.points) && validPoints(a.kind, points) ? { points: points.map(({ x, y }) => ({ x, y })) } : {}),
          ...(label !== undefined && label !== a.label ? { label } : {}),
          ...(text !== undefined && text !== a.text ? { text } : {}),
        };
        return next.points === a.points && next.label === a.label && next.text === a.text ? a : { ...next, updatedAt: now };
      });
    case 'move':
      return replace(list, action.id, (a) => {
        let { dx, dy } = action;
        if (action.bounds) {
          const xs = a.points.map((p) => p.x), ys = a.points.map((p) => p.y);
          dx = Math.min(Math.max(dx, -Math.min(...xs)), action.bounds.columns - Math.max(...xs));
          dy = Math.min(Math.max(dy, -Math.min(...ys)), action.bounds.rows - Math.max(...ys));
        }
        if (dx === 0 && dy === 0) return a;
        return { ...a, points: a.points.map((p) => ({ x: p.x + dx, y: p.y + dy })), updatedAt: now };
      });
  }
}

function replace(list: Annotation[], id: string, f: (a: Annotation) => Annotation): Annotation[] {
  const i = list.findIndex((a) => a.id === id);
  if (i < 0) return list;
  const next = f(list[i]!);
  return next === list[i] ? list : list.map((a, j) => (j === i ? next : a));
}

/**
 * The shape a keyboard user places ("Place at centre"): centred on `c`, about `size` source pixels across.
 * length horizontal; angle 90° with the vertex at the centre; ellipse/rectangle a square box; arrow pointing at the
 * centre from the upper right; freehand an octagon.
 */
export function defaultPoints(kind: AnnotationKind, c: Point, size: number): Point[] {
  const h = size / 2;
  switch (kind) {
    case 'length': return [{ x: c.x - h, y: c.y }, { x: c.x + h, y: c.y }];
    case 'angle': return [{ x: c.x + h, y: c.y }, { x: c.x, y: c.y }, { x: c.x, y: c.y - h }];
    case 'ellipse': case 'rectangle': return [{ x: c.x - h, y: c.y - h }, { x: c.x + h, y: c.y + h }];
    case 'probe': return [{ x: c.x, y: c.y }];
    case 'arrow': return [{ x: c.x, y: c.y }, { x: c.x + h, y: c.y - h }];
    case 'freehand':
      return Array.from({ length: 8 }, (_, i) => ({ x: c.x + h * Math.cos((i * Math.PI) / 4), y: c.y + h * Math.sin((i * Math.PI) / 4) }));
  }
}

export function makeAnnotation(id: string, kind: AnnotationKind, image: ImageRef, points: Point[], now: number, label = '', text = ''): Annotation {
  return { id, kind, image, points: points.map(({ x, y }) => ({ x, y })), label, text, createdAt: now, updatedAt: now };
}

/** What storage must write to go from `before` to `after`: records added or changed, ids removed. */
export function diffAnnotations(before: readonly Annotation[], after: readonly Annotation[]): { put: Annotation[]; remove: string[] } {
  const old = new Map(before.map((a) => [a.id, a]));
  const ids = new Set(after.map((a) => a.id));
  return { put: after.filter((a) => old.get(a.id) !== a), remove: before.filter((a) => !ids.has(a.id)).map((a) => a.id) };
}
