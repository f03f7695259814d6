// Scores a trainee's marks against a case's key: hit/miss by distance to each finding's region within a tolerance,
// one mark per finding (a small optimal assignment), labels apart from localisation. Geometry is in MILLIMETRES (pixel
// x·column spacing, y·row spacing, so anisotropic pixels are right); an image without Pixel Spacing is scored in pixels
// (1 mm taken as 1 px, distanceUnit 'px'). Pure and thread-neutral; FROC points and the session FOM are in froc.ts.
import { insidePolygon, polygonAreaPx, type Spacing } from '../shared/measure';
import { frocPoints } from './froc';
import { sameImage, type Finding, type Point, type Region } from './model';
import { regionCentre, type CaseScore, type FindingOutcome, type Mark, type MarkOutcome } from './practiceModel';

/** Default tolerances (mm): a point finding; otherwise a quarter of the region's equivalent diameter, clamped. */
export const POINT_TOLERANCE_MM = 5;
export const MIN_TOLERANCE_MM = 2;
export const MAX_TOLERANCE_MM = 10;

/** Slack on "distance ≤ tolerance" for float rounding: a centre exactly on an edge, tolerance 0, still hits. */
const ROUNDING_MM = 1e-9;

/** The region in mm: every point scaled by the spacing (an axis-aligned box or ellipse stays axis-aligned). */
export function regionInMm(r: Region, spacing: Spacing | null): Region {
  const sx = spacing?.column ?? 1, sy = spacing?.row ?? 1;
  const m = (p: Point): Point => ({ x: p.x * sx, y: p.y * sy });
  if (r.kind === 'point') return { kind: 'point', point: m(r.point) };
  if (r.kind === 'freehand') return { kind: 'freehand', points: r.points.map(m) };
  return { kind: r.kind, corners: [m(r.corners[0]), m(r.corners[1])] };
}

function box(r: Extract<Region, { kind: 'box' | 'ellipse' }>): [number, number, number, number] {
  const [a, b] = r.corners;
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)];
}

/** Area in the region's own units squared (0 for a point). */
export function regionArea(r: Region): number {
  if (r.kind === 'point') return 0;
  if (r.kind === 'freehand') return r.points.length >= 3 ? polygonAreaPx(r.points) : 0;
  const [x0, y0, x1, y1] = box(r);
  return r.kind === 'box' ? (x1 - x0) * (y1 - y0) : (Math.PI * (x1 - x0) * (y1 - y0)) / 4;
}

/**
 * Default hit tolerance of a finding in mm: 5 mm for a point; else 0.25 × the equivalent diameter (of the circle with
 * the region's area), at least 2 mm (a few pixels of a hand's wobble) and at most 10 mm (inside a big region is easy,
 * a centimetre beyond it is no longer localisation). Without spacing the area is in px², so the result is in px.
 */
export function defaultToleranceMm(region: Region, spacing: Spacing | null): number {
  if (region.kind === 'point') return POINT_TOLERANCE_MM;
  const diameter = 2 * Math.sqrt(regionArea(regionInMm(region, spacing)) / Math.PI);
  return Math.min(MAX_TOLERANCE_MM, Math.max(MIN_TOLERANCE_MM, 0.25 * diameter));
}

/** The finding's own tolerance when set (negative counts as 0), else the default. */
export function toleranceOf(f: Finding, spacing: Spacing | null): number {
  const t = f.toleranceMm;
  return t !== null && Number.isFinite(t) ? Math.max(0, t) : defaultToleranceMm(f.region, spacing);
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const vx = b.x - a.x, vy = b.y - a.y, len2 = vx * vx + vy * vy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((p.x - a.x) * vx + (p.y - a.y) * vy) / len2)) : 0;
  return Math.hypot(p.x - a.x - t * vx, p.y - a.y - t * vy);
}

/**
 * Distance from (u, v) ≥ 0 to the ellipse x²/a² + y²/b² = 1 (a, b > 0), 0 inside. The closest point is
 * (a²u/(t+a²), b²v/(t+b²)) for the one root t > 0 of F(t) = (au/(t+a²))² + (bv/(t+b²))² − 1, which falls from F(0) > 0
 * to F(hypot(au, bv)) < 0 (Eberly, "Distance from a point to an ellipse", 2013): bisection until the interval stops
 * shrinking gives t, hence the distance, to machine precision (tests compare with 20 000-point sampling).
 */
function ellipseDistance(u: number, v: number, a: number, b: number): number {
  if ((u / a) ** 2 + (v / b) ** 2 <= 1) return 0;
  const a2 = a * a, b2 = b * b;
  let lo = 0, hi = Math.hypot(a * u, b * v);
  for (let i = 0; i < 2000; i++) {
    const t = (lo + hi) / 2;
    if (t <= lo || t >= hi) break;
    if ((a * u / (t + a2)) ** 2 + (b * v / (t + b2)) ** 2 > 1) lo = t; else hi = t;
  }
  const t = (lo + hi) / 2;
  return Math.hypot(u - (a2 * u) / (t + a2), v - (b2 * v) / (t + b2));
}

/**
 * Euclidean distance from `p` to region `r` (both in the same units, mm for scoring), 0 inside: a point; a box (the
 * rectangle); an ellipse inscribed in its corner box (exact, above); a freehand contour (closed polygon, inside by the
 * even-odd rule, else the nearest edge). A degenerate ellipse (zero width or height) is its segment.
 */
export function distanceToRegion(p: Point, r: Region): number {
  if (r.kind === 'point') return Math.hypot(p.x - r.point.x, p.y - r.point.y);
  if (r.kind === 'freehand') {
    const pts = r.points, n = pts.length;
    if (n >= 3 && insidePolygon(pts, p.x, p.y)) return 0;
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, segmentDistance(p, pts[i]!, pts[(i + 1) % n]!));
    return best;
  }
  const [x0, y0, x1, y1] = box(r);
  const a = (x1 - x0) / 2, b = (y1 - y0) / 2;
  if (r.kind === 'ellipse' && a > 0 && b > 0) return ellipseDistance(Math.abs(p.x - x0 - a), Math.abs(p.y - y0 - b), a, b);
  return Math.hypot(Math.max(x0 - p.x, 0, p.x - x1), Math.max(y0 - p.y, 0, p.y - y1));
}

/** Labels compare case-insensitively, ends trimmed and inner runs of white space as one space. */
export const sameLabel = (a: string, b: string): boolean =>
  a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/** A possible hit and what it is worth, compared lexicographically (see `better`). */
interface Candidate { mark: number; finding: number; distance: number; centreDistance: number; gain: number[] }

/**
 * Which matching wins, in order: more hits; a higher sum of the hit marks' confidences (FROC: a lesion is rated by the
 * most confident mark on it); a smaller sum of distances to the regions; more correct labels; a smaller sum of distances
 * to the regions' centres. Float sums within 1e-9 count as equal, so the result does not hinge on rounding.
 */
function better(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (Math.abs(d) > 1e-9) return d > 0;
  }
  return false;
}
const plus = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x + b[i]!);

/** Largest group of findings competing for the same marks that is solved exactly (2^k states); beyond it, greedy. */
const MAX_EXACT_FINDINGS = 12;

/** Candidates split into connected groups (marks and findings linked by a possible hit): groups do not compete. */
function groupsOf(cands: Candidate[]): Candidate[][] {
  const up = new Map<string, string>();
  const root = (k: string): string => { let r = k; while (up.get(r) !== r) r = up.get(r)!; return r; };
  for (const c of cands) for (const k of [`m${c.mark}`, `f${c.finding}`]) if (!up.has(k)) up.set(k, k);
  for (const c of cands) up.set(root(`m${c.mark}`), root(`f${c.finding}`));
  const groups = new Map<string, Candidate[]>();
  for (const c of cands) { const g = root(`f${c.finding}`); groups.set(g, [...(groups.get(g) ?? []), c]); }
  return [...groups.values()];
}

/**
 * The best one-to-one matching within a group: dynamic programming over its marks in canonical order `marks`, the set
 * of findings already used (bits in canonical order `findings`) as state; the first best found wins, so ties resolve
 * the same for any input order.
 */
function solveGroup(group: Candidate[], marks: number[], findings: number[]): Candidate[] {
  const fs = findings.filter((j) => group.some((c) => c.finding === j));
  if (fs.length > MAX_EXACT_FINDINGS) {
    const sorted = [...group].sort((x, y) => (better(x.gain, y.gain) ? -1 : better(y.gain, x.gain) ? 1 : 0));
    const usedM = new Set<number>(), usedF = new Set<number>(), chosen: Candidate[] = [];
    for (const c of sorted) if (!usedM.has(c.mark) && !usedF.has(c.finding)) { usedM.add(c.mark); usedF.add(c.finding); chosen.push(c); }
    return chosen;
  }
  type Step = { from: number; cand: Candidate | null };
  let best: (number[] | null)[] = Array.from({ length: 1 << fs.length }, (_, k) => (k === 0 ? [0, 0, 0, 0, 0] : null));
  const back: Step[][] = [];
  for (const m of marks.filter((i) => group.some((c) => c.mark === i))) {
    const next: (number[] | null)[] = best.map(() => null), step: Step[] = [];
    const relax = (to: number, score: number[], from: number, cand: Candidate | null): void => {
      const cur = next[to];
      if (!cur || better(score, cur)) { next[to] = score; step[to] = { from, cand }; }
    };
    best.forEach((score, mask) => {
      if (!score) return;
      relax(mask, score, mask, null);
      for (const c of group) {
        const bit = 1 << fs.indexOf(c.finding);
        if (c.mark === m && !(mask & bit)) relax(mask | bit, plus(score, c.gain), mask, c);
      }
    });
    back.push(step);
    best = next;
  }
  let mask = 0;
  best.forEach((score, k) => { if (score && better(score, best[mask]!)) mask = k; });
  const chosen: Candidate[] = [];
  for (let i = back.length - 1; i >= 0; i--) {
    const s = back[i]![mask]!;
    if (s.cand) chosen.push(s.cand);
    mask = s.from;
  }
  return chosen;
}

/** Indices of `items` sorted by `key`: the canonical order that makes scoring independent of input order. */
function order<T>(items: readonly T[], key: (t: T) => (string | number)[]): number[] {
  const keys = items.map(key);
  const cmp = (a: (string | number)[], b: (string | number)[]): number => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return 0;
  };
  return items.map((_, i) => i).sort((i, j) => cmp(keys[i]!, keys[j]!));
}

/**
 * Scores one case. A mark's position is its region's centre (a point mark: the point; a box or ellipse mark: the centre
 * of its box), so a big box drawn over a finding does not hit unless its centre is within tolerance: marks say where, not
 * how much. A mark can hit only a finding on its own frame (SOP Instance UID + frame). Every mark that is not the
 * one matched to a finding is a false positive, including a second mark on a finding already hit (FROC counts it a
 * non-lesion localisation), so truePositives + falsePositives = marks and truePositives + misses = findings. A hit's
 * `distance` is to its finding; a false mark's to the nearest finding on its image (null when there is none).
 * localisationErrorMm is the mean distance from hit marks to their finding's regionCentre (mm; px on images without
 * spacing). `images` is how many images the trainee was shown (the NLF denominator).
 */
export function scoreCase(
  findings: Finding[], marks: Mark[], spacingOf: (sopInstanceUID: string) => Spacing | null, images: number,
): CaseScore {
  const fSpacing = findings.map((f) => spacingOf(f.image.sopInstanceUID));
  const fRegion = findings.map((f, j) => regionInMm(f.region, fSpacing[j]!));
  const fTolerance = findings.map((f, j) => toleranceOf(f, fSpacing[j]!));
  const mSpacing = marks.map((m) => spacingOf(m.image.sopInstanceUID));
  const mCentre = marks.map((m, i) => regionCentre(regionInMm(m.region, mSpacing[i]!)));
  const fOrder = order(findings, (f) => { const c = regionCentre(f.region); return [f.image.sopInstanceUID, f.image.frame, c.x, c.y, f.id]; });
  const mOrder = order(marks, (m) => {
    const c = regionCentre(m.region);
    return [m.image.sopInstanceUID, m.image.frame, c.x, c.y, m.confidence, m.label, m.region.kind, m.id];
  });
  const nearest: (number | null)[] = marks.map(() => null);
  const cands: Candidate[] = [];
  for (const i of mOrder) for (const j of fOrder) {
    const m = marks[i]!, f = findings[j]!;
    if (!sameImage(m.image, f.image)) continue;
    const distance = distanceToRegion(mCentre[i]!, fRegion[j]!);
    nearest[i] = Math.min(nearest[i] ?? Infinity, distance);
    if (distance > fTolerance[j]! + ROUNDING_MM) continue;
    const c = regionCentre(fRegion[j]!), centreDistance = Math.hypot(mCentre[i]!.x - c.x, mCentre[i]!.y - c.y);
    const gain = [1, m.confidence, -distance, sameLabel(m.label, f.label) ? 1 : 0, -centreDistance];
    cands.push({ mark: i, finding: j, distance, centreDistance, gain });
  }
  const hitOf = new Map<number, Candidate>(), byFinding = new Map<number, Candidate>();
  for (const c of groupsOf(cands).flatMap((g) => solveGroup(g, mOrder, fOrder))) { hitOf.set(c.mark, c); byFinding.set(c.finding, c); }

  const markOutcomes: MarkOutcome[] = marks.map((m, i) => {
    const hit = hitOf.get(i);
    return {
      markId: m.id, findingId: hit ? findings[hit.finding]!.id : null, distance: hit ? hit.distance : nearest[i]!,
      distanceUnit: mSpacing[i] ? 'mm' : 'px', labelCorrect: hit ? sameLabel(m.label, findings[hit.finding]!.label) : null,
    };
  });
  const findingOutcomes: FindingOutcome[] = findings.map((f, j) => {
    const hit = byFinding.get(j);
    return { findingId: f.id, markId: hit ? marks[hit.mark]!.id : null, rating: hit ? marks[hit.mark]!.confidence : 0 };
  });
  const hits = mOrder.flatMap((i) => hitOf.get(i) ?? []), tp = hits.length;
  const mean = (xs: number[]): number | null => (xs.length > 0 ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return {
    marks: markOutcomes,
    findings: findingOutcomes,
    truePositives: tp,
    falsePositives: marks.length - tp,
    misses: findings.length - tp,
    localisationErrorMm: mean(hits.map((c) => c.centreDistance)),
    labelAccuracy: mean(hits.map((c) => (sameLabel(marks[c.mark]!.label, findings[c.finding]!.label) ? 1 : 0))),
    froc: frocPoints(findingOutcomes.map((o) => o.rating), marks.filter((_, i) => !hitOf.has(i)).map((m) => m.confidence), images),
  };
}
