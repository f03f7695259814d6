// An adaptive staircase that measures a detection threshold (the lesion contrast-to-noise ratio a trainee just
// detects), pure and thread-neutral: a transformed up-down rule (Levitt 1971) places the trials in log steps, and the
// threshold is a maximum-likelihood fit of every trial. Also the threshold per modality over time from stored attempts.
import type { Attempt } from './practiceModel';

export type StaircaseRule = '1down1up' | '2down1up' | '3down1up';

/**
 * Steps are LOG steps: the level is multiplied or divided by a factor, because detection thresholds scale with level
 * (a 0.5 change in CNR is large at CNR 1 and small at CNR 8) and the level stays positive.
 */
export interface StaircaseConfig {
  /** First level (CNR); start clearly visible so the trainee knows what to look for. */
  start: number;
  min: number;
  max: number;
  /**
   * n-down-1-up: down after n detections in a row, up after each miss. Levitt (1971) "Transformed up-down methods in
   * psychoacoustics", J Acoust Soc Am 49:467–477: 2-down-1-up converges on the 70.7 % point (p² = 0.5), 3-down on 79.4 %.
   */
  rule: StaircaseRule;
  /** Factor per step after the first reversal. */
  step: number;
  /** Factor per step until the first reversal, with a 1-down-1-up rule there (a fast descent from a visible start). */
  initialStep: number;
}

/**
 * Chosen by simulating 20-trial sessions (test/src/teaching/staircase.test.ts): start at CNR 8, divide by 1.6 after
 * each detection until the first miss (2–5 trials reach a threshold of 1–5), then 2-down-1-up in 2^(1/4) steps (19 %)
 * so the remaining trials sit near the 70.7 % point, where a trial tells the most about the threshold. Halving in the
 * descent or 2^(1/3)…2^(1/2) later steps did no better in simulation; 2^(1/6) wasted trials.
 */
export const DEFAULT_STAIRCASE: StaircaseConfig = { start: 8, min: 0.25, max: 16, rule: '2down1up', step: 2 ** 0.25, initialStep: 1.6 };

export interface Trial { level: number; detected: boolean }

export interface StaircaseState {
  config: StaircaseConfig;
  /** The level of the next trial. */
  level: number;
  trials: Trial[];
  /** Detections in a row at the current level (for the n-down rule). */
  run: number;
  /** Direction of the last step: −1 down, +1 up, 0 none yet. */
  direction: -1 | 0 | 1;
  /** Levels at which the track changed direction (the level of the trial that caused the change). */
  reversals: number[];
}

const DOWN: Record<StaircaseRule, number> = { '1down1up': 1, '2down1up': 2, '3down1up': 3 };
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function startStaircase(config: StaircaseConfig = DEFAULT_STAIRCASE): StaircaseState {
  if (!(config.min > 0 && config.min <= config.max && config.step > 1 && config.initialStep > 1)) {
    throw new RangeError('staircase: need 0 < min ≤ max and step factors > 1');
  }
  return { config, level: clamp(config.start, config.min, config.max), trials: [], run: 0, direction: 0, reversals: [] };
}

export function nextStimulus(state: StaircaseState): number {
  return state.level;
}

/** The state after the trainee detected (or missed) the lesion shown at `nextStimulus(state)`. */
export function recordResponse(state: StaircaseState, detected: boolean): StaircaseState {
  const { config } = state;
  const trials = [...state.trials, { level: state.level, detected }];
  const needed = state.reversals.length === 0 ? 1 : DOWN[config.rule];
  const run = detected ? state.run + 1 : 0;
  const move: -1 | 0 | 1 = !detected ? 1 : run >= needed ? -1 : 0;
  if (move === 0) return { ...state, trials, run };
  const reversal = state.direction !== 0 && move !== state.direction;
  const reversals = reversal ? [...state.reversals, state.level] : state.reversals;
  const factor = reversals.length === 0 ? config.initialStep : config.step;
  const level = clamp(move < 0 ? state.level / factor : state.level * factor, config.min, config.max);
  return { config, level, trials, run: 0, direction: move, reversals };
}

/** Levitt's estimate: geometric mean of the last `n` reversal levels (null with fewer reversals). Noisy in 20 trials. */
export function reversalThreshold(state: StaircaseState, n = 4): number | null {
  const last = state.reversals.slice(-n);
  if (last.length < n) return null;
  return Math.exp(last.reduce((s, v) => s + Math.log(v), 0) / n);
}

/**
 * The assumed psychometric function for the fit: P(detect | x) = guess + (1 − guess − lapse) · logistic(β (ln x − ln α)),
 * with α set so that P(threshold) = target. β = 5: 25 % → 75 % detection over a factor of 1.55 in CNR, between the
 * steep and shallow observers the test simulates (a wrong β biases the estimate by a few per cent, not more).
 * Guess 0: a lesion counts as detected only when marked in the right place. Lapse: the odd miss of an obvious lesion.
 */
export interface Psychometric { beta: number; lapse: number; guess: number; target: number }
export const DEFAULT_PSYCHOMETRIC: Psychometric = { beta: 5, lapse: 0.03, guess: 0, target: Math.SQRT1_2 };

function logLikelihood(trials: readonly Trial[], threshold: number, m: Psychometric): number {
  const f = (m.target - m.guess) / (1 - m.guess - m.lapse);
  const lnAlpha = Math.log(threshold) - Math.log(f / (1 - f)) / m.beta;
  let ll = 0;
  for (const t of trials) {
    const p = m.guess + (1 - m.guess - m.lapse) / (1 + Math.exp(-m.beta * (Math.log(t.level) - lnAlpha)));
    ll += Math.log(t.detected ? p : 1 - p);
  }
  return ll;
}

/**
 * Maximum-likelihood threshold (the level detected with probability `target`) from any set of trials: a grid of 241
 * levels evenly spaced in log between min and max, no optimiser to diverge. Null without trials. The placement rule
 * does not bias it (the likelihood of adaptive data is that of the same trials chosen in advance).
 */
export function fitThreshold(trials: readonly Trial[], min: number, max: number, model = DEFAULT_PSYCHOMETRIC): number | null {
  if (trials.length === 0) return null;
  const n = 241;
  let best = min, bestLl = -Infinity;
  for (let i = 0; i < n; i++) {
    const level = min * (max / min) ** (i / (n - 1));
    const ll = logLikelihood(trials, level, model);
    if (ll > bestLl) { bestLl = ll; best = level; }
  }
  return best;
}

/** The session's threshold estimate (maximum likelihood over all its trials), or null before the first trial. */
export function threshold(state: StaircaseState, model = DEFAULT_PSYCHOMETRIC): number | null {
  return fitThreshold(state.trials, state.config.min, state.config.max, model);
}

export interface ThresholdPoint {
  /** When the session ended (ms since the epoch, the last attempt's submittedAt). */
  at: number;
  threshold: number;
  trials: number;
  /** Median lesion diameter of the session (mm): thresholds fall with size, so compare like with like. */
  diameterMm: number;
}

/**
 * The measured detection threshold (CNR) per modality over time, from stored synthetic staircase attempts: attempts
 * of one modality closer than `sessionGapMs` form a session, and each session of at least `minTrials` gives one point
 * (maximum likelihood over its trials; detected = the synthetic finding was hit). Oldest first.
 */
export function thresholdHistory(attempts: readonly Attempt[], options: { sessionGapMs?: number; minTrials?: number } = {}): Record<string, ThresholdPoint[]> {
  const { sessionGapMs = 30 * 60_000, minTrials = 10 } = options;
  const trials = attempts.filter((a) => a.synthetic && a.stimulus).sort((a, b) => a.submittedAt - b.submittedAt);
  const sessions = new Map<string, Attempt[][]>();
  for (const a of trials) {
    const list = sessions.get(a.facets.modality) ?? [];
    const current = list[list.length - 1];
    const last = current?.[current.length - 1];
    if (current && last && a.submittedAt - last.submittedAt <= sessionGapMs) current.push(a);
    else list.push([a]);
    sessions.set(a.facets.modality, list);
  }
  const history: Record<string, ThresholdPoint[]> = {};
  for (const [modality, list] of sessions) {
    history[modality] = list.filter((s) => s.length >= minTrials).map((s) => {
      const fit = fitThreshold(s.map((a) => ({ level: a.stimulus!.cnr, detected: a.score.truePositives > 0 })), DEFAULT_STAIRCASE.min, DEFAULT_STAIRCASE.max);
      const sizes = s.map((a) => a.stimulus!.diameterMm).sort((x, y) => x - y);
      return { at: s[s.length - 1]!.submittedAt, threshold: fit!, trials: s.length, diameterMm: sizes[Math.floor(sizes.length / 2)]! };
    });
  }
  return history;
}

/** A threshold session as the app runs it: this many trials, one lesion size (thresholds fall with size). */
export const STAIRCASE_TRIALS = 20;
export const STAIRCASE_DIAMETER_MM = 8;
