// Geometry of finding regions in SOURCE-IMAGE PIXELS: a region from a drag, its bounds, moving it. Pure and
// thread-neutral; the viewer draws them (src/viewer/regionDrawing.ts), practice scores marks against them.
import type { Point, Region, RegionKind } from './model';

/** A region from the points of one drag (press … release), or null when the drag is too small to mean anything. */
export function regionFromDrag(kind: RegionKind, points: Point[]): Region | null {
  const first = points[0], lastPoint = points[points.length - 1];
  if (!first || !lastPoint) return null;
  if (kind === 'point') return { kind: 'point', point: lastPoint };
  if (kind === 'freehand') {
    // Drop points closer than half a pixel to the previous one: a slow drag gives hundreds of duplicates.
    const kept: Point[] = [];
    for (const p of points) { const q = kept[kept.length - 1]; if (!q || Math.hypot(p.x - q.x, p.y - q.y) >= 0.5) kept.push(p); }
    return kept.length >= 3 ? { kind: 'freehand', points: kept } : null;
  }
  if (Math.abs(lastPoint.x - first.x) < 1 || Math.abs(lastPoint.y - first.y) < 1) return null;
  return { kind, corners: [first, lastPoint] };
}


/** Region bounds in source-image pixels: [xMin, yMin, xMax, yMax]. */
export function regionBounds(r: Region): [number, number, number, number] {
  const pts = r.kind === 'point' ? [r.point] : r.kind === 'freehand' ? r.points : r.corners;
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The region moved by (dx, dy) pixels (keyboard nudging). */
export function translateRegion(r: Region, dx: number, dy: number): Region {
  const m = (p: Point): Point => ({ x: p.x + dx, y: p.y + dy });
  if (r.kind === 'point') return { kind: 'point', point: m(r.point) };
  if (r.kind === 'freehand') return { kind: 'freehand', points: r.points.map(m) };
  return { kind: r.kind, corners: [m(r.corners[0]), m(r.corners[1])] };
}

/** A region of `kind` centred on `centre`, `size` pixels across: placed from the keyboard, then nudged. */
export function regionAt(kind: RegionKind, centre: Point, size: number): Region {
  const h = size / 2;
  if (kind === 'point') return { kind: 'point', point: centre };
  if (kind === 'freehand') {
    // An octagon: a closed contour a person can then refine.
    return { kind: 'freehand', points: Array.from({ length: 8 }, (_, i) => ({ x: centre.x + h * Math.cos((i * Math.PI) / 4), y: centre.y + h * Math.sin((i * Math.PI) / 4) })) };
  }
  return { kind, corners: [{ x: centre.x - h, y: centre.y - h }, { x: centre.x + h, y: centre.y + h }] };
}

/** A region's points in a fixed order: the point; both corners; the contour. */
export function regionPoints(r: Region): Point[] {
  return r.kind === 'point' ? [r.point] : r.kind === 'freehand' ? r.points : [r.corners[0], r.corners[1]];
}

/** The region with its points replaced (same order as regionPoints; counts must match). */
export function withRegionPoints(r: Region, pts: Point[]): Region {
  if (r.kind === 'point') return { kind: 'point', point: pts[0] ?? r.point };
  if (r.kind === 'freehand') return { kind: 'freehand', points: pts };
  return { kind: r.kind, corners: [pts[0] ?? r.corners[0], pts[1] ?? r.corners[1]] };
}

/**
 * One handle moved by (dx, dy) pixels, the others kept: resizing and reshaping from the keyboard (a box's or an
 * ellipse's corner, one vertex of a contour, one end of a length). `index` wraps, so any integer picks a handle.
 */
export function movePoint(points: readonly Point[], index: number, dx: number, dy: number): Point[] {
  const n = points.length;
  if (n === 0) return [];
  const i = ((index % n) + n) % n;
  return points.map((p, k) => (k === i ? { x: p.x + dx, y: p.y + dy } : p));
}
