// The learner profile and the educator's group table on a small hand-computed history: five attempts over three
// days (a two-label case, a normal case, a hit without Pixel Spacing), every expected number worked out below.
import { describe, expect, it } from 'vitest';
import {
  NO_FINDING, attemptsWith, facetValues, groupTable, profileOf, seriesOf, statsOf, weaknessOf,
} from '../../../src/teaching/profile';
import { DAY, T0, attempt, learner } from '../../fixtures/attempts';

const HOUR = 3_600_000;
const history = [
  attempt({ id: 'a1', labels: ['nodule'], difficulty: 4, hits: 1, misses: 1, falseMarks: 1, locMm: 2, seconds: 40, at: T0 }),
  attempt({ id: 'a2', labels: ['nodule'], difficulty: 2, hits: 2, misses: 0, falseMarks: 0, locMm: 5, seconds: 20, at: T0 + HOUR }),
  attempt({ id: 'a3', labels: ['mass', 'nodule'], difficulty: 3, hits: 1, misses: 1, falseMarks: 2, locMm: 4, seconds: 60, at: T0 + DAY }),
  attempt({ id: 'a4', labels: [], difficulty: null, hits: 0, misses: 0, falseMarks: 1, seconds: 10, at: T0 + 2 * DAY }),
  // A hit on an image without Pixel Spacing: no mm error, so it is left out of the localisation mean.
  attempt({ id: 'a5', labels: ['effusion'], difficulty: 1, modality: 'MR', anatomy: 'abdomen', hits: 1, locMm: null, seconds: 30, at: T0 + 2 * DAY + HOUR }),
];

describe('statsOf', () => {
  it('pools hits, misses, false marks, hit-weighted localisation error and time', () => {
    expect(statsOf(history)).toEqual({
      attempts: 5, findings: 7, hits: 5, misses: 2, falseMarks: 4, attemptsWithFalseMarks: 3,
      detectionRate: 5 / 7,
      falseMarksPerImage: 4 / 5,
      // (2 mm × 1 hit + 5 mm × 2 hits + 4 mm × 1 hit) ÷ 4 hits; a5's hit has no mm.
      meanLocalisationErrorMm: 4,
      meanTimeS: (40 + 20 + 60 + 10 + 30) / 5,
    });
  });

  it('gives nulls, not NaN, for no attempts and for normal cases only', () => {
    expect(statsOf([])).toMatchObject({ attempts: 0, detectionRate: null, falseMarksPerImage: null, meanLocalisationErrorMm: null, meanTimeS: null });
    expect(statsOf([history[3]!])).toMatchObject({ detectionRate: null, falseMarksPerImage: 1, meanLocalisationErrorMm: null, meanTimeS: 10 });
  });
});

describe('profileOf', () => {
  const p = profileOf(history, { blockSize: 2 });

  it('per label: a two-label case counts under both, a case without findings under "no finding"', () => {
    expect(facetValues(history[2]!, 'label')).toEqual(['mass', 'nodule']);
    expect(p.facets.label.map((s) => s.value)).toEqual(['effusion', 'mass', NO_FINDING, 'nodule']);
    const [effusion, mass, normal, nodule] = p.facets.label;
    expect(nodule).toMatchObject({ attempts: 3, hits: 4, misses: 2, detectionRate: 4 / 6, falseMarksPerImage: 1, meanLocalisationErrorMm: 4, meanTimeS: 40 });
    expect(mass).toMatchObject({ attempts: 1, detectionRate: 0.5, falseMarksPerImage: 2, meanLocalisationErrorMm: 4, meanTimeS: 60 });
    expect(normal).toMatchObject({ attempts: 1, findings: 0, detectionRate: null, falseMarksPerImage: 1, attemptsWithFalseMarks: 1 });
    expect(effusion).toMatchObject({ detectionRate: 1, meanLocalisationErrorMm: null, meanTimeS: 30 });
  });

  it('per difficulty, modality and anatomy', () => {
    expect(p.facets.difficulty.map((s) => [s.value, s.detectionRate])).toEqual([['1', 1], ['2', 1], ['3', 0.5], ['4', 0.5], ['none', null]]);
    expect(p.facets.modality.map((s) => [s.value, s.attempts, s.detectionRate])).toEqual([['CT', 4, 4 / 6], ['MR', 1, 1]]);
    expect(p.facets.anatomy.map((s) => [s.value, s.attempts])).toEqual([['abdomen', 1], ['chest', 4]]);
  });

  it('a series per UTC day and per block of attempts, oldest first', () => {
    expect(p.byDay.map((d) => [d.key, d.attempts, d.detectionRate, d.falseMarksPerImage])).toEqual([
      ['2026-03-02', 2, 3 / 4, 1 / 2], ['2026-03-03', 1, 1 / 2, 2], ['2026-03-04', 2, 1, 1 / 2],
    ]);
    expect(p.byDay[0]).toMatchObject({ start: T0, end: T0 + HOUR });
    expect(p.byBlock.map((b) => [b.key, b.hits, b.misses])).toEqual([['1–2', 3, 1], ['3–4', 1, 1], ['5–5', 1, 0]]);
    // Order of the input does not matter.
    expect(profileOf([...history].reverse(), { blockSize: 2 })).toEqual(p);
    expect(profileOf(history).byBlock).toHaveLength(1);
  });

  it("days by a caller-given calendar: 15:00 UTC is the next day 10 hours ahead of UTC", () => {
    const plus10 = (ms: number) => new Date(ms + 10 * HOUR).toISOString().slice(0, 10);
    const late = attempt({ id: 'late', at: T0 + 15 * HOUR });
    expect(seriesOf([history[0]!, late], 'day').map((d) => d.key)).toEqual(['2026-03-02']);
    expect(seriesOf([history[0]!, late], 'day', plus10).map((d) => d.key)).toEqual(['2026-03-02', '2026-03-03']);
  });

  it('a series for one facet value is the series of its attempts', () => {
    expect(seriesOf(attemptsWith(history, 'label', 'nodule'), 'day').map((d) => [d.key, d.detectionRate])).toEqual([
      ['2026-03-02', 3 / 4], ['2026-03-03', 1 / 2],
    ]);
  });
});

describe('weaknessOf', () => {
  it('is 1 − (hits + 1) ÷ (findings + 2), false-mark based without findings, 0.5 with nothing known', () => {
    const p = profileOf(history);
    expect(weaknessOf(p.facets.label.find((s) => s.value === 'nodule'))).toBeCloseTo(1 - 5 / 8);
    expect(weaknessOf(p.facets.label.find((s) => s.value === NO_FINDING))).toBeCloseTo(2 / 3);
    expect(weaknessOf(undefined)).toBe(0.5);
  });
});

describe('groupTable', () => {
  const bob = [
    attempt({ id: 'b1', learnerId: 'L2', labels: ['nodule'], difficulty: 4, hits: 0, misses: 3, at: T0 + 5 * DAY }),
    attempt({ id: 'b2', learnerId: 'L2', labels: ['mass'], difficulty: 2, hits: 1, at: T0 + 6 * DAY }),
  ];
  const table = groupTable([{ learner: learner('L2', 'Bob'), attempts: bob }, { learner: learner('L1', 'Ada'), attempts: history }]);

  it('one column per label and difficulty anyone has, one row per learner by name', () => {
    expect(table.columns.map((c) => `${c.facet}:${c.value}`)).toEqual([
      'label:effusion', 'label:mass', `label:${NO_FINDING}`, 'label:nodule', 'difficulty:1', 'difficulty:2', 'difficulty:3', 'difficulty:4', 'difficulty:none',
    ]);
    expect(table.rows.map((r) => r.learner.name)).toEqual(['Ada', 'Bob']);
    const [ada, bobRow] = table.rows;
    expect(ada?.overall.detectionRate).toBe(5 / 7);
    expect(ada?.lastActive).toBe(T0 + 2 * DAY + HOUR);
    expect(bobRow?.cells.map((c) => c?.detectionRate ?? null)).toEqual([null, 1, null, 0, null, 1, null, 0, null]);
    expect(bobRow?.cells[0]).toBeNull();
  });

  it("names each learner's weakest column among those with at least 3 findings", () => {
    expect(table.rows[0]?.weakest).toEqual({ facet: 'label', value: 'nodule' });
    expect(table.rows[1]?.weakest).toEqual({ facet: 'label', value: 'nodule' }); // tie with difficulty 4: the first
    expect(groupTable([{ learner: learner(), attempts: [history[4]!] }]).rows[0]?.weakest).toBeNull();
  });

  it('pools everyone in a total row', () => {
    expect(table.total.overall).toMatchObject({ attempts: 7, hits: 6, misses: 5, detectionRate: 6 / 11 });
    expect(table.total.cells[3]).toMatchObject({ hits: 4, misses: 5 });
  });

  it('an empty group is an empty table', () => {
    expect(groupTable([])).toEqual({ columns: [], rows: [], total: { overall: statsOf([]), cells: [] } });
  });
});
