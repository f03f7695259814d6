// Validators for the teaching records inside a packet manifest (src/teaching/model.ts shapes): every field's type,
// points finite (source-image pixels), frames whole numbers ≥ 0, difficulty 1–5. They return the value typed, checked
// key by key, so nothing unchecked reaches storage. Pure, thread-neutral; cross-references are in validateManifest.ts.
import {
  ANNOTATION_KINDS, DIFFICULTIES, POINT_COUNT, TEACHING_SCHEMA_VERSION,
  type Annotation, type Case, type Finding, type ImageRef, type ModelAttachment, type Point, type Region, type SeriesRef, type TeachingSet,
} from '../model';
import { arr, fail, int, keys, num, obj, oneOf, str, uid, type Path } from './check';
import { MODEL_IDS } from '../../../models/catalog';

export function point(v: unknown, path: Path): Point {
  const o = obj(v, path);
  keys(o, path, ['x', 'y']);
  return { x: num(o.x, `${path}.x`), y: num(o.y, `${path}.y`) };
}

function points(v: unknown, path: Path, min: number, max: number): Point[] {
  const list = arr(v, path, max);
  if (list.length < min) fail(path, `needs at least ${min} points`);
  return list.map((p, i) => point(p, `${path}[${i}]`));
}

export function imageRef(v: unknown, path: Path): ImageRef {
  const o = obj(v, path);
  keys(o, path, ['studyInstanceUID', 'seriesInstanceUID', 'sopInstanceUID', 'frame']);
  return {
    studyInstanceUID: uid(o.studyInstanceUID, `${path}.studyInstanceUID`),
    seriesInstanceUID: uid(o.seriesInstanceUID, `${path}.seriesInstanceUID`),
    sopInstanceUID: uid(o.sopInstanceUID, `${path}.sopInstanceUID`),
    frame: int(o.frame, `${path}.frame`, 0, 100_000),
  };
}

function region(v: unknown, path: Path, maxPoints: number): Region {
  const o = obj(v, path);
  const kind = oneOf(o.kind, `${path}.kind`, ['point', 'box', 'ellipse', 'freehand'] as const);
  switch (kind) {
    case 'point':
      keys(o, path, ['kind', 'point']);
      return { kind, point: point(o.point, `${path}.point`) };
    case 'box':
    case 'ellipse': {
      keys(o, path, ['kind', 'corners']);
      const c = points(o.corners, `${path}.corners`, 2, 2);
      return { kind, corners: [c[0]!, c[1]!] };
    }
    case 'freehand':
      keys(o, path, ['kind', 'points']);
      return { kind, points: points(o.points, `${path}.points`, 3, maxPoints) };
  }
}

function finding(v: unknown, path: Path, maxPoints: number): Finding {
  const o = obj(v, path);
  keys(o, path, ['id', 'image', 'region', 'label', 'difficulty', 'explanation', 'toleranceMm']);
  const tolerance = o.toleranceMm === null ? null : num(o.toleranceMm, `${path}.toleranceMm`);
  if (tolerance !== null && tolerance < 0) fail(`${path}.toleranceMm`, 'must not be negative');
  return {
    id: str(o.id, `${path}.id`, 200),
    image: imageRef(o.image, `${path}.image`),
    region: region(o.region, `${path}.region`, maxPoints),
    label: str(o.label, `${path}.label`),
    difficulty: oneOf(o.difficulty, `${path}.difficulty`, DIFFICULTIES),
    explanation: str(o.explanation, `${path}.explanation`),
    toleranceMm: tolerance,
  };
}

function series(v: unknown, path: Path): SeriesRef {
  const o = obj(v, path);
  keys(o, path, ['studyInstanceUID', 'seriesInstanceUID', 'modality', 'description', 'sopInstanceUIDs']);
  return {
    studyInstanceUID: uid(o.studyInstanceUID, `${path}.studyInstanceUID`),
    seriesInstanceUID: uid(o.seriesInstanceUID, `${path}.seriesInstanceUID`),
    modality: str(o.modality, `${path}.modality`, 16),
    description: str(o.description, `${path}.description`),
    sopInstanceUIDs: arr(o.sopInstanceUIDs, `${path}.sopInstanceUIDs`).map((s, i) => uid(s, `${path}.sopInstanceUIDs[${i}]`)),
  };
}

function attachment(v: unknown, path: Path): ModelAttachment {
  const o = obj(v, path);
  keys(o, path, ['id', 'modelId', 'modelSha256', 'source', 'kind', 'rows', 'columns', 'dataKey', 'createdAt']);
  return {
    id: str(o.id, `${path}.id`, 200),
    modelId: oneOf(o.modelId, `${path}.modelId`, MODEL_IDS),
    modelSha256: str(o.modelSha256, `${path}.modelSha256`, 200),
    source: imageRef(o.source, `${path}.source`),
    kind: oneOf(o.kind, `${path}.kind`, ['enhanced', 'anomaly-map'] as const),
    rows: int(o.rows, `${path}.rows`, 1, 65_535),
    columns: int(o.columns, `${path}.columns`, 1, 65_535),
    dataKey: str(o.dataKey, `${path}.dataKey`, 500),
    createdAt: num(o.createdAt, `${path}.createdAt`),
  };
}

const CASE_KEYS = ['id', 'schemaVersion', 'setId', 'title', 'series', 'keyImages', 'history', 'question', 'findings',
  'diagnosis', 'discussion', 'attachments', 'createdAt', 'updatedAt'] as const;

export function teachingCase(v: unknown, path: Path, maxPoints: number): Case {
  const o = obj(v, path);
  keys(o, path, CASE_KEYS);
  return {
    id: str(o.id, `${path}.id`, 200),
    schemaVersion: oneOf(o.schemaVersion, `${path}.schemaVersion`, [TEACHING_SCHEMA_VERSION]),
    setId: str(o.setId, `${path}.setId`, 200),
    title: str(o.title, `${path}.title`),
    series: arr(o.series, `${path}.series`).map((s, i) => series(s, `${path}.series[${i}]`)),
    keyImages: arr(o.keyImages, `${path}.keyImages`).map((r, i) => imageRef(r, `${path}.keyImages[${i}]`)),
    history: str(o.history, `${path}.history`),
    question: str(o.question, `${path}.question`),
    findings: arr(o.findings, `${path}.findings`).map((f, i) => finding(f, `${path}.findings[${i}]`, maxPoints)),
    diagnosis: str(o.diagnosis, `${path}.diagnosis`),
    discussion: str(o.discussion, `${path}.discussion`),
    attachments: arr(o.attachments, `${path}.attachments`).map((a, i) => attachment(a, `${path}.attachments[${i}]`)),
    createdAt: num(o.createdAt, `${path}.createdAt`),
    updatedAt: num(o.updatedAt, `${path}.updatedAt`),
  };
}

export function teachingSet(v: unknown, path: Path): TeachingSet {
  const o = obj(v, path);
  keys(o, path, ['id', 'schemaVersion', 'title', 'author', 'description', 'caseIds', 'vocabulary', 'createdAt', 'updatedAt']);
  return {
    id: str(o.id, `${path}.id`, 200),
    schemaVersion: oneOf(o.schemaVersion, `${path}.schemaVersion`, [TEACHING_SCHEMA_VERSION]),
    title: str(o.title, `${path}.title`),
    author: str(o.author, `${path}.author`),
    description: str(o.description, `${path}.description`),
    caseIds: arr(o.caseIds, `${path}.caseIds`).map((c, i) => str(c, `${path}.caseIds[${i}]`, 200)),
    vocabulary: arr(o.vocabulary, `${path}.vocabulary`).map((w, i) => str(w, `${path}.vocabulary[${i}]`, 1000)),
    createdAt: num(o.createdAt, `${path}.createdAt`),
    updatedAt: num(o.updatedAt, `${path}.updatedAt`),
  };
}

export function annotation(v: unknown, path: Path, maxPoints: number): Annotation {
  const o = obj(v, path);
  keys(o, path, ['id', 'kind', 'image', 'points', 'label', 'text', 'createdAt', 'updatedAt']);
  const kind = oneOf(o.kind, `${path}.kind`, ANNOTATION_KINDS);
  const count = POINT_COUNT[kind];
  return {
    id: str(o.id, `${path}.id`, 200),
    kind,
    image: imageRef(o.image, `${path}.image`),
    points: count === 'many' ? points(o.points, `${path}.points`, 3, maxPoints) : points(o.points, `${path}.points`, count, count),
    label: str(o.label, `${path}.label`),
    text: str(o.text, `${path}.text`),
    createdAt: num(o.createdAt, `${path}.createdAt`),
    updatedAt: num(o.updatedAt, `${path}.updatedAt`),
  };
}
