// Free-response statistics of practice: FROC points of one case and the session's AFROC figure of merit. Pure and
// thread-neutral; reads only CaseScore (scoring.ts makes it). The FOM is Chakraborty's empirical wAFROC (default, when
// the session has a normal case) or wAFROC1 (when it has none), as RJafroc's UtilFigureOfMerit recommends; plain
// AFROC/AFROC1 on request. Refs: Chakraborty & Berbaum, Med Phys 31:2313 (2004); Chakraborty & Zhai, Med Phys 43:2548 (2016).
import type { CaseScore } from './practiceModel';

/** Confidence thresholds of the FROC points, strictest first (confidence is 1…5). */
export const FROC_THRESHOLDS = [5, 4, 3, 2, 1] as const;

/**
 * FROC points of one case: at each threshold t, LLF = lesions rated ≥ t ÷ lesions (a lesion's rating is its hit mark's
 * confidence, 0 when missed) and NLF = non-lesion marks with confidence ≥ t ÷ images shown. A case without lesions has
 * LLF 0 (undefined really; sessionFom pools ratings, never per-case fractions); `images` below 1 counts as 1.
 */
export function frocPoints(lesionRatings: readonly number[], nonLesionRatings: readonly number[], images: number): CaseScore['froc'] {
  const atLeast = (xs: readonly number[], t: number): number => xs.filter((x) => x >= t).length;
  const perImage = Math.max(1, images);
  return FROC_THRESHOLDS.map((t) => ({
    threshold: t,
    llf: lesionRatings.length > 0 ? atLeast(lesionRatings, t) / lesionRatings.length : 0,
    nlf: atLeast(nonLesionRatings, t) / perImage,
  }));
}

/**
 * The highest non-lesion rating in a case (the AFROC "FP rating" of the case), 0 without non-lesion marks. Read back
 * from the FROC points: NLF at threshold t is > 0 exactly when some non-lesion mark has confidence ≥ t.
 */
export function highestNonLesionRating(score: CaseScore): number {
  let best = 0;
  for (const p of score.froc) if (p.nlf > 0 && p.threshold > best) best = p.threshold;
  return best;
}

/**
 * wAFROC: false-positive ratings from normal cases, each abnormal case weighs 1 (its lesions 1/L each).
 * wAFROC1: as wAFROC with false-positive ratings from every case (for sessions without normal cases).
 * AFROC / AFROC1: the same with every lesion weighing alike.
 */
export type FomVariant = 'wAFROC' | 'wAFROC1' | 'AFROC' | 'AFROC1';

/** RJafroc's advice: wAFROC when the session has a normal case (no findings), else wAFROC1. */
export function fomVariantFor(cases: readonly CaseScore[]): FomVariant {
  return cases.some((c) => c.findings.length === 0) ? 'wAFROC' : 'wAFROC1';
}

/**
 * The session figure of merit θ = (1/N_F) Σ_i Σ_(k,l) W_kl ψ(F_i, Y_kl): F_i the highest non-lesion rating of
 * false-positive case i (0 when it has none), Y_kl the rating of lesion l of abnormal case k (0 when missed),
 * ψ(F, Y) = 1 if Y > F, ½ if Y = F, else 0; W_kl = 1/(L_k·N_A) weighted, 1/N_L unweighted. So θ is the probability
 * that a lesion is rated above the most suspicious non-lesion mark of a case, ties halved — the area under the empirical
 * AFROC drawn with trapezoids through (0,0) and (1,1). Null when there are no lesions or no false-positive cases.
 */
export function sessionFom(cases: readonly CaseScore[], variant: FomVariant = fomVariantFor(cases)): number | null {
  const fpCases = variant === 'wAFROC' || variant === 'AFROC' ? cases.filter((c) => c.findings.length === 0) : cases;
  const fpRatings = fpCases.map(highestNonLesionRating);
  const abnormal = cases.filter((c) => c.findings.length > 0);
  const totalLesions = abnormal.reduce((n, c) => n + c.findings.length, 0);
  if (fpRatings.length === 0 || totalLesions === 0) return null;
  const weighted = variant === 'wAFROC' || variant === 'wAFROC1';
  let sum = 0;
  for (const c of abnormal) {
    const w = weighted ? 1 / (c.findings.length * abnormal.length) : 1 / totalLesions;
    for (const lesion of c.findings) {
      for (const f of fpRatings) sum += w * (lesion.rating > f ? 1 : lesion.rating === f ? 0.5 : 0);
    }
  }
  return sum / fpRatings.length;
}
