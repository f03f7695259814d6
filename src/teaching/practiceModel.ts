// The practice data model: a trainee's marks on an unknown case, how each was scored against the key, and the stored
// attempt the learner profile and the scheduler read. Pure, thread-neutral. Coordinates are SOURCE-IMAGE PIXELS of
// the referenced frame (as in model.ts); millimetres come from Pixel Spacing only when scoring.
import type { Difficulty, ImageRef, Point, Region } from './model';

export type Confidence = 1 | 2 | 3 | 4 | 5;

/** One thing a trainee marked: a point (click) or a box/ellipse (drag), with a label and a confidence. */
export interface Mark {
  id: string;
  image: ImageRef;
  region: Extract<Region, { kind: 'point' } | { kind: 'box' } | { kind: 'ellipse' }>;
  label: string;
  confidence: Confidence;
}

/** How one mark fared: a hit on finding `findingId` (with its label right or not), or a false mark. */
export interface MarkOutcome {
  markId: string;
  /** The finding it was matched to (one mark per finding at most; the closest, most confident wins), or null. */
  findingId: string | null;
  /** Distance (mm, or px without Pixel Spacing) from the mark's centre to the nearest finding region on its image. */
  distance: number | null;
  distanceUnit: 'mm' | 'px';
  labelCorrect: boolean | null;
}

export interface FindingOutcome {
  findingId: string;
  /** The mark that hit it, or null (missed). */
  markId: string | null;
  /** Confidence of that mark (0 when missed): the FROC rating of this lesion. */
  rating: number;
}

/** The score of one answered case. */
export interface CaseScore {
  marks: MarkOutcome[];
  findings: FindingOutcome[];
  truePositives: number;
  falsePositives: number;
  misses: number;
  /** Mean distance (mm) of hits from their finding's region centre; null without hits. */
  localisationErrorMm: number | null;
  /** Hits whose label matched ÷ hits; null without hits. */
  labelAccuracy: number | null;
  /** FROC points over confidence thresholds 5…1: lesion localisation fraction vs non-lesion marks per image. */
  froc: { threshold: number; llf: number; nlf: number }[];
}

/** One answered case, as stored (attempts store) and exported with a learner's progress. */
export interface Attempt {
  id: string;
  schemaVersion: number;
  learnerId: string;
  caseId: string;
  setId: string | null;
  /** True for a generated case (synthetic lesion): never mixed up with an educator's case. */
  synthetic: boolean;
  startedAt: number;
  submittedAt: number;
  marks: Mark[];
  score: CaseScore;
  /** What the profile groups by, copied from the case at the time (the case may change later). */
  facets: { modality: string; labels: string[]; difficulty: Difficulty | null; anatomy: string };
  /** Synthetic staircase trials: the lesion contrast (modality units) and contrast-to-noise ratio shown. */
  stimulus?: { contrast: number; cnr: number; diameterMm: number };
}

/** A point-like summary of a region for distances: its centre. */
export function regionCentre(r: Region): Point {
  if (r.kind === 'point') return r.point;
  const pts = r.kind === 'freehand' ? r.points : r.corners;
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  return { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
}
