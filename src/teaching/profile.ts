// A learner's profile from their stored attempts: per label, modality, anatomy and difficulty the detection rate,
// false marks per image, localisation error (mm) and time, with series over days or blocks of attempts for plotting;
// and the educator's group table over several learners. Pure, thread-neutral: attempts in, numbers out.
import type { Attempt } from './practiceModel';
import type { Learner } from './progressFile';

export type Facet = 'label' | 'modality' | 'anatomy' | 'difficulty';
export const FACETS: readonly Facet[] = ['label', 'modality', 'anatomy', 'difficulty'];
/** The label value of a case without findings (a normal case: only false marks can be made on it). */
export const NO_FINDING = 'no finding';
/** The difficulty value of a case without findings. */
export const NO_DIFFICULTY = 'none';

export interface Stats {
  attempts: number;
  findings: number;
  hits: number;
  misses: number;
  falseMarks: number;
  /** Attempts with at least one false mark (on a normal case: called abnormal). */
  attemptsWithFalseMarks: number;
  /** hits ÷ findings; null without findings. */
  detectionRate: number | null;
  /** falseMarks ÷ attempts: each case is one image, as practice scores it (FROC's non-lesion marks per image). */
  falseMarksPerImage: number | null;
  /** Mean distance (mm) of every hit from its finding: attempts' localisationErrorMm weighted by their hits. */
  meanLocalisationErrorMm: number | null;
  /** Mean of submittedAt − startedAt, seconds. */
  meanTimeS: number | null;
}
export interface FacetStats extends Stats { facet: Facet; value: string }
/** One point of a series: the attempts submitted in [start, end] (ms since the epoch), labelled `key`. */
export interface SeriesPoint extends Stats { key: string; start: number; end: number }

export interface Profile {
  overall: Stats;
  /** Every value seen per facet, sorted by value. */
  facets: Record<Facet, FacetStats[]>;
  /** Per calendar day (UTC unless `dayOf` is given), oldest first. */
  byDay: SeriesPoint[];
  /** Per `blockSize` attempts in submission order (the last block may be shorter). */
  byBlock: SeriesPoint[];
}

export interface ProfileOptions {
  blockSize?: number;
  /** The day an instant falls on, as a sortable key; default its UTC date 'YYYY-MM-DD'. */
  dayOf?: (ms: number) => string;
}

/**
 * The values of a facet an attempt counts under. A case with two labels counts under both, with all its findings
 * (FindingOutcome carries no label, so hits cannot be split by label): per-label rates are exact for one-label cases.
 */
export function facetValues(a: Attempt, facet: Facet): string[] {
  switch (facet) {
    case 'label': return a.facets.labels.length ? [...new Set(a.facets.labels)] : [NO_FINDING];
    case 'modality': return [a.facets.modality];
    case 'anatomy': return [a.facets.anatomy];
    case 'difficulty': return [a.facets.difficulty === null ? NO_DIFFICULTY : String(a.facets.difficulty)];
  }
}

export function attemptsWith(attempts: readonly Attempt[], facet: Facet, value: string): Attempt[] {
  return attempts.filter((a) => facetValues(a, facet).includes(value));
}

export function statsOf(attempts: readonly Attempt[]): Stats {
  let hits = 0, misses = 0, falseMarks = 0, withFalse = 0, locSum = 0, locHits = 0, timeMs = 0;
  for (const a of attempts) {
    const s = a.score;
    hits += s.truePositives;
    misses += s.misses;
    falseMarks += s.falsePositives;
    if (s.falsePositives > 0) withFalse += 1;
    if (s.localisationErrorMm !== null && s.truePositives > 0) {
      locSum += s.localisationErrorMm * s.truePositives;
      locHits += s.truePositives;
    }
    timeMs += Math.max(0, a.submittedAt - a.startedAt);
  }
  const n = attempts.length;
  const findings = hits + misses;
  return {
    attempts: n, findings, hits, misses, falseMarks, attemptsWithFalseMarks: withFalse,
    detectionRate: findings ? hits / findings : null,
    falseMarksPerImage: n ? falseMarks / n : null,
    meanLocalisationErrorMm: locHits ? locSum / locHits : null,
    meanTimeS: n ? timeMs / n / 1000 : null,
  };
}

/**
 * How weak a learner is at what `s` summarises, 0…1, smoothed so a few attempts do not swing it (Laplace: one hit
 * and one miss assumed): 1 − (hits + 1) ÷ (findings + 2); without findings (normal cases) the share of attempts with
 * a false mark, (withFalse + 1) ÷ (attempts + 2). No attempts at all: 0.5.
 */
export function weaknessOf(s: Stats | undefined): number {
  if (!s) return 0.5;
  if (s.findings > 0) return 1 - (s.hits + 1) / (s.findings + 2);
  return (s.attemptsWithFalseMarks + 1) / (s.attempts + 2);
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const bySubmission = (a: Attempt, b: Attempt) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function point(key: string, group: Attempt[]): SeriesPoint {
  return { key, start: group[0]?.submittedAt ?? 0, end: group[group.length - 1]?.submittedAt ?? 0, ...statsOf(group) };
}

/** A series over days (`by` = 'day') or blocks of `by` attempts, oldest first; empty days are left out. */
export function seriesOf(attempts: readonly Attempt[], by: 'day' | number, dayOf: (ms: number) => string = utcDay): SeriesPoint[] {
  const sorted = [...attempts].sort(bySubmission);
  if (by === 'day') {
    const days = new Map<string, Attempt[]>();
    for (const a of sorted) {
      const key = dayOf(a.submittedAt);
      const list = days.get(key);
      if (list) list.push(a); else days.set(key, [a]);
    }
    return [...days].map(([key, group]) => point(key, group)).sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  }
  const size = Math.max(1, Math.floor(by));
  const out: SeriesPoint[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const group = sorted.slice(i, i + size);
    out.push(point(`${i + 1}–${i + group.length}`, group));
  }
  return out;
}

/** Every facet value's attempts (a one-pass grouping; an attempt may sit under several labels). */
function groupBy(attempts: readonly Attempt[], facet: Facet): Map<string, Attempt[]> {
  const groups = new Map<string, Attempt[]>();
  for (const a of attempts) {
    for (const v of facetValues(a, facet)) {
      const list = groups.get(v);
      if (list) list.push(a); else groups.set(v, [a]);
    }
  }
  return groups;
}

export function facetStats(attempts: readonly Attempt[], facet: Facet): FacetStats[] {
  return [...groupBy(attempts, facet)]
    .sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))
    .map(([value, group]) => ({ facet, value, ...statsOf(group) }));
}

export function profileOf(attempts: readonly Attempt[], options: ProfileOptions = {}): Profile {
  const facets = {} as Record<Facet, FacetStats[]>;
  for (const f of FACETS) facets[f] = facetStats(attempts, f);
  return {
    overall: statsOf(attempts), facets,
    byDay: seriesOf(attempts, 'day', options.dayOf), byBlock: seriesOf(attempts, options.blockSize ?? 10),
  };
}

/** The stats of one facet value in a profile, if the learner has any attempt there. */
export function findFacet(profile: Profile, facet: Facet, value: string): FacetStats | undefined {
  return profile.facets[facet].find((s) => s.value === value);
}

// ---- the educator's view: several learners side by side.

export interface GroupColumn { facet: Facet; value: string }
export interface GroupRow {
  learner: Learner;
  overall: Stats;
  /** Aligned with GroupTable.columns; null where the learner has no attempt. */
  cells: (Stats | null)[];
  /** The column with the highest weaknessOf among those with at least `minFindings` findings, or null. */
  weakest: GroupColumn | null;
  lastActive: number | null;
}
export interface GroupTable {
  columns: GroupColumn[];
  /** By learner name, then id. */
  rows: GroupRow[];
  /** Everyone's attempts pooled. */
  total: { overall: Stats; cells: (Stats | null)[] };
}

export function groupTable(
  learners: readonly { learner: Learner; attempts: readonly Attempt[] }[],
  facets: readonly Facet[] = ['label', 'difficulty'],
  minFindings = 3,
): GroupTable {
  const all = learners.flatMap((l) => l.attempts);
  const columns = facets.flatMap((facet) => facetStats(all, facet).map(({ value }) => ({ facet, value })));
  const cellsOf = (attempts: readonly Attempt[]) => {
    const byFacet = new Map(facets.map((f) => [f, groupBy(attempts, f)]));
    return columns.map((c) => {
      const group = byFacet.get(c.facet)?.get(c.value);
      return group ? statsOf(group) : null;
    });
  };
  const rows = learners.map(({ learner, attempts }): GroupRow => {
    const cells = cellsOf(attempts);
    let weakest: GroupColumn | null = null, worst = -1;
    for (const [i, s] of cells.entries()) {
      if (s && s.findings >= minFindings && weaknessOf(s) > worst) { worst = weaknessOf(s); weakest = columns[i] ?? null; }
    }
    const lastActive = attempts.reduce<number | null>((m, a) => (m === null || a.submittedAt > m ? a.submittedAt : m), null);
    return { learner, overall: statsOf(attempts), cells, weakest, lastActive };
  });
  rows.sort((p, q) => p.learner.name.localeCompare(q.learner.name) || (p.learner.id < q.learner.id ? -1 : 1));
  return { columns, rows, total: { overall: statsOf(all), cells: cellsOf(all) } };
}
