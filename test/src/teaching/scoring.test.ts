// Mark scoring: worked examples (the e2e scenarios, anisotropic pixels, ellipse/polygon distances, the assignment, labels,
// tolerances) and fast-check properties: a mark at a finding's centre hits, beyond tolerance misses, distances are ≥ 0
// and 0 inside, counts add up, and scores do not depend on mark order, ids, or the pixel grid (only pixels × spacing).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Spacing } from '../../../src/shared/measure';
import type { Finding, ImageRef, Point, Region } from '../../../src/teaching/model';
import { regionCentre, type CaseScore, type Mark } from '../../../src/teaching/practiceModel';
import { defaultToleranceMm, distanceToRegion, regionInMm, scoreCase, toleranceOf } from '../../../src/teaching/scoring';

const img = (sop = 'i1', frame = 0): ImageRef => ({ studyInstanceUID: 'st', seriesInstanceUID: 'se', sopInstanceUID: sop, frame });
const finding = (id: string, region: Region, more: Partial<Finding> = {}): Finding =>
  ({ id, image: img(), region, label: 'nodule', difficulty: 3, explanation: '', toleranceMm: null, ...more });
const mark = (id: string, p: Point, more: Partial<Mark> = {}): Mark =>
  ({ id, image: img(), region: { kind: 'point', point: p }, label: 'nodule', confidence: 3, ...more });
const boxR = (x0: number, y0: number, x1: number, y1: number): Region => ({ kind: 'box', corners: [{ x: x0, y: y0 }, { x: x1, y: y1 }] });
const spacing = (s: Spacing | null) => (): Spacing | null => s;
const iso1 = spacing({ row: 1, column: 1 });

describe('scoreCase: the three end-to-end scenarios', () => {
  const key = [finding('f1', boxR(100, 100, 120, 120))];
  it('one hit: a mark on the finding', () => {
    const s = scoreCase(key, [mark('m1', { x: 110, y: 110 }, { confidence: 4 })], iso1, 1);
    expect(s).toMatchObject({ truePositives: 1, falsePositives: 0, misses: 0, labelAccuracy: 1, localisationErrorMm: 0 });
    expect(s.marks[0]).toEqual({ markId: 'm1', findingId: 'f1', distance: 0, distanceUnit: 'mm', labelCorrect: true });
    expect(s.findings[0]).toEqual({ findingId: 'f1', markId: 'm1', rating: 4 });
  });
  it('one miss: no mark', () => {
    const s = scoreCase(key, [], iso1, 1);
    expect(s).toMatchObject({ truePositives: 0, falsePositives: 0, misses: 1, labelAccuracy: null, localisationErrorMm: null });
    expect(s.findings[0]).toEqual({ findingId: 'f1', markId: null, rating: 0 });
  });
  it('one false mark: far from the finding', () => {
    const s = scoreCase(key, [mark('m1', { x: 300, y: 110 }, { confidence: 2 })], iso1, 1);
    expect(s).toMatchObject({ truePositives: 0, falsePositives: 1, misses: 1 });
    expect(s.marks[0]).toEqual({ markId: 'm1', findingId: null, distance: 180, distanceUnit: 'mm', labelCorrect: null });
    expect(s.froc.find((p) => p.threshold === 2)).toEqual({ threshold: 2, llf: 0, nlf: 1 });
  });
  it('all three in one case: two findings, one hit, one missed, one false mark', () => {
    const s = scoreCase([...key, finding('f2', { kind: 'point', point: { x: 400, y: 400 } })],
      [mark('hit', { x: 105, y: 118 }), mark('false', { x: 10, y: 10 })], iso1, 2);
    expect(s).toMatchObject({ truePositives: 1, falsePositives: 1, misses: 1 });
    expect(s.froc.find((p) => p.threshold === 3)).toEqual({ threshold: 3, llf: 0.5, nlf: 0.5 });
  });
});

describe('scoreCase: millimetres', () => {
  // 10 × 10 px box; rows 2 mm apart, columns 0.5 mm: 5 mm wide, 20 mm tall. Tolerance 4 mm.
  const key = [finding('f', boxR(100, 100, 110, 110), { toleranceMm: 4 })];
  const aniso = spacing({ row: 2, column: 0.5 });
  it('uses column spacing along x and row spacing along y', () => {
    const hitX = scoreCase(key, [mark('m', { x: 117, y: 105 })], aniso, 1); // 7 px = 3.5 mm right: hit (7 px would miss)
    expect(hitX.marks[0]).toMatchObject({ findingId: 'f', distance: 3.5, distanceUnit: 'mm' });
    expect(hitX.localisationErrorMm).toBeCloseTo(Math.hypot(12 * 0.5, 0), 12);
    const missY = scoreCase(key, [mark('m', { x: 105, y: 112.5 })], aniso, 1); // 2.5 px = 5 mm below: miss
    expect(missY.marks[0]).toMatchObject({ findingId: null, distance: 5 });
    expect(scoreCase(key, [mark('m', { x: 105, y: 111.5 })], aniso, 1).truePositives).toBe(1); // 3 mm below
  });
  it('without Pixel Spacing scores in pixels (1 mm = 1 px) and says so', () => {
    const s = scoreCase(key, [mark('m', { x: 113, y: 105 }), mark('n', { x: 115, y: 105 })], spacing(null), 1);
    expect(s.marks.map((m) => [m.findingId, m.distance, m.distanceUnit])).toEqual([['f', 3, 'px'], [null, 5, 'px']]);
  });
  it('only marks on the finding\'s own frame can hit it', () => {
    const other = [mark('a', { x: 105, y: 105 }, { image: img('i2') }), mark('b', { x: 105, y: 105 }, { image: img('i1', 1) })];
    const s = scoreCase(key, other, iso1, 3);
    expect(s).toMatchObject({ truePositives: 0, falsePositives: 2, misses: 1 });
    expect(s.marks.map((m) => m.distance)).toEqual([null, null]);
  });
  it('a box or ellipse mark counts at its centre: covering the finding is not enough', () => {
    const huge: Mark = { ...mark('m', { x: 0, y: 0 }), region: { kind: 'box', corners: [{ x: 0, y: 0 }, { x: 500, y: 500 }] } };
    expect(scoreCase(key, [huge], iso1, 1).truePositives).toBe(0);
    const onIt: Mark = { ...mark('m', { x: 0, y: 0 }), region: { kind: 'ellipse', corners: [{ x: 95, y: 95 }, { x: 115, y: 115 }] } };
    expect(scoreCase(key, [onIt], iso1, 1).truePositives).toBe(1);
  });
});

describe('distanceToRegion', () => {
  const ellipse: Region = { kind: 'ellipse', corners: [{ x: -10, y: -5 }, { x: 10, y: 5 }] };
  const sampled = (p: Point, r: Extract<Region, { kind: 'ellipse' }>, n = 20000): number => {
    const [a, b] = r.corners, cx = (a.x + b.x) / 2, cy = (a.y + b.y) / 2, rx = Math.abs(b.x - a.x) / 2, ry = Math.abs(b.y - a.y) / 2;
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n;
      best = Math.min(best, Math.hypot(p.x - cx - rx * Math.cos(t), p.y - cy - ry * Math.sin(t)));
    }
    return best;
  };
  it('ellipse: exact on the axes, not 0 at the corner of its box, matches dense sampling elsewhere', () => {
    expect(distanceToRegion({ x: 15, y: 0 }, ellipse)).toBeCloseTo(5, 12);
    expect(distanceToRegion({ x: 0, y: -8 }, ellipse)).toBeCloseTo(3, 12);
    expect(distanceToRegion({ x: 3, y: 2 }, ellipse)).toBe(0);
    const corner = distanceToRegion({ x: 10, y: 5 }, ellipse);
    expect(corner).toBeGreaterThan(2);
    expect(corner).toBeCloseTo(sampled({ x: 10, y: 5 }, ellipse as Extract<Region, { kind: 'ellipse' }>), 5);
  });
  it('ellipse distance equals the sampled minimum within the sampling step (property)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.5, max: 50, noNaN: true }), fc.double({ min: 0.5, max: 50, noNaN: true }),
      fc.double({ min: -150, max: 150, noNaN: true }), fc.double({ min: -150, max: 150, noNaN: true }),
      (rx, ry, x, y) => {
        const r = { kind: 'ellipse' as const, corners: [{ x: -rx, y: -ry }, { x: rx, y: ry }] as [Point, Point] };
        const d = distanceToRegion({ x, y }, r), s = sampled({ x, y }, r);
        if ((x / rx) ** 2 + (y / ry) ** 2 <= 1) return d === 0;
        return d <= s + 1e-9 && s - d <= (Math.PI * Math.max(rx, ry)) / 20000 + 1e-9; // half the widest sampling step
      }), { numRuns: 200 });
  });
  it('freehand: 0 inside by the even-odd rule, the nearest edge outside (a concave notch is outside)', () => {
    const ell: Region = { kind: 'freehand', points: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 4 }, { x: 4, y: 4 }, { x: 4, y: 10 }, { x: 0, y: 10 }] };
    expect(distanceToRegion({ x: 2, y: 8 }, ell)).toBe(0);
    expect(distanceToRegion({ x: 8, y: 8 }, ell)).toBeCloseTo(4, 12); // in the notch: 4 to either inner edge
    expect(distanceToRegion({ x: 13, y: -4 }, ell)).toBeCloseTo(5, 12);
  });
  it('box and point', () => {
    expect(distanceToRegion({ x: 13, y: 14 }, boxR(0, 0, 10, 10))).toBeCloseTo(5, 12);
    expect(distanceToRegion({ x: 5, y: 14 }, boxR(10, 10, 0, 0))).toBe(4); // corners in any order
    expect(distanceToRegion({ x: 3, y: 4 }, { kind: 'point', point: { x: 0, y: 0 } })).toBe(5);
  });
});

describe('tolerance and matching rules', () => {
  it('defaultToleranceMm: 5 mm for a point, ¼ of the equivalent diameter clamped to 2…10 mm', () => {
    expect(defaultToleranceMm({ kind: 'point', point: { x: 1, y: 1 } }, null)).toBe(5);
    expect(defaultToleranceMm({ kind: 'ellipse', corners: [{ x: 0, y: 0 }, { x: 40, y: 40 }] }, { row: 0.5, column: 0.5 })).toBeCloseTo(5, 12);
    expect(defaultToleranceMm(boxR(0, 0, 4, 4), { row: 1, column: 1 })).toBe(2);
    expect(defaultToleranceMm(boxR(0, 0, 400, 400), { row: 1, column: 1 })).toBe(10);
    expect(toleranceOf(finding('f', boxR(0, 0, 4, 4), { toleranceMm: -3 }), null)).toBe(0);
  });
  it('a tolerance of 0 hits only inside the region', () => {
    const key = [finding('f', boxR(0, 0, 10, 10), { toleranceMm: 0 })];
    expect(scoreCase(key, [mark('m', { x: 10, y: 5 })], iso1, 1).truePositives).toBe(1);
    expect(scoreCase(key, [mark('m', { x: 10.01, y: 5 })], iso1, 1).truePositives).toBe(0);
  });
  it('a second mark on a hit finding is a false positive; the most confident mark is the hit (FROC)', () => {
    const s = scoreCase([finding('f', boxR(0, 0, 10, 10))],
      [mark('close', { x: 5, y: 5 }, { confidence: 2 }), mark('sure', { x: 9, y: 9 }, { confidence: 5 })], iso1, 1);
    expect(s).toMatchObject({ truePositives: 1, falsePositives: 1, findings: [{ markId: 'sure', rating: 5 }] });
    expect(s.marks[0]).toMatchObject({ findingId: null, distance: 0 });
  });
  it('the assignment maximises hits where nearest-first would not', () => {
    // m1 is nearest to f1 but also within reach of f2; m2 reaches only f1. Greedy by distance would miss f2.
    const key = [finding('f1', { kind: 'point', point: { x: 0, y: 0 } }), finding('f2', { kind: 'point', point: { x: 8, y: 0 } })];
    const s = scoreCase(key, [mark('m1', { x: 3.9, y: 0 }), mark('m2', { x: -4, y: 0 })], iso1, 1);
    expect(s.truePositives).toBe(2);
    expect(s.findings.map((f) => f.markId)).toEqual(['m2', 'm1']);
  });
  it('more than 12 findings competing for the same marks fall back to greedy matching, still one-to-one', () => {
    const key = Array.from({ length: 14 }, (_, i) => finding(`f${i}`, { kind: 'point', point: { x: 100 + i * 0.1, y: 100 } }));
    const s = scoreCase(key, key.map((_, i) => mark(`m${i}`, { x: 100 + i * 0.1, y: 100.5 })), iso1, 1);
    expect(s).toMatchObject({ truePositives: 14, falsePositives: 0, misses: 0 });
    expect(new Set(s.findings.map((f) => f.markId)).size).toBe(14);
  });
  it('labels are scored apart from localisation: case and spacing do not matter, wrong labels still hit', () => {
    const key = [finding('f1', boxR(0, 0, 10, 10), { label: 'Ground-glass  opacity' }), finding('f2', boxR(50, 50, 60, 60))];
    const s = scoreCase(key, [mark('a', { x: 5, y: 5 }, { label: ' ground-glass opacity ' }), mark('b', { x: 55, y: 58 }, { label: 'mass' })], iso1, 1);
    expect(s.marks.map((m) => m.labelCorrect)).toEqual([true, false]);
    expect(s).toMatchObject({ truePositives: 2, labelAccuracy: 0.5, localisationErrorMm: 1.5 });
  });
});

// ---- properties ----
// Sub-pixel coordinates on a 1/64 px grid (no subnormal doubles, so scaling by 2ⁿ below is exact).
const sub = (min: number, max: number) => fc.integer({ min: min * 64, max: max * 64 }).map((n) => n / 64);
const coord = sub(0, 512), half = sub(0.5, 60);
const spacingArb = fc.record({ row: fc.double({ min: 0.3, max: 3, noNaN: true }), column: fc.double({ min: 0.3, max: 3, noNaN: true }) });
const regionArb: fc.Arbitrary<Region> = fc.oneof(
  fc.record({ x: coord, y: coord }).map((point): Region => ({ kind: 'point', point })),
  fc.tuple(coord, coord, half, half, fc.constantFrom('box' as const, 'ellipse' as const))
    .map(([x, y, hx, hy, kind]): Region => ({ kind, corners: [{ x: x - hx, y: y - hy }, { x: x + hx, y: y + hy }] })),
  // A convex polygon: vertices on an ellipse at sorted angles.
  fc.tuple(coord, coord, half, half, fc.uniqueArray(fc.integer({ min: 0, max: 359 }), { minLength: 3, maxLength: 12 }))
    .map(([x, y, hx, hy, deg]): Region => ({ kind: 'freehand', points: [...deg].sort((a, b) => a - b)
      .map((d) => ({ x: x + hx * Math.cos((d * Math.PI) / 180), y: y + hy * Math.sin((d * Math.PI) / 180) })) })),
);
const toleranceArb = fc.option(fc.double({ min: 0, max: 20, noNaN: true }), { nil: null });
const confidenceArb = fc.constantFrom(1, 2, 3, 4, 5) as fc.Arbitrary<Mark['confidence']>;

describe('properties', () => {
  it('a mark at a finding\'s centre always hits (any shape, anisotropic spacing, any tolerance)', () => {
    fc.assert(fc.property(regionArb, spacingArb, toleranceArb, confidenceArb, (region, sp, tol, confidence) => {
      const s = scoreCase([finding('f', region, { toleranceMm: tol })], [mark('m', regionCentre(region), { confidence })], spacing(sp), 1);
      return s.truePositives === 1 && s.findings[0]!.rating === confidence;
    }));
  });

  it('a mark at every finding\'s centre hits them all, even where regions overlap', () => {
    fc.assert(fc.property(fc.array(regionArb, { minLength: 1, maxLength: 6 }), spacingArb, (regions, sp) => {
      const s = scoreCase(regions.map((r, i) => finding(`f${i}`, r)), regions.map((r, i) => mark(`m${i}`, regionCentre(r))), spacing(sp), 1);
      return s.truePositives === regions.length && s.falsePositives === 0;
    }));
  });

  it('a mark moved outward past the tolerance (+ margin) misses, and stays missed further out', () => {
    fc.assert(fc.property(regionArb, spacingArb, toleranceArb, fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
      fc.double({ min: 0.01, max: 30, noNaN: true }), (region, sp, tol, angle, margin) => {
        const f = finding('f', region, { toleranceMm: tol }), t = toleranceOf(f, sp);
        const mm = regionInMm(region, sp), c = regionCentre(mm);
        const pts = mm.kind === 'point' ? [mm.point] : mm.kind === 'freehand' ? mm.points : mm.corners;
        const reach = Math.max(...pts.map((p) => Math.hypot(p.x - c.x, p.y - c.y))); // region ⊂ disc(c, reach)
        return [1, 1.5, 3].every((k) => {
          const r = (reach + t + margin) * k; // distance to the region ≥ r − reach > t, by the triangle inequality
          const at = { x: (c.x + r * Math.cos(angle)) / sp.column, y: (c.y + r * Math.sin(angle)) / sp.row };
          const s = scoreCase([f], [mark('m', at)], spacing(sp), 1);
          return s.truePositives === 0 && s.marks[0]!.distance! >= t + margin - 1e-9;
        });
      }));
  });

  it('distance is ≥ 0, 0 inside, and non-decreasing along a ray out of a convex region', () => {
    fc.assert(fc.property(regionArb, fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (region, angle) => {
      const c = regionCentre(region);
      let last = -Infinity;
      for (let r = 0; r <= 200; r += 2.5) {
        const d = distanceToRegion({ x: c.x + r * Math.cos(angle), y: c.y + r * Math.sin(angle) }, region);
        if (d < 0 || d < last - 1e-9) return false;
        last = d;
      }
      return region.kind === 'point' || distanceToRegion(c, region) < 1e-9;
    }));
  });
});

// Scenes with conflicts: findings on two frames, marks near findings (jittered) or anywhere, some frames without spacing.
const sceneArb = fc.record({
  findings: fc.array(fc.tuple(regionArb, fc.boolean(), toleranceArb, fc.constantFrom('nodule', 'mass')), { maxLength: 6 }),
  marks: fc.array(fc.tuple(fc.nat(5), sub(-15, 15), sub(-15, 15),
    fc.boolean(), confidenceArb, fc.constantFrom('nodule', 'Mass'), fc.boolean()), { maxLength: 8 }),
  spacing: fc.tuple(fc.option(spacingArb, { nil: null }), fc.option(spacingArb, { nil: null })),
}).map((s) => {
  const findings = s.findings.map(([region, second, toleranceMm, label], i) => finding(`f${i}`, region, { image: img(second ? 'i2' : 'i1'), toleranceMm, label }));
  const marks = s.marks.map(([k, dx, dy, near, confidence, label, second], i) => {
    const f = findings[k % Math.max(1, findings.length)], c = f && near ? regionCentre(f.region) : { x: 256, y: 256 };
    return mark(`m${i}`, { x: c.x + dx, y: c.y + dy }, { confidence, label, image: f && near ? f.image : img(second ? 'i2' : 'i1') });
  });
  const sp = (sop: string): Spacing | null => (sop === 'i1' ? s.spacing[0] : s.spacing[1]);
  return { findings, marks, sp };
});
/** The score without ids: what a relabelling must leave alone. */
const withoutIds = (s: CaseScore) => ({ ...s, marks: s.marks.map((m) => ({ ...m, markId: 0, findingId: m.findingId !== null })),
  findings: s.findings.map((f) => ({ ...f, findingId: 0, markId: f.markId !== null })) });

describe('invariances and bookkeeping (random scenes)', () => {
  it('counts add up, a hit is on its own frame within tolerance, each finding and mark used once', () => {
    fc.assert(fc.property(sceneArb, ({ findings, marks, sp }) => {
      const s = scoreCase(findings, marks, sp, 2);
      const hits = s.marks.filter((m) => m.findingId !== null);
      expect(s.truePositives + s.misses).toBe(findings.length);
      expect(s.truePositives + s.falsePositives).toBe(marks.length);
      expect(hits.length).toBe(s.truePositives);
      expect(new Set(hits.map((m) => m.findingId)).size).toBe(hits.length);
      for (const h of hits) {
        const f = findings.find((x) => x.id === h.findingId)!, m = marks.find((x) => x.id === h.markId)!;
        expect(f.image).toEqual(m.image);
        expect(h.distance!).toBeLessThanOrEqual(toleranceOf(f, sp(f.image.sopInstanceUID)) + 1e-9);
        expect(s.findings.find((x) => x.findingId === f.id)).toEqual({ findingId: f.id, markId: m.id, rating: m.confidence });
      }
      for (const m of s.marks) expect(m.distance === null || m.distance >= 0).toBe(true);
    }));
  });

  it('does not depend on the order of marks or findings', () => {
    fc.assert(fc.property(sceneArb, fc.nat(), ({ findings, marks, sp }, seed) => {
      const shuffle = <T>(xs: T[]): T[] => xs.map((x, i) => [x, (i * 7919 + seed) % 104729] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
      const a = scoreCase(findings, marks, sp, 2), b = scoreCase(shuffle(findings), shuffle(marks), sp, 2);
      const byId = <T extends { markId?: string | null; findingId?: string | null }>(xs: T[], k: keyof T) => [...xs].sort((p, q) => String(p[k]).localeCompare(String(q[k])));
      expect(byId(b.marks, 'markId')).toEqual(byId(a.marks, 'markId'));
      expect(byId(b.findings, 'findingId')).toEqual(byId(a.findings, 'findingId'));
      expect({ ...b, marks: 0, findings: 0 }).toEqual({ ...a, marks: 0, findings: 0 });
    }));
  });

  it('does not depend on ids (they only break ties between identical marks or findings, excluded here)', () => {
    fc.assert(fc.property(sceneArb, ({ findings, marks, sp }) => {
      const fKey = (f: Finding) => JSON.stringify([f.image, regionCentre(f.region)]);
      const mKey = (m: Mark) => JSON.stringify([m.image, regionCentre(m.region), m.confidence, m.label, m.region.kind]);
      fc.pre(new Set(findings.map(fKey)).size === findings.length && new Set(marks.map(mKey)).size === marks.length);
      const a = scoreCase(findings, marks, sp, 2);
      // Reversed order of ids: f0 → id-9, f1 → id-8, …
      const b = scoreCase(findings.map((f, i) => ({ ...f, id: `id-${9 - i}` })), marks.map((m, i) => ({ ...m, id: `mk-${9 - i}` })), sp, 2);
      expect(withoutIds(b)).toEqual(withoutIds(a));
    }));
  });

  it('depends only on pixels × spacing: the grid scaled by k and the spacing by 1/k score the same (exact for k = 2ⁿ)', () => {
    fc.assert(fc.property(sceneArb, fc.constantFrom(0.25, 0.5, 2, 4, 8), ({ findings, marks, sp }, k) => {
      const scale = (r: Region): Region => regionInMm(r, { row: k, column: k });
      const scaledSp = (sop: string): Spacing | null => { const s = sp(sop); return s ? { row: s.row / k, column: s.column / k } : null; };
      // Without spacing distances are in pixels, so only the images with spacing must keep their numbers.
      const f2 = findings.map((f) => ({ ...f, region: scale(f.region) }));
      const m2 = marks.map((m) => ({ ...m, region: scale(m.region) as Mark['region'] }));
      const allMm = findings.every((f) => sp(f.image.sopInstanceUID)) && marks.every((m) => sp(m.image.sopInstanceUID));
      if (allMm) expect(scoreCase(f2, m2, scaledSp, 2)).toEqual(scoreCase(findings, marks, sp, 2));
    }));
  });
});
