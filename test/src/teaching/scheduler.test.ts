// The scheduler: the grade mapping, cards replayed from attempts, weights (due, new, weak, never zero), and a
// simulated learner who always misses small low-contrast nodules: those must come up far more often than their share
// of the pool, and every case must still come up.
import { makeRandom } from '../../../src/dicom/synthetic/random';
import { describe, expect, it } from 'vitest';
import { Rating, State } from 'ts-fsrs';
import { emptyCase, type Difficulty } from '../../../src/teaching/model';
import type { Attempt } from '../../../src/teaching/practiceModel';
import { profileOf } from '../../../src/teaching/profile';
import {
  URGENCY, WEAKNESS_GAIN, candidateOf, cardsFrom, gradeOf, nextCase, reviewCase, weightsOf, type Candidate, type CaseCards,
} from '../../../src/teaching/scheduler';
import { DAY, T0, attempt } from '../../fixtures/attempts';

const MIN = 60_000;

describe('gradeOf', () => {
  const grade = (spec: Parameters<typeof attempt>[0]) => gradeOf(attempt(spec).score);
  it('maps localisation outcomes onto FSRS grades', () => {
    expect(grade({ id: 'miss', hits: 2, misses: 1 })).toBe(Rating.Again);
    expect(grade({ id: 'all-missed', hits: 0, misses: 1 })).toBe(Rating.Again);
    expect(grade({ id: 'false', hits: 1, falseMarks: 1 })).toBe(Rating.Hard);
    expect(grade({ id: 'label', hits: 2, labelAccuracy: 0.5 })).toBe(Rating.Hard);
    expect(grade({ id: 'clean', hits: 2, confidence: 3 })).toBe(Rating.Good);
    expect(grade({ id: 'sure', hits: 2, confidence: 4 })).toBe(Rating.Easy);
    expect(grade({ id: 'normal-ok', hits: 0, misses: 0 })).toBe(Rating.Good);
    expect(grade({ id: 'normal-overcalled', hits: 0, misses: 0, falseMarks: 1 })).toBe(Rating.Again);
  });
});

describe('cards', () => {
  it('one card per case, replayed in submission order whatever order the attempts come in', () => {
    const attempts = [
      attempt({ id: 'x2', caseId: 'c1', hits: 0, misses: 1, at: T0 + 20 * MIN }),
      attempt({ id: 'x1', caseId: 'c1', hits: 1, at: T0 }),
      attempt({ id: 'x3', caseId: 'c2', hits: 1, at: T0 + 5 * MIN }),
    ];
    const cards = cardsFrom(attempts);
    expect([...cards.keys()].sort()).toEqual(['c1', 'c2']);
    const c1 = cards.get('c1')!;
    expect(c1.reps).toBe(2);
    expect(c1.lapses + (c1.state === State.Learning ? 1 : 0)).toBeGreaterThanOrEqual(1); // the miss came last
    let byHand: CaseCards = new Map();
    for (const a of [attempts[1]!, attempts[2]!, attempts[0]!]) byHand = reviewCase(byHand, a.caseId, a.score, a.submittedAt);
    expect(cards).toEqual(byHand);
  });

  it('reviewCase leaves the given cards unchanged', () => {
    const before = new Map();
    const after = reviewCase(before, 'c', attempt({ id: 'a' }).score, T0);
    expect(before.size).toBe(0);
    expect(after.get('c')?.due.getTime()).toBe(T0 + 10 * MIN); // Good on a new card: the 10-minute learning step
  });
});

describe('weights', () => {
  const cand = (caseId: string, labels: string[], difficulty: Difficulty | null): Candidate =>
    ({ caseId, facets: { modality: 'CT', labels, difficulty, anatomy: 'chest' } });
  const pool = [cand('new', ['mass'], 1), cand('due', ['nodule'], 5), cand('later', ['mass'], 1)];
  const history = [
    attempt({ id: 'd', caseId: 'due', labels: ['nodule'], difficulty: 5, hits: 0, misses: 1, at: T0 }),
    attempt({ id: 'l', caseId: 'later', labels: ['mass'], difficulty: 1, hits: 1, at: T0 }),
  ];
  const cards = cardsFrom(history);
  const profile = profileOf(history);

  it('due and weak weigh most, not-due least but above zero; probabilities sum to 1', () => {
    const w = weightsOf(pool, cards, profile, T0 + 5 * MIN);
    expect(w.map((x) => x.status)).toEqual(['new', 'due', 'notDue']);
    // 'due': nodule weakness 1 − 1/3, difficulty 5 weakness 1 − 1/3 → 2/3.
    expect(w[1]?.weakness).toBeCloseTo(2 / 3);
    expect(w[1]?.weight).toBeCloseTo(URGENCY.due * (1 + WEAKNESS_GAIN * (2 / 3)));
    // 'later': mass and difficulty 1 both 1 − 2/3 → 1/3.
    expect(w[2]?.weight).toBeCloseTo(URGENCY.notDue * (1 + WEAKNESS_GAIN / 3));
    expect(w.every((x) => x.weight > 0)).toBe(true);
    expect(w.reduce((s, x) => s + x.probability, 0)).toBeCloseTo(1);
  });

  it('draws by probability; the case just answered is not given again while another exists', () => {
    expect(nextCase(pool, cards, profile, T0 + 5 * MIN, () => 0)?.caseId).toBe('new');
    expect(nextCase(pool, cards, profile, T0 + 5 * MIN, () => 0.999999)?.caseId).toBe('later');
    const w = weightsOf(pool, cards, profile, T0 + 5 * MIN);
    expect(nextCase(pool, cards, profile, T0 + 5 * MIN, () => w[0]!.probability + 1e-9)?.caseId).toBe('due');
    expect(weightsOf(pool, cards, profile, T0, { last: 'due' }).map((x) => x.caseId)).toEqual(['new', 'later']);
    expect(nextCase([pool[1]!], cards, profile, T0, () => 0.5, { last: 'due' })?.caseId).toBe('due');
    expect(nextCase([], cards, profile, T0, () => 0.5)).toBeNull();
  });

  it("candidateOf reads a case's facets as an attempt stores them", () => {
    const c = { ...emptyCase('s', 0, 'k'), findings: [
      { id: 'f1', label: 'nodule', difficulty: 2 as const }, { id: 'f2', label: 'nodule', difficulty: 4 as const },
    ] } as never;
    expect(candidateOf(c)).toEqual({ caseId: 'k', facets: { modality: '', labels: ['nodule'], difficulty: 4, anatomy: '' } });
  });
});

/** The synthetic images' deterministic generator (mulberry32): the simulation is the same on every run. */
const seeded = makeRandom;

interface SimCase extends Candidate { small: boolean }

/** 20 cases: 5 small low-contrast nodules (difficulty 4–5), 3 large nodules and 12 large/obvious other findings. */
const POOL: SimCase[] = [
  ...Array.from({ length: 5 }, (_, i) => ({ caseId: `small-${i}`, small: true, difficulty: (4 + (i % 2)) as Difficulty, label: 'nodule' })),
  ...Array.from({ length: 3 }, (_, i) => ({ caseId: `big-nodule-${i}`, small: false, difficulty: 1 as Difficulty, label: 'nodule' })),
  ...Array.from({ length: 12 }, (_, i) => ({
    caseId: `obvious-${i}`, small: false, difficulty: (1 + (i % 2)) as Difficulty, label: ['mass', 'consolidation', 'effusion', 'pneumothorax'][i % 4]!,
  })),
].map(({ caseId, small, difficulty, label }) => ({ caseId, small, facets: { modality: 'CT', labels: [label], difficulty, anatomy: 'chest' } }));

/** 10 daily sessions of 20 cases, 90 s apart; the learner misses every small case and gets the others right. */
function simulate(seed: number, useProfile = true) {
  const rand = seeded(seed);
  const attempts: Attempt[] = [];
  let cards: CaseCards = new Map();
  let last: string | undefined;
  const served = new Map(POOL.map((c) => [c.caseId, 0]));
  for (let day = 0; day < 10; day++) {
    for (let k = 0; k < 20; k++) {
      const now = T0 + day * DAY + 9 * 3_600_000 + k * 90_000;
      const profile = profileOf(useProfile ? attempts : []);
      const pick = nextCase(POOL, cards, profile, now, rand, { last });
      const c = POOL.find((p) => p.caseId === pick?.caseId)!;
      served.set(c.caseId, (served.get(c.caseId) ?? 0) + 1);
      const a = attempt({
        id: `t${attempts.length}`, caseId: c.caseId, labels: c.facets.labels, difficulty: c.facets.difficulty,
        hits: c.small ? 0 : 1, misses: c.small ? 1 : 0, seconds: 60, at: now + 60_000,
      });
      attempts.push(a);
      cards = reviewCase(cards, a.caseId, a.score, a.submittedAt);
      last = c.caseId;
    }
  }
  const smallServed = POOL.filter((c) => c.small).reduce((s, c) => s + (served.get(c.caseId) ?? 0), 0);
  return { served, attempts, cards, smallShare: smallServed / attempts.length };
}

describe('a simulated learner who always misses small low-contrast nodules', () => {
  const poolShare = POOL.filter((c) => c.small).length / POOL.length; // 0.25

  it('gets them far more often than their share of the pool, and still sees every case', () => {
    const shares: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const { served, smallShare, attempts, cards } = simulate(seed);
      shares.push(smallShare);
      expect(smallShare / poolShare).toBeGreaterThan(2);
      expect([...served.values()].every((n) => n >= 1)).toBe(true);
      expect(cardsFrom(attempts)).toEqual(cards); // replaying the stored attempts gives the scheduler's cards
    }
    const withoutProfile = [1, 2, 3, 4, 5].map((seed) => simulate(seed, false).smallShare);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const { served } = simulate(1);
    console.info(
      `[scheduler] 200 trials, 5 seeds: small low-contrast share ${shares.map((s) => s.toFixed(3)).join(', ')} ` +
      `(mean ${mean(shares).toFixed(3)}, ${(mean(shares) / poolShare).toFixed(2)}× their pool share ${poolShare}); ` +
      `FSRS due dates alone (no profile weighting) ${mean(withoutProfile).toFixed(3)}; ` +
      `seed 1 per case: ${[...served].map(([id, n]) => `${id}=${n}`).join(' ')}`,
    );
  });
});
