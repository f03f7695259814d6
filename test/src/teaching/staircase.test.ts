import { describe, expect, it } from 'vitest';
import { makeRandom } from '../../../src/dicom/synthetic/random';
import type { Attempt } from '../../../src/teaching/practiceModel';
import {
  DEFAULT_STAIRCASE, fitThreshold, nextStimulus, recordResponse, reversalThreshold, startStaircase, threshold, thresholdHistory,
  type StaircaseConfig, type StaircaseState,
} from '../../../src/teaching/staircase';

/**
 * A simulated trainee: P(detect | CNR x) = (1 − lapse) · logistic((x − μ) / s), s = k · T, μ set so that P(T) = 0.707.
 * k is the width of the psychometric function relative to the threshold (k 0.15: 25 % → 75 % over 0.33 T).
 */
function observer(T: number, k: number, lapse = 0.02): (x: number) => number {
  const s = k * T, f = Math.SQRT1_2 / (1 - lapse);
  const mu = T - s * Math.log(f / (1 - f));
  return (x) => (1 - lapse) / (1 + Math.exp(-(x - mu) / s));
}

function session(T: number, k: number, rand: () => number, trials = 20, config: StaircaseConfig = DEFAULT_STAIRCASE): StaircaseState {
  const p = observer(T, k);
  let st = startStaircase(config);
  for (let t = 0; t < trials; t++) st = recordResponse(st, rand() < p(nextStimulus(st)));
  return st;
}

/** Fraction of 200 seeded 20-trial sessions (thresholds log-uniform in CNR 1–5) whose estimate is within 20 % of T. */
function recoveryRate(k: number): number {
  let ok = 0;
  for (let i = 0; i < 200; i++) {
    const rand = makeRandom(1000 + i);
    const T = 5 ** rand();
    if (Math.abs(threshold(session(T, k, rand))! / T - 1) <= 0.2) ok++;
  }
  return ok / 200;
}

describe('staircase mechanics', () => {
  it('descends 1-down until the first miss, then runs 2-down-1-up in smaller log steps, recording reversals', () => {
    let st = startStaircase({ ...DEFAULT_STAIRCASE, start: 8, initialStep: 2, step: 1.25 });
    expect(nextStimulus(st)).toBe(8);
    st = recordResponse(st, true);
    expect(nextStimulus(st)).toBe(4);
    st = recordResponse(st, true);
    expect(nextStimulus(st)).toBe(2);
    st = recordResponse(st, false); // first reversal, at level 2
    expect(st.reversals).toEqual([2]);
    expect(nextStimulus(st)).toBeCloseTo(2.5);
    st = recordResponse(st, true); // one detection: stay (2-down)
    expect(nextStimulus(st)).toBeCloseTo(2.5);
    st = recordResponse(st, true); // two: down, a reversal at 2.5
    expect(nextStimulus(st)).toBeCloseTo(2);
    expect(st.reversals).toEqual([2, 2.5]);
    st = recordResponse(recordResponse(st, true), false); // the run is broken by a miss: up
    expect(nextStimulus(st)).toBeCloseTo(2.5);
    expect(st.trials.map((t) => t.detected)).toEqual([true, true, false, true, true, true, false]);
  });

  it('stays within min and max and validates its config', () => {
    let st = startStaircase({ ...DEFAULT_STAIRCASE, start: 100 });
    expect(nextStimulus(st)).toBe(DEFAULT_STAIRCASE.max);
    for (let i = 0; i < 5; i++) st = recordResponse(st, false);
    expect(nextStimulus(st)).toBe(DEFAULT_STAIRCASE.max);
    for (let i = 0; i < 80; i++) st = recordResponse(st, true);
    expect(nextStimulus(st)).toBe(DEFAULT_STAIRCASE.min);
    expect(() => startStaircase({ ...DEFAULT_STAIRCASE, step: 1 })).toThrow(RangeError);
    expect(() => startStaircase({ ...DEFAULT_STAIRCASE, min: 0 })).toThrow(RangeError);
  });

  it('leaves the previous state untouched (pure)', () => {
    const a = startStaircase();
    const b = recordResponse(a, true);
    expect(a.trials).toHaveLength(0);
    expect(b.trials).toHaveLength(1);
    expect(threshold(a)).toBeNull();
  });
});

describe('threshold estimates', () => {
  it("Levitt: a long 2-down-1-up run's reversals converge on the 70.7 % point", () => {
    const rand = makeRandom(3);
    const errors = [1.5, 3, 6].map((T) => reversalThreshold(session(T, 0.15, rand, 2000), 200)! / T - 1);
    for (const e of errors) expect(Math.abs(e)).toBeLessThan(0.05);
  });

  it('the maximum-likelihood fit recovers the threshold from many trials at fixed levels', () => {
    const rand = makeRandom(8), p = observer(2.5, 0.15);
    const trials = Array.from({ length: 600 }, (_, i) => { const level = [1.5, 2, 2.5, 3, 4][i % 5]!; return { level, detected: rand() < p(level) }; });
    expect(fitThreshold(trials, 0.25, 16)! / 2.5).toBeCloseTo(1, 1);
    expect(fitThreshold([], 0.25, 16)).toBeNull();
  });

  it('a 20-case session recovers the simulated trainee\'s threshold within 20 % in ≥ 90 % of 200 sessions', () => {
    const rate = recoveryRate(0.15);
    console.info(`[staircase] k 0.15: ${(rate * 100).toFixed(1)} % of 200 simulated 20-trial sessions within 20 % of the threshold`);
    expect(rate).toBeGreaterThanOrEqual(0.9);
  });

  it('and in ≥ 80 % for a shallower psychometric function (k 0.2), where 20 trials carry less information', () => {
    const rate = recoveryRate(0.2);
    console.info(`[staircase] k 0.2: ${(rate * 100).toFixed(1)} % of 200 simulated 20-trial sessions within 20 % of the threshold`);
    expect(rate).toBeGreaterThanOrEqual(0.8);
  });
});

describe('thresholdHistory', () => {
  const attempt = (modality: string, at: number, cnr: number, detected: boolean, synthetic = true): Attempt => ({
    id: `a${at}`, schemaVersion: 1, learnerId: 'me', caseId: `c${at}`, setId: null, synthetic, startedAt: at - 5000, submittedAt: at,
    marks: [], facets: { modality, labels: ['nodule'], difficulty: 3, anatomy: '' },
    score: { marks: [], findings: [], truePositives: detected ? 1 : 0, falsePositives: 0, misses: detected ? 0 : 1,
      localisationErrorMm: null, labelAccuracy: null, froc: [] },
    ...(synthetic ? { stimulus: { contrast: cnr * 12, cnr, diameterMm: 8 } } : {}),
  });

  function sessionAttempts(modality: string, T: number, start: number, seed: number): Attempt[] {
    const rand = makeRandom(seed);
    const st = session(T, 0.15, rand);
    return st.trials.map((t, i) => attempt(modality, start + i * 60_000, t.level, t.detected));
  }

  it('gives one measured threshold per session and modality, oldest first, ignoring educator cases', () => {
    const day = 24 * 3600_000;
    const attempts = [
      ...sessionAttempts('CT', 3, day, 1), ...sessionAttempts('CT', 2, 8 * day, 2), ...sessionAttempts('MR', 4, 2 * day, 3),
      ...Array.from({ length: 5 }, (_, i) => attempt('MR', 9 * day + i * 60_000, 2, true)), // too short a session
      attempt('CT', 8 * day + 30_000, 0, false, false), // an educator's case inside the session: ignored
    ].reverse();
    const h = thresholdHistory(attempts);
    expect(Object.keys(h).sort()).toEqual(['CT', 'MR']);
    expect(h.CT!.map((p) => p.trials)).toEqual([20, 20]);
    expect(h.CT![0]!.at).toBeLessThan(h.CT![1]!.at);
    expect(h.CT![0]!.threshold / 3).toBeCloseTo(1, 0);
    expect(h.CT![1]!.threshold / 2).toBeCloseTo(1, 0);
    expect(h.MR).toHaveLength(1);
    expect(h.MR![0]).toMatchObject({ trials: 20, diameterMm: 8 });
  });
});
