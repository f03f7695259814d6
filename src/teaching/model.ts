// The teaching data model: annotations on images, cases with an answer key, teaching sets. Pure, thread-neutral,
// no DOM and no storage: the UI holds ids, src/storage persists these records, practice (scoring) reads them.
// Coordinates are SOURCE-IMAGE PIXELS of the referenced frame (cornerstone's pixel space: x = column, y = row,
// continuous, (0,0) the top-left corner of the first pixel, (0.5,0.5) its centre). Millimetres come from Pixel Spacing
// only when measuring or scoring, so records survive zoom, pan, reload and re-opening the study (matched by UIDs).
import type { ModelId } from '../../models/catalog';

/** Version of every stored and exported record shape below. Bump with a migration (src/storage, packet import). */
export const TEACHING_SCHEMA_VERSION = 1;

export interface Point { x: number; y: number }

/** One frame of one instance, by UIDs (never by file name or session id). `frame` is 0-based. */
export interface ImageRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  frame: number;
}

/** A series a case uses: its instances in display order (sorted along the slice normal when the case was made). */
export interface SeriesRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  modality: string;
  description: string;
  /** Ordered SOP Instance UIDs; multi-frame instances appear once (frames come from the header). */
  sopInstanceUIDs: string[];
}

/** The measurement and annotation tools a radiologist expects (cornerstone-tools' names in src/viewer). */
export const ANNOTATION_KINDS = ['length', 'angle', 'ellipse', 'rectangle', 'probe', 'arrow', 'freehand'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/**
 * How many points each kind has: length [a, b]; angle [a, vertex, b]; ellipse and rectangle [corner, opposite corner]
 * (the ellipse is inscribed in that box); probe [p]; arrow [tip, tail]; freehand ≥ 3 (closed contour).
 */
export const POINT_COUNT: Record<AnnotationKind, number | 'many'> = {
  length: 2, angle: 3, ellipse: 2, rectangle: 2, probe: 1, arrow: 2, freehand: 'many',
};

/** One measurement or annotation drawn on an image. */
export interface Annotation {
  id: string;
  kind: AnnotationKind;
  image: ImageRef;
  points: Point[];
  /** Short name shown in the measurement panel ("RUL nodule"). */
  label: string;
  /** Free text (the arrow annotation's text; a note for the others). */
  text: string;
  createdAt: number;
  updatedAt: number;
}

/** A finding's region, in source-image pixels of `Finding.image`. Boxes and ellipses by two opposite corners. */
export type Region =
  | { kind: 'point'; point: Point }
  | { kind: 'box'; corners: [Point, Point] }
  | { kind: 'ellipse'; corners: [Point, Point] }
  | { kind: 'freehand'; points: Point[] };
export type RegionKind = Region['kind'];

export type Difficulty = 1 | 2 | 3 | 4 | 5;

/** One entry of a case's answer key. */
export interface Finding {
  id: string;
  image: ImageRef;
  region: Region;
  /** From the set's vocabulary (editable); free text is allowed but flagged by validation. */
  label: string;
  difficulty: Difficulty;
  explanation: string;
  /**
   * How far outside the region (mm) a trainee's mark still counts as a hit; null = default from the region's size
   * (practice, scoring). Stored per finding so an educator can tighten or loosen it.
   */
  toleranceMm: number | null;
}

/** The saved output of a model run on one frame, attached to a case to show what AI sees. */
export interface ModelAttachment {
  id: string;
  modelId: ModelId;
  /** sha256 of the model file that produced it (models/catalog.ts). */
  modelSha256: string;
  source: ImageRef;
  kind: 'enhanced' | 'anomaly-map';
  rows: number;
  columns: number;
  /** Key of the Float32 values in the outputs store (modality units for 'enhanced', scores for 'anomaly-map'). */
  dataKey: string;
  createdAt: number;
}

export interface Case {
  id: string;
  schemaVersion: number;
  /** The set the case belongs to (its place in the set is TeachingSet.caseIds). */
  setId: string;
  title: string;
  series: SeriesRef[];
  /** Slices the educator wants a trainee to see first; the first is where the case opens. */
  keyImages: ImageRef[];
  history: string;
  question: string;
  findings: Finding[];
  diagnosis: string;
  discussion: string;
  attachments: ModelAttachment[];
  createdAt: number;
  updatedAt: number;
}

export interface TeachingSet {
  id: string;
  schemaVersion: number;
  title: string;
  author: string;
  description: string;
  /** Cases in teaching order. A case belongs to exactly one set (duplicating a case copies it). */
  caseIds: string[];
  /** Labels offered for findings; editable per set. */
  vocabulary: string[];
  createdAt: number;
  updatedAt: number;
}

/** Offered for a new set; the educator edits it. */
export const DEFAULT_VOCABULARY: readonly string[] = [
  'nodule', 'mass', 'consolidation', 'ground-glass opacity', 'effusion', 'pneumothorax', 'fracture',
  'haemorrhage', 'infarct', 'oedema', 'lymph node', 'calcification', 'cyst', 'normal variant', 'artefact',
];

export const DIFFICULTIES: readonly Difficulty[] = [1, 2, 3, 4, 5];

/** Random id (RFC 4122 v4) from the platform: browsers in a secure context and Node both have it. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

export function sameImage(a: ImageRef, b: ImageRef): boolean {
  return a.sopInstanceUID === b.sopInstanceUID && a.frame === b.frame;
}

export function emptyCase(setId: string, now: number, id = newId()): Case {
  return {
    id, schemaVersion: TEACHING_SCHEMA_VERSION, setId, title: 'Untitled case', series: [], keyImages: [], history: '', question: '',
    findings: [], diagnosis: '', discussion: '', attachments: [], createdAt: now, updatedAt: now,
  };
}

export function emptySet(now: number, id = newId()): TeachingSet {
  return {
    id, schemaVersion: TEACHING_SCHEMA_VERSION, title: 'Untitled teaching set', author: '', description: '', caseIds: [],
    vocabulary: [...DEFAULT_VOCABULARY], createdAt: now, updatedAt: now,
  };
}

/** Every SOP Instance UID a case needs (its series), each once. */
export function instancesOfCase(c: Case): string[] {
  return [...new Set(c.series.flatMap((s) => s.sopInstanceUIDs))];
}

/** What a trainee sees of a case before answering: no findings, diagnosis, discussion or AI output. */
export type UnknownCase = Omit<Case, 'findings' | 'diagnosis' | 'discussion' | 'attachments'> & {
  findings: []; diagnosis: ''; discussion: ''; attachments: [];
};

export function asUnknown(c: Case): UnknownCase {
  return { ...c, findings: [], diagnosis: '', discussion: '', attachments: [] };
}
