// Which case a trainee sees next: one FSRS card per case (ts-fsrs, rebuilt by replaying the stored attempts, so no
// card is stored), each case score mapped onto an FSRS grade, and a draw weighted by how due a case is and how weak
// the learner's profile is at its labels and difficulty; every candidate keeps a weight above zero (none starves).
// Pure apart from ts-fsrs (itself pure here: fuzz off); the random source is passed in. Thread-neutral.
import { createEmptyCard, fsrs, Rating, State, type Card, type Grade } from 'ts-fsrs';
import type { Case } from './model';
import type { Attempt, CaseScore } from './practiceModel';
import { findFacet, NO_DIFFICULTY, NO_FINDING, weaknessOf, type Profile } from './profile';

/** FSRS with its defaults (retention 0.9, learning steps 1 and 10 min, relearning 10 min) and no fuzz: deterministic. */
const FSRS = fsrs({ enable_fuzz: false });

/**
 * The grade of one answered case (the mapping of localisation outcomes onto FSRS ratings):
 * - a case with findings: any finding missed → Again (a miss is the error that matters, so the case comes back soon);
 *   all found but a false mark or a wrong label → Hard; all found, no false mark, every label right → Good, and
 *   Easy when every finding was marked with confidence 4 or 5 as well.
 * - a normal case (no findings): no false mark → Good; any false mark → Again (calling a normal case abnormal is
 *   its one way to be wrong).
 * Localisation error does not lower the grade: a mark counts as a hit only inside the finding's tolerance already.
 */
export function gradeOf(score: CaseScore): Grade {
  const findings = score.truePositives + score.misses;
  if (findings === 0) return score.falsePositives === 0 ? Rating.Good : Rating.Again;
  if (score.misses > 0) return Rating.Again;
  if (score.falsePositives > 0 || (score.labelAccuracy ?? 1) < 1) return Rating.Hard;
  return score.findings.every((f) => f.rating >= 4) ? Rating.Easy : Rating.Good;
}

export type CaseCards = ReadonlyMap<string, Card>;

/** The cards after one answer at `at` (ms since the epoch); `cards` is not changed. */
export function reviewCase(cards: CaseCards, caseId: string, score: CaseScore, at: number): Map<string, Card> {
  const card = cards.get(caseId) ?? createEmptyCard<Card>(new Date(at));
  const next = new Map(cards);
  next.set(caseId, FSRS.next(card, new Date(at), gradeOf(score)).card);
  return next;
}

/** Every case's card from a learner's attempts, replayed in submission order. */
export function cardsFrom(attempts: readonly Attempt[]): Map<string, Card> {
  let cards = new Map<string, Card>();
  const sorted = [...attempts].sort((a, b) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const a of sorted) cards = reviewCase(cards, a.caseId, a.score, a.submittedAt);
  return cards;
}

/** A case the trainee may be given, with what the profile knows about it (the facets an attempt at it will carry). */
export interface Candidate { caseId: string; facets: Attempt['facets'] }

/** A case's facets as an attempt stores them: first series' modality and description, its labels, its hardest finding. */
export function candidateOf(c: Case): Candidate {
  const difficulty = c.findings.reduce<Attempt['facets']['difficulty']>((m, f) => (m === null || f.difficulty > m ? f.difficulty : m), null);
  return {
    caseId: c.id,
    facets: { modality: c.series[0]?.modality ?? '', labels: [...new Set(c.findings.map((f) => f.label))], difficulty, anatomy: c.series[0]?.description ?? '' },
  };
}

/** Urgency by card: never seen, due (its due date has passed), or not due yet (kept above zero so it is not starved). */
export const URGENCY = { new: 1, due: 2, notDue: 0.1 } as const;
/** How much weakness multiplies a weight: × (1 + WEAKNESS_GAIN × weakness), weakness 0…1. */
export const WEAKNESS_GAIN = 3;

export interface Weighted {
  caseId: string;
  status: 'new' | 'due' | 'notDue';
  /** 0…1: the mean of the weakest of its labels' and its difficulty's weaknessOf in the profile. */
  weakness: number;
  weight: number;
  /** weight ÷ the sum over the candidates. */
  probability: number;
}

/** How weak the profile is at a candidate: the worst of its labels, averaged with its difficulty. */
export function weaknessAt(profile: Profile, facets: Attempt['facets']): number {
  const labels = facets.labels.length ? facets.labels : [NO_FINDING];
  const label = Math.max(...labels.map((l) => weaknessOf(findFacet(profile, 'label', l))));
  const difficulty = weaknessOf(findFacet(profile, 'difficulty', facets.difficulty === null ? NO_DIFFICULTY : String(facets.difficulty)));
  return (label + difficulty) / 2;
}

export interface NextCaseOptions {
  /** The case just answered: not given again straight away while another candidate exists. */
  last?: string;
}

/** Every candidate's weight and probability (what nextCase draws from; the UI may show why a case came up). */
export function weightsOf(candidates: readonly Candidate[], cards: CaseCards, profile: Profile, now: number, options: NextCaseOptions = {}): Weighted[] {
  const pool = candidates.length > 1 && options.last !== undefined ? candidates.filter((c) => c.caseId !== options.last) : candidates;
  const list = pool.map((c) => {
    const card = cards.get(c.caseId);
    const status: Weighted['status'] = !card || card.state === State.New ? 'new' : card.due.getTime() <= now ? 'due' : 'notDue';
    const weakness = weaknessAt(profile, c.facets);
    return { caseId: c.caseId, status, weakness, weight: URGENCY[status] * (1 + WEAKNESS_GAIN * weakness), probability: 0 };
  });
  const total = list.reduce((s, w) => s + w.weight, 0);
  for (const w of list) w.probability = w.weight / total;
  return list;
}

/**
 * Draws the next case: due and new cases first, weak labels and difficulties more often, nothing ever at zero.
 * `rand` returns a number in [0, 1) (Math.random, or a seeded generator in tests). Null without candidates.
 */
export function nextCase(
  candidates: readonly Candidate[], cards: CaseCards, profile: Profile, now: number, rand: () => number, options: NextCaseOptions = {},
): Weighted | null {
  const list = weightsOf(candidates, cards, profile, now, options);
  let r = rand();
  for (const w of list) {
    r -= w.probability;
    if (r < 0) return w;
  }
  return list[list.length - 1] ?? null;
}
