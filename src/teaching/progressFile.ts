// A learner's progress as one file: the learner and every attempt, as JSON (format + schema version), gzipped with
// fflate. readProgress checks size, format, version and every field by hand before anything is returned, so an
// import either gets valid records or a named ProgressFileError. Pure, thread-neutral: no DOM, no storage.
import { Gunzip, gzipSync, strToU8 } from 'fflate';
import {
  ProgressCorruptError, ProgressFileError, ProgressFormatError, ProgressSchemaError, ProgressTooLargeError, ProgressVersionError,
} from '../shared/errors';
import { TEACHING_SCHEMA_VERSION, type ImageRef } from './model';
import type { Attempt, CaseScore, Mark } from './practiceModel';

export const PROGRESS_FORMAT = 'lucid-progress';
/** Version of the file's envelope ({format, schemaVersion, exportedAt, learner, attempts}); attempts carry their own. */
export const PROGRESS_SCHEMA_VERSION = 1;

/** A trainee on this device (learners store) and in their progress file. */
export interface Learner { id: string; name: string; createdAt: number }

export interface ProgressFile {
  format: typeof PROGRESS_FORMAT;
  schemaVersion: number;
  exportedAt: number;
  learner: Learner;
  attempts: Attempt[];
}

export interface ProgressLimits {
  /** The file as given (gzipped or not). */
  maxFileBytes: number;
  /** The JSON text after inflating: bounds what a small gzip bomb can make us allocate. */
  maxJsonBytes: number;
  maxAttempts: number;
  /** Marks per attempt, and findings per attempt. */
  maxMarks: number;
}
export const PROGRESS_LIMITS: ProgressLimits = {
  maxFileBytes: 64 * 1024 ** 2, maxJsonBytes: 256 * 1024 ** 2, maxAttempts: 100_000, maxMarks: 1_000,
};

/** The file's bytes: gzipped JSON. `exportedAt` is ms since the epoch. */
export function writeProgress(learner: Learner, attempts: readonly Attempt[], exportedAt = Date.now()): Uint8Array {
  const file: ProgressFile = {
    format: PROGRESS_FORMAT, schemaVersion: PROGRESS_SCHEMA_VERSION, exportedAt, learner, attempts: [...attempts],
  };
  return gzipSync(strToU8(JSON.stringify(file)), { level: 6, mtime: 0 });
}

const MB = (n: number) => `${Math.round(n / 1024 ** 2)} MB`;

/** The JSON text of a file: gzip (magic 1f 8b, RFC 1952) inflated with a running byte count, or plain UTF-8. */
function jsonText(bytes: Uint8Array, limits: ProgressLimits): string {
  if (bytes.length > limits.maxFileBytes) {
    throw new ProgressTooLargeError(`This progress file is larger than ${MB(limits.maxFileBytes)}, the most Lucid reads.`);
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw new ProgressFormatError('This is a zip file, not a Lucid progress file (a teaching packet is imported in the Author view).');
  }
  let raw = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let ended = false;
    const gunzip = new Gunzip((chunk, final) => {
      total += chunk.length;
      if (total > limits.maxJsonBytes) {
        throw new ProgressTooLargeError(`This progress file unpacks to more than ${MB(limits.maxJsonBytes)}, the most Lucid reads.`);
      }
      chunks.push(chunk);
      if (final) ended = true;
    });
    try {
      // Small input steps bound how far one push can overshoot the limit before the count above sees it.
      for (let p = 0; p < bytes.length; p += 16_384) gunzip.push(bytes.subarray(p, p + 16_384), p + 16_384 >= bytes.length);
    } catch (err) {
      if (err instanceof ProgressFileError) throw err;
      throw new ProgressCorruptError('This progress file is damaged or cut short (its compressed data does not unpack).');
    }
    if (!ended) throw new ProgressCorruptError('This progress file is cut short (its compressed data ends early).');
    raw = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { raw.set(c, at); at += c.length; }
  } else if (bytes.length > limits.maxJsonBytes) {
    throw new ProgressTooLargeError(`This progress file is larger than ${MB(limits.maxJsonBytes)}, the most Lucid reads.`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new ProgressCorruptError('This progress file is not text Lucid wrote (invalid UTF-8).');
  }
}

/** Reads and checks a progress file (gzipped or plain JSON). Throws a ProgressFileError naming what is wrong. */
export function readProgress(bytes: Uint8Array, limits: ProgressLimits = PROGRESS_LIMITS): ProgressFile {
  let json: unknown;
  try {
    json = JSON.parse(jsonText(bytes, limits));
  } catch (err) {
    if (err instanceof ProgressFileError) throw err;
    throw new ProgressCorruptError('This progress file is damaged: its contents are not JSON.');
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== PROGRESS_FORMAT) {
    throw new ProgressFormatError('This is not a Lucid progress file (a teaching packet is imported in the Author view).');
  }
  const o = json as Record<string, unknown>;
  const v = o.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ProgressVersionError('This progress file has no valid schema version.');
  if (v > PROGRESS_SCHEMA_VERSION) {
    throw new ProgressVersionError(
      `This progress file was written by a newer Lucid (version ${v}; this one reads up to ${PROGRESS_SCHEMA_VERSION}): update Lucid to open it.`,
    );
  }
  keys(o, '', ['format', 'schemaVersion', 'exportedAt', 'learner', 'attempts']);
  const lo = obj(o.learner, 'learner');
  keys(lo, 'learner', ['id', 'name', 'createdAt']);
  const learner: Learner = {
    id: id(lo.id, 'learner.id'), name: str(lo.name, 'learner.name', 200), createdAt: time(lo.createdAt, 'learner.createdAt'),
  };
  const list = arr(o.attempts, 'attempts', Infinity);
  if (list.length > limits.maxAttempts) {
    throw new ProgressTooLargeError(`This progress file holds ${list.length} attempts; Lucid reads at most ${limits.maxAttempts}.`);
  }
  const seen = new Set<string>();
  const attempts = list.map((a, i) => {
    const attempt = checkAttempt(a, `attempts[${i}]`, learner.id, limits);
    if (seen.has(attempt.id)) fail(`attempts[${i}].id`, `repeats the id ${JSON.stringify(attempt.id)}`);
    seen.add(attempt.id);
    return attempt;
  });
  return { format: PROGRESS_FORMAT, schemaVersion: v, exportedAt: time(o.exportedAt, 'exportedAt'), learner, attempts };
}

// ---- the validator: each check takes the value and its JSON path, and throws ProgressSchemaError naming that path.

function fail(path: string, problem: string): never {
  throw new ProgressSchemaError(`This progress file is not valid: ${path || 'the file'} ${problem}. Nothing was imported.`);
}
function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as Record<string, unknown>;
}
function arr(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be a list');
  if (v.length > max) {
    throw new ProgressTooLargeError(`This progress file's ${path} has ${v.length} entries; Lucid reads at most ${max}.`);
  }
  return v;
}
function str(v: unknown, path: string, max = 1_000): string {
  if (typeof v !== 'string') fail(path, 'must be text');
  if (v.length > max) fail(path, `is longer than ${max} characters`);
  return v;
}
const id = (v: unknown, path: string) => { const s = str(v, path, 200); if (!s) fail(path, 'must not be empty'); return s; };
function num(v: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a finite number');
  if (v < min || v > max) fail(path, `must be from ${min} to ${max}`);
  return v;
}
function int(v: unknown, path: string, min: number, max: number): number {
  const n = num(v, path, min, max);
  if (!Number.isInteger(n)) fail(path, 'must be a whole number');
  return n;
}
const time = (v: unknown, path: string) => num(v, path, 0, 8.64e15);
const nonNegative = (v: unknown, path: string) => num(v, path, 0);
function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'must be true or false');
  return v;
}
function orNull<T>(v: unknown, path: string, check: (v: unknown, path: string) => T): T | null {
  return v === null ? null : check(v, path);
}
function oneOf<T extends string | number>(v: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) fail(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return v as T;
}
/** Exactly these keys (plus `optional` ones): an unknown field is an error, we never carry unread data along. */
function keys(o: Record<string, unknown>, path: string, expected: readonly string[], optional: readonly string[] = []): void {
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const k of expected) if (!(k in o)) fail(at(k), 'is missing');
  for (const k of Object.keys(o)) {
    if (!expected.includes(k) && !optional.includes(k)) fail(at(JSON.stringify(k).slice(1, -1)), 'is not a field Lucid knows');
  }
}
function point(v: unknown, path: string) {
  const o = obj(v, path);
  keys(o, path, ['x', 'y']);
  return { x: num(o.x, `${path}.x`), y: num(o.y, `${path}.y`) };
}
function imageRef(v: unknown, path: string): ImageRef {
  const o = obj(v, path);
  keys(o, path, ['studyInstanceUID', 'seriesInstanceUID', 'sopInstanceUID', 'frame']);
  return {
    studyInstanceUID: str(o.studyInstanceUID, `${path}.studyInstanceUID`, 200),
    seriesInstanceUID: str(o.seriesInstanceUID, `${path}.seriesInstanceUID`, 200),
    sopInstanceUID: str(o.sopInstanceUID, `${path}.sopInstanceUID`, 200),
    frame: int(o.frame, `${path}.frame`, 0, 1e6),
  };
}
function mark(v: unknown, path: string): Mark {
  const o = obj(v, path);
  keys(o, path, ['id', 'image', 'region', 'label', 'confidence']);
  const r = obj(o.region, `${path}.region`);
  const kind = oneOf(r.kind, `${path}.region.kind`, ['point', 'box', 'ellipse'] as const);
  let region: Mark['region'];
  if (kind === 'point') {
    keys(r, `${path}.region`, ['kind', 'point']);
    region = { kind, point: point(r.point, `${path}.region.point`) };
  } else {
    keys(r, `${path}.region`, ['kind', 'corners']);
    const c = arr(r.corners, `${path}.region.corners`, 2);
    if (c.length !== 2) fail(`${path}.region.corners`, 'must be two points');
    region = { kind, corners: [point(c[0], `${path}.region.corners[0]`), point(c[1], `${path}.region.corners[1]`)] };
  }
  return {
    id: id(o.id, `${path}.id`), image: imageRef(o.image, `${path}.image`), region, label: str(o.label, `${path}.label`, 200),
    confidence: oneOf(o.confidence, `${path}.confidence`, [1, 2, 3, 4, 5] as const),
  };
}
function score(v: unknown, path: string, limits: ProgressLimits): CaseScore {
  const o = obj(v, path);
  keys(o, path, ['marks', 'findings', 'truePositives', 'falsePositives', 'misses', 'localisationErrorMm', 'labelAccuracy', 'froc']);
  const count = (k: 'truePositives' | 'falsePositives' | 'misses') => int(o[k], `${path}.${k}`, 0, limits.maxMarks);
  return {
    marks: arr(o.marks, `${path}.marks`, limits.maxMarks).map((m, i) => {
      const p = `${path}.marks[${i}]`, e = obj(m, p);
      keys(e, p, ['markId', 'findingId', 'distance', 'distanceUnit', 'labelCorrect']);
      return {
        markId: id(e.markId, `${p}.markId`),
        findingId: orNull(e.findingId, `${p}.findingId`, id),
        distance: orNull(e.distance, `${p}.distance`, nonNegative),
        distanceUnit: oneOf(e.distanceUnit, `${p}.distanceUnit`, ['mm', 'px'] as const),
        labelCorrect: orNull(e.labelCorrect, `${p}.labelCorrect`, bool),
      };
    }),
    findings: arr(o.findings, `${path}.findings`, limits.maxMarks).map((f, i) => {
      const p = `${path}.findings[${i}]`, e = obj(f, p);
      keys(e, p, ['findingId', 'markId', 'rating']);
      return {
        findingId: id(e.findingId, `${p}.findingId`), markId: orNull(e.markId, `${p}.markId`, id), rating: num(e.rating, `${p}.rating`, 0, 5),
      };
    }),
    truePositives: count('truePositives'), falsePositives: count('falsePositives'), misses: count('misses'),
    localisationErrorMm: orNull(o.localisationErrorMm, `${path}.localisationErrorMm`, nonNegative),
    labelAccuracy: orNull(o.labelAccuracy, `${path}.labelAccuracy`, (x, q) => num(x, q, 0, 1)),
    froc: arr(o.froc, `${path}.froc`, 10).map((f, i) => {
      const p = `${path}.froc[${i}]`, e = obj(f, p);
      keys(e, p, ['threshold', 'llf', 'nlf']);
      return { threshold: num(e.threshold, `${p}.threshold`, 0, 5), llf: num(e.llf, `${p}.llf`, 0, 1), nlf: nonNegative(e.nlf, `${p}.nlf`) };
    }),
  };
}
const ATTEMPT_KEYS = ['id', 'schemaVersion', 'learnerId', 'caseId', 'setId', 'synthetic', 'startedAt', 'submittedAt', 'marks', 'score', 'facets'];
function checkAttempt(v: unknown, path: string, learnerId: string, limits: ProgressLimits): Attempt {
  const o = obj(v, path);
  keys(o, path, ATTEMPT_KEYS, ['stimulus']);
  if (o.learnerId !== learnerId) fail(`${path}.learnerId`, "must be the file's learner");
  const f = obj(o.facets, `${path}.facets`);
  keys(f, `${path}.facets`, ['modality', 'labels', 'difficulty', 'anatomy']);
  const attempt: Attempt = {
    id: id(o.id, `${path}.id`),
    schemaVersion: int(o.schemaVersion, `${path}.schemaVersion`, 1, TEACHING_SCHEMA_VERSION),
    learnerId,
    caseId: id(o.caseId, `${path}.caseId`),
    setId: orNull(o.setId, `${path}.setId`, id),
    synthetic: bool(o.synthetic, `${path}.synthetic`),
    startedAt: time(o.startedAt, `${path}.startedAt`), submittedAt: time(o.submittedAt, `${path}.submittedAt`),
    marks: arr(o.marks, `${path}.marks`, limits.maxMarks).map((m, i) => mark(m, `${path}.marks[${i}]`)),
    score: score(o.score, `${path}.score`, limits),
    facets: {
      modality: str(f.modality, `${path}.facets.modality`, 64),
      labels: arr(f.labels, `${path}.facets.labels`, 100).map((l, i) => str(l, `${path}.facets.labels[${i}]`, 200)),
      difficulty: orNull(f.difficulty, `${path}.facets.difficulty`, (x, q) => oneOf(x, q, [1, 2, 3, 4, 5] as const)),
      anatomy: str(f.anatomy, `${path}.facets.anatomy`, 200),
    },
  };
  if (o.stimulus !== undefined) {
    const s = obj(o.stimulus, `${path}.stimulus`);
    keys(s, `${path}.stimulus`, ['contrast', 'cnr', 'diameterMm']);
    attempt.stimulus = {
      contrast: num(s.contrast, `${path}.stimulus.contrast`), cnr: num(s.cnr, `${path}.stimulus.cnr`),
      diameterMm: nonNegative(s.diameterMm, `${path}.stimulus.diameterMm`),
    };
  }
  return attempt;
}
