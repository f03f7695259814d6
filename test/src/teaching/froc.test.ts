// FROC points and the session figure of merit: a hand-worked four-case example for every variant, perfect and random
// readers through scoreCase, and the property that θ equals the trapezoidal area under the empirical (w)AFROC curve.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FROC_THRESHOLDS, fomVariantFor, frocPoints, highestNonLesionRating, sessionFom, type FomVariant } from '../../../src/teaching/froc';
import type { Finding, ImageRef } from '../../../src/teaching/model';
import type { CaseScore, Confidence, Mark } from '../../../src/teaching/practiceModel';
import { scoreCase } from '../../../src/teaching/scoring';

/** A CaseScore with only what the FOM reads: lesion ratings (0 = missed) and non-lesion mark ratings. */
function caseOf(lesions: number[], nonLesions: number[], images = 1): CaseScore {
  return {
    marks: [], findings: lesions.map((rating, i) => ({ findingId: `f${i}`, markId: rating > 0 ? `m${i}` : null, rating })),
    truePositives: 0, falsePositives: 0, misses: 0, localisationErrorMm: null, labelAccuracy: null,
    froc: frocPoints(lesions, nonLesions, images),
  };
}

describe('frocPoints', () => {
  it('LLF per lesion and NLF per image at thresholds 5…1', () => {
    expect(frocPoints([4, 0, 2], [5, 1, 1], 2)).toEqual([
      { threshold: 5, llf: 0, nlf: 0.5 }, { threshold: 4, llf: 1 / 3, nlf: 0.5 }, { threshold: 3, llf: 1 / 3, nlf: 0.5 },
      { threshold: 2, llf: 2 / 3, nlf: 0.5 }, { threshold: 1, llf: 2 / 3, nlf: 1.5 },
    ]);
    expect(frocPoints([], [], 0).every((p) => p.llf === 0 && p.nlf === 0)).toBe(true);
    expect(FROC_THRESHOLDS).toEqual([5, 4, 3, 2, 1]);
  });
  it('highestNonLesionRating reads the highest non-lesion confidence back (0 without)', () => {
    expect(highestNonLesionRating(caseOf([5], [2, 3, 1], 4))).toBe(3);
    expect(highestNonLesionRating(caseOf([5], []))).toBe(0);
  });
});

describe('sessionFom', () => {
  // Normal cases N1 (highest NL 3) and N2 (no marks); abnormal A (lesion rated 4, one NL rated 2) and B (lesions 3, missed).
  const session = [caseOf([], [3, 1]), caseOf([], []), caseOf([4], [2]), caseOf([3, 0], [])];
  it('matches the hand-worked example for each variant', () => {
    // wAFROC, F = [3, 0]; weights A 1/2, B 1/4 each.  F=3: ½·1 + ¼·½ + ¼·0 = .625;  F=0: ½ + ¼ + ¼·½ = .875 → .75
    expect(sessionFom(session, 'wAFROC')).toBeCloseTo(0.75, 12);
    // AFROC, weights 1/3.  F=3: (1 + ½ + 0)/3;  F=0: (1 + 1 + ½)/3 → 2/3
    expect(sessionFom(session, 'AFROC')).toBeCloseTo(2 / 3, 12);
    // wAFROC1, F = [3, 0, 2, 0]: .625, .875, (½ + ¼ + 0) = .75, .875 → 3.125/4
    expect(sessionFom(session, 'wAFROC1')).toBeCloseTo(0.78125, 12);
    // AFROC1: 1.5/3, 2.5/3, 2/3, 2.5/3 → 8.5/12
    expect(sessionFom(session, 'AFROC1')).toBeCloseTo(8.5 / 12, 12);
    expect(sessionFom(session)).toBe(sessionFom(session, 'wAFROC'));
  });
  it('chooses wAFROC with a normal case, wAFROC1 without (RJafroc\'s advice); null when undefined', () => {
    expect(fomVariantFor(session)).toBe('wAFROC');
    expect(fomVariantFor(session.slice(2))).toBe('wAFROC1');
    expect(sessionFom(session.slice(0, 2))).toBeNull(); // no lesions
    expect(sessionFom(session.slice(2), 'wAFROC')).toBeNull(); // no normal case to take false positives from
    expect(sessionFom([])).toBeNull();
  });
  it('does not depend on the order of cases', () => {
    expect(sessionFom([...session].reverse(), 'AFROC1')).toBeCloseTo(sessionFom(session, 'AFROC1')!, 12);
  });

  // Whole sessions through scoreCase: lesions as boxes, marks at their centres or far away.
  const img: ImageRef = { studyInstanceUID: 's', seriesInstanceUID: 'se', sopInstanceUID: 'i', frame: 0 };
  const lesion = (i: number): Finding => ({
    id: `f${i}`, image: img, region: { kind: 'box', corners: [{ x: 100 * i, y: 0 }, { x: 100 * i + 20, y: 20 }] },
    label: 'nodule', difficulty: 2, explanation: '', toleranceMm: null,
  });
  const markAt = (id: string, x: number, confidence: Confidence): Mark =>
    ({ id, image: img, region: { kind: 'point', point: { x, y: 10 } }, label: 'nodule', confidence });
  const rng = (seed: number) => () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const spacing = () => ({ row: 0.7, column: 0.7 });

  it('is 1 for a perfect reader: every lesion marked above every false mark', () => {
    const cases = [
      scoreCase([lesion(0), lesion(1)], [markAt('a', 10, 3), markAt('b', 110, 2), markAt('fp', 900, 1)], spacing, 1),
      scoreCase([], [markAt('fp', 900, 1)], spacing, 1),
      scoreCase([], [], spacing, 1),
    ];
    for (const v of ['wAFROC', 'wAFROC1', 'AFROC', 'AFROC1'] as FomVariant[]) expect(sessionFom(cases, v)).toBe(1);
    expect(sessionFom([scoreCase([lesion(0)], [], spacing, 1), scoreCase([], [markAt('fp', 900, 1)], spacing, 1)])).toBe(0);
  });

  it('is about ½ for a reader whose ratings do not separate lesions from false marks', () => {
    const next = rng(7), conf = (): Confidence => (1 + Math.floor(next() * 5)) as Confidence;
    const cases: CaseScore[] = [];
    for (let k = 0; k < 600; k++) {
      const n = k % 3; // a third normal
      const findings = Array.from({ length: n }, (_, i) => lesion(i));
      const marks = [...findings.map((_, i) => markAt(`m${i}`, 100 * i + 10, conf())), markAt('fp', 900, conf())];
      cases.push(scoreCase(findings, marks, spacing, 1));
    }
    for (const v of ['wAFROC', 'wAFROC1', 'AFROC', 'AFROC1'] as FomVariant[]) expect(Math.abs(sessionFom(cases, v)! - 0.5)).toBeLessThan(0.04);
  });

  it('equals the trapezoidal area under the empirical (w)AFROC through (0,0) and (1,1) (property)', () => {
    const rating = fc.integer({ min: 0, max: 5 }), nl = fc.integer({ min: 1, max: 5 });
    const caseArb = fc.tuple(fc.array(rating, { maxLength: 4 }), fc.array(nl, { maxLength: 3 })).map(([l, n]) => caseOf(l, n));
    fc.assert(fc.property(fc.array(caseArb, { minLength: 1, maxLength: 12 }), fc.constantFrom<FomVariant>('wAFROC', 'wAFROC1', 'AFROC', 'AFROC1'), (cases, v) => {
      const fp = (v === 'wAFROC' || v === 'AFROC' ? cases.filter((c) => c.findings.length === 0) : cases).map(highestNonLesionRating);
      const abnormal = cases.filter((c) => c.findings.length > 0), total = abnormal.reduce((n, c) => n + c.findings.length, 0);
      const theta = sessionFom(cases, v);
      if (fp.length === 0 || total === 0) return theta === null;
      const weighted = v.startsWith('w');
      const llf = (t: number) => abnormal.reduce((s, c) => s + c.findings.filter((f) => f.rating >= t).length
        / (weighted ? c.findings.length * abnormal.length : total), 0);
      const fpf = (t: number) => fp.filter((f) => f >= t).length / fp.length;
      const pts = [[0, 0], ...FROC_THRESHOLDS.map((t) => [fpf(t), llf(t)]), [1, 1]] as [number, number][];
      let area = 0;
      for (let i = 1; i < pts.length; i++) area += (pts[i]![0] - pts[i - 1]![0]) * (pts[i]![1] + pts[i - 1]![1]) / 2;
      return Math.abs(area - theta!) < 1e-12;
    }));
  });
});
