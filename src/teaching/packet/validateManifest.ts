// Validates a (migrated) packet manifest: its shape, its limits and every cross-reference — cases ↔ set, ids unique,
// each referenced SOP Instance UID in the image index and each indexed image referenced, outputs ↔ attachments, model
// cards for every attachment. Files' bytes are checked by readPacket. Pure, thread-neutral.
import { PacketTooLargeError } from '../../shared/errors';
import type { ImageRef } from '../model';
import { arr, fail, int, keys, num, obj, oneOf, sha256, str, uid, unique } from './check';
import {
  PACKET_FORMAT, PACKET_SCHEMA_VERSION, packetPath,
  type ImageIndexEntry, type ModelCardIndexEntry, type OutputIndexEntry, type PacketLimits, type PacketManifest,
} from './format';
import { annotation, teachingCase, teachingSet } from './validateRecords';

const MANIFEST_KEYS = ['format', 'schemaVersion', 'appVersion', 'createdAt', 'set', 'cases', 'annotations', 'images', 'outputs', 'modelCards'] as const;

function imageIndex(v: unknown, limits: PacketLimits): ImageIndexEntry[] {
  return arr(v, 'images', limits.maxEntries).map((e, i) => {
    const p = `images[${i}]`;
    const o = obj(e, p);
    keys(o, p, ['sopInstanceUID', 'path', 'sha256', 'bytes']);
    return {
      sopInstanceUID: uid(o.sopInstanceUID, `${p}.sopInstanceUID`),
      path: oneOf(o.path, `${p}.path`, [packetPath.image(i)]),
      sha256: sha256(o.sha256, `${p}.sha256`),
      bytes: int(o.bytes, `${p}.bytes`, 1, limits.maxEntryBytes),
    };
  });
}

function outputIndex(v: unknown, limits: PacketLimits): OutputIndexEntry[] {
  return arr(v, 'outputs', limits.maxEntries).map((e, i) => {
    const p = `outputs[${i}]`;
    const o = obj(e, p);
    keys(o, p, ['dataKey', 'path', 'rows', 'columns', 'sha256']);
    return {
      dataKey: str(o.dataKey, `${p}.dataKey`, 500),
      path: oneOf(o.path, `${p}.path`, [packetPath.output(i)]),
      rows: int(o.rows, `${p}.rows`, 1, 65_535),
      columns: int(o.columns, `${p}.columns`, 1, 65_535),
      sha256: sha256(o.sha256, `${p}.sha256`),
    };
  });
}

function modelCardIndex(v: unknown, limits: PacketLimits): ModelCardIndexEntry[] {
  return arr(v, 'modelCards', limits.maxEntries).map((e, i) => {
    const p = `modelCards[${i}]`;
    const o = obj(e, p);
    keys(o, p, ['modelId', 'path', 'modelSha256', 'sha256']);
    const modelId = str(o.modelId, `${p}.modelId`, 64);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(modelId)) fail(`${p}.modelId`, 'must be a model id (lower-case letters, digits, ".", "_", "-")');
    return {
      modelId,
      path: oneOf(o.path, `${p}.path`, [packetPath.modelCard(i)]),
      modelSha256: str(o.modelSha256, `${p}.modelSha256`, 200),
      sha256: sha256(o.sha256, `${p}.sha256`),
    };
  });
}

/** Shape, limits and cross-references of a manifest already at PACKET_SCHEMA_VERSION. */
export function validateManifest(raw: unknown, limits: PacketLimits): PacketManifest {
  const o = obj(raw, 'manifest');
  // Counts first: refusing 10,000 cases must not cost validating them.
  if (Array.isArray(o.cases) && o.cases.length > limits.maxCases) {
    throw new PacketTooLargeError(`This packet holds ${o.cases.length} cases; Lucid imports at most ${limits.maxCases} in one set. Split the set and export it in parts.`);
  }
  if (Array.isArray(o.annotations) && o.annotations.length > limits.maxAnnotations) {
    throw new PacketTooLargeError(`This packet holds ${o.annotations.length} annotations; Lucid imports at most ${limits.maxAnnotations}.`);
  }
  keys(o, 'manifest', MANIFEST_KEYS);
  const m: PacketManifest = {
    format: oneOf(o.format, 'format', [PACKET_FORMAT] as const),
    schemaVersion: oneOf(o.schemaVersion, 'schemaVersion', [PACKET_SCHEMA_VERSION]),
    appVersion: str(o.appVersion, 'appVersion', 100),
    createdAt: num(o.createdAt, 'createdAt'),
    set: teachingSet(o.set, 'set'),
    cases: arr(o.cases, 'cases').map((c, i) => teachingCase(c, `cases[${i}]`, limits.maxPoints)),
    annotations: arr(o.annotations, 'annotations').map((a, i) => annotation(a, `annotations[${i}]`, limits.maxPoints)),
    images: imageIndex(o.images, limits),
    outputs: outputIndex(o.outputs, limits),
    modelCards: modelCardIndex(o.modelCards, limits),
  };
  crossCheck(m);
  return m;
}

function crossCheck(m: PacketManifest): void {
  const caseIds = new Set<string>();
  m.set.caseIds.forEach((id, i) => unique(caseIds, id, `set.caseIds[${i}]`));
  const seenCases = new Set<string>();
  const findingIds = new Set<string>();
  const attachmentIds = new Set<string>();
  const refs: [ImageRef | string, string][] = [];
  m.cases.forEach((c, i) => {
    const p = `cases[${i}]`;
    unique(seenCases, c.id, `${p}.id`);
    if (c.setId !== m.set.id) fail(`${p}.setId`, `must be the set's id ${JSON.stringify(m.set.id)}`);
    if (!caseIds.has(c.id)) fail(`${p}.id`, 'is not listed in set.caseIds');
    c.series.forEach((s, j) => s.sopInstanceUIDs.forEach((sop, k) => refs.push([sop, `${p}.series[${j}].sopInstanceUIDs[${k}]`])));
    c.keyImages.forEach((r, j) => refs.push([r, `${p}.keyImages[${j}]`]));
    c.findings.forEach((f, j) => {
      unique(findingIds, f.id, `${p}.findings[${j}].id`);
      refs.push([f.image, `${p}.findings[${j}].image`]);
    });
    c.attachments.forEach((a, j) => {
      unique(attachmentIds, a.id, `${p}.attachments[${j}].id`);
      refs.push([a.source, `${p}.attachments[${j}].source`]);
    });
  });
  m.set.caseIds.forEach((id, i) => { if (!seenCases.has(id)) fail(`set.caseIds[${i}]`, `names a case (${JSON.stringify(id)}) the packet does not contain`); });
  const annotationIds = new Set<string>();
  m.annotations.forEach((a, i) => {
    unique(annotationIds, a.id, `annotations[${i}].id`);
    refs.push([a.image, `annotations[${i}].image`]);
  });

  const images = new Set<string>();
  m.images.forEach((e, i) => unique(images, e.sopInstanceUID, `images[${i}].sopInstanceUID`));
  const used = new Set<string>();
  for (const [ref, path] of refs) {
    const sop = typeof ref === 'string' ? ref : ref.sopInstanceUID;
    if (!images.has(sop)) fail(typeof ref === 'string' ? path : `${path}.sopInstanceUID`, `refers to an image (${sop}) the packet does not contain`);
    used.add(sop);
  }
  m.images.forEach((e, i) => { if (!used.has(e.sopInstanceUID)) fail(`images[${i}]`, `is an image (${e.sopInstanceUID}) no case or annotation uses`); });

  const outputs = new Map<string, OutputIndexEntry>();
  m.outputs.forEach((e, i) => {
    if (outputs.has(e.dataKey)) fail(`outputs[${i}].dataKey`, `repeats the key ${JSON.stringify(e.dataKey)}`);
    outputs.set(e.dataKey, e);
  });
  const cards = new Set<string>();
  m.modelCards.forEach((e, i) => unique(cards, e.modelId, `modelCards[${i}].modelId`));
  const usedOutputs = new Set<string>();
  m.cases.forEach((c, i) => c.attachments.forEach((a, j) => {
    const p = `cases[${i}].attachments[${j}]`;
    const out = outputs.get(a.dataKey);
    if (!out) fail(`${p}.dataKey`, 'refers to a model output the packet does not contain');
    if (out.rows !== a.rows || out.columns !== a.columns) fail(`${p}.rows`, `and columns do not match the output's ${out.rows} × ${out.columns}`);
    if (!cards.has(a.modelId)) fail(`${p}.modelId`, `has no model card in the packet (modelCards lacks ${JSON.stringify(a.modelId)})`);
    usedOutputs.add(a.dataKey);
  }));
  m.outputs.forEach((e, i) => { if (!usedOutputs.has(e.dataKey)) fail(`outputs[${i}]`, 'is a model output no case attaches'); });
}
