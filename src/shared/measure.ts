// Measurement maths on SOURCE-IMAGE PIXEL coordinates (x = column, y = row, (0.5, 0.5) the centre of the first
// pixel): length, angle, region statistics in modality units, probe. Thread-neutral and pure: no DOM, no cornerstone.
// Millimetres come from Pixel Spacing (PS3.3 C.7.6.2.1.1: row spacing = between rows, i.e. along y); without it
// every mm value is null and callers show pixels.

export interface Point { x: number; y: number }

/** Pixel Spacing in mm: `row` between adjacent rows (along y), `column` between adjacent columns (along x). */
export interface Spacing { row: number; column: number }

/** [row spacing, column spacing] as DICOM stores it → Spacing; null when absent or not positive. */
export function spacingOf(pixelSpacing: readonly [number, number] | null | undefined): Spacing | null {
  if (!pixelSpacing) return null;
  const [row, column] = pixelSpacing;
  return row > 0 && column > 0 ? { row, column } : null;
}

export function lengthPx(points: readonly Point[]): number {
  const [a, b] = points;
  return a && b ? Math.hypot(b.x - a.x, b.y - a.y) : 0;
}

/** Length of the segment points[0]–points[1] in mm, or null without Pixel Spacing. */
export function lengthMm(points: readonly Point[], spacing: Spacing | null): number | null {
  const [a, b] = points;
  if (!spacing || !a || !b) return null;
  return Math.hypot((b.x - a.x) * spacing.column, (b.y - a.y) * spacing.row);
}

/**
 * Angle at the vertex points[1] between the rays to points[0] and points[2], in degrees [0, 180]. Measured in
 * physical space when `spacing` is given (anisotropic pixels change angles), else in pixel space.
 */
export function angleDeg(points: readonly Point[], spacing: Spacing | null = null): number | null {
  const [a, v, b] = points;
  if (!a || !v || !b) return null;
  const sx = spacing?.column ?? 1, sy = spacing?.row ?? 1;
  const ux = (a.x - v.x) * sx, uy = (a.y - v.y) * sy, wx = (b.x - v.x) * sx, wy = (b.y - v.y) * sy;
  if ((ux === 0 && uy === 0) || (wx === 0 && wy === 0)) return null;
  // atan2 of cross and dot is accurate near 0° and 180°, where acos is not.
  return Math.abs(Math.atan2(ux * wy - uy * wx, ux * wx + uy * wy)) * (180 / Math.PI);
}

export type RegionKind = 'ellipse' | 'rectangle' | 'freehand';

export interface RegionStats {
  /** Modality units (HU for CT): stored value × slope + intercept. NaN when no pixel centre is inside. */
  mean: number;
  /** Sample standard deviation (n − 1), modality units. */
  sd: number;
  min: number;
  max: number;
  /** Area of the drawn shape in mm² (geometric, not a pixel count); null without Pixel Spacing. */
  areaMm2: number | null;
  areaPx: number;
  /** Pixels whose centre lies inside the shape. */
  pixels: number;
}

/** Shoelace area of a closed polygon, px². */
export function polygonAreaPx(points: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!, q = points[(i + 1) % points.length]!;
    twice += p.x * q.y - q.x * p.y;
  }
  return Math.abs(twice) / 2;
}

/** Even-odd rule: is (x, y) inside the closed polygon? */
export function insidePolygon(points: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const p = points[i]!, q = points[j]!;
    if ((p.y > y) !== (q.y > y) && x < ((q.x - p.x) * (y - p.y)) / (q.y - p.y) + p.x) inside = !inside;
  }
  return inside;
}

/** The geometric area of a region in px² (ellipse inscribed in the two corners' box, rectangle, polygon). */
export function regionAreaPx(kind: RegionKind, points: readonly Point[]): number {
  if (kind === 'freehand') return points.length >= 3 ? polygonAreaPx(points) : 0;
  const [a, b] = points;
  if (!a || !b) return 0;
  const w = Math.abs(b.x - a.x), h = Math.abs(b.y - a.y);
  return kind === 'ellipse' ? (Math.PI * w * h) / 4 : w * h;
}

function insideTest(kind: RegionKind, points: readonly Point[]): ((x: number, y: number) => boolean) | null {
  if (kind === 'freehand') return points.length >= 3 ? (x, y) => insidePolygon(points, x, y) : null;
  const [a, b] = points;
  if (!a || !b) return null;
  const x0 = Math.min(a.x, b.x), x1 = Math.max(a.x, b.x), y0 = Math.min(a.y, b.y), y1 = Math.max(a.y, b.y);
  if (kind === 'rectangle') return (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, rx = (x1 - x0) / 2, ry = (y1 - y0) / 2;
  if (rx <= 0 || ry <= 0) return null;
  return (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}

/**
 * Statistics of `values` (stored values, rows × columns, row-major) inside a region drawn in source pixels.
 * A pixel counts when its centre (c + 0.5, r + 0.5) is inside the shape; the rescale is linear, so the statistics
 * are taken on stored values and mapped once (no copy of the image).
 */
export function regionStats(
  values: ArrayLike<number>, rows: number, columns: number, slope: number, intercept: number,
  kind: RegionKind, points: readonly Point[], spacing: Spacing | null,
): RegionStats {
  const areaPx = regionAreaPx(kind, points);
  const areaMm2 = spacing ? areaPx * spacing.row * spacing.column : null;
  const inside = insideTest(kind, points);
  let n = 0, sum = 0, sum2 = 0, lo = Infinity, hi = -Infinity;
  if (inside) {
    const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
    const c0 = Math.max(0, Math.floor(Math.min(...xs) - 0.5)), c1 = Math.min(columns - 1, Math.ceil(Math.max(...xs) - 0.5));
    const r0 = Math.max(0, Math.floor(Math.min(...ys) - 0.5)), r1 = Math.min(rows - 1, Math.ceil(Math.max(...ys) - 0.5));
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
      if (!inside(c + 0.5, r + 0.5)) continue;
      const v = values[r * columns + c]!;
      n++; sum += v; sum2 += v * v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (n === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, areaMm2, areaPx, pixels: 0 };
  const mean = sum / n;
  // Shift-free sum of squares is fine here: stored values are integers of at most 16 bits (or a mapped 16-bit range).
  const sd = n > 1 ? Math.sqrt(Math.max(0, (sum2 - n * mean * mean) / (n - 1))) : 0;
  const a = lo * slope + intercept, b = hi * slope + intercept;
  return { mean: mean * slope + intercept, sd: sd * Math.abs(slope), min: Math.min(a, b), max: Math.max(a, b), areaMm2, areaPx, pixels: n };
}

/** Modality value of the pixel containing `point` (floor of the continuous coordinate), or null outside the image. */
export function probeValue(values: ArrayLike<number>, rows: number, columns: number, slope: number, intercept: number, point: Point): number | null {
  const c = Math.floor(point.x), r = Math.floor(point.y);
  if (c < 0 || r < 0 || c >= columns || r >= rows) return null;
  return values[r * columns + c]! * slope + intercept;
}

/** The measurement kinds (the teaching model's AnnotationKind values). */
export type MeasureKind = 'length' | 'angle' | 'ellipse' | 'rectangle' | 'probe' | 'arrow' | 'freehand';

/** Stored values of one grey frame and its rescale (colour frames have no modality values). */
export interface MeasurePixels { values: ArrayLike<number>; rows: number; columns: number; slope: number; intercept: number }

export type Measurement =
  | { kind: 'length'; px: number; mm: number | null }
  | { kind: 'angle'; deg: number | null }
  | { kind: 'region'; stats: RegionStats }
  | { kind: 'probe'; value: number | null }
  | { kind: 'none' };

/** What a measurement panel shows for an annotation; `pixels` null = not loaded (region statistics NaN, area known). */
export function measure(kind: MeasureKind, points: readonly Point[], spacing: Spacing | null, pixels: MeasurePixels | null): Measurement {
  switch (kind) {
    case 'length': return { kind, px: lengthPx(points), mm: lengthMm(points, spacing) };
    case 'angle': return { kind, deg: angleDeg(points, spacing) };
    case 'ellipse': case 'rectangle': case 'freehand': {
      const p = pixels ?? { values: [], rows: 0, columns: 0, slope: 1, intercept: 0 };
      return { kind: 'region', stats: regionStats(p.values, p.rows, p.columns, p.slope, p.intercept, kind, points, spacing) };
    }
    case 'probe': {
      const [at] = points;
      return { kind, value: pixels && at ? probeValue(pixels.values, pixels.rows, pixels.columns, pixels.slope, pixels.intercept, at) : null };
    }
    case 'arrow': return { kind: 'none' };
  }
}
