// Reads a .lucid.zip into PacketContents, checking EVERYTHING first (limits, names, manifest, checksums, each DICOM
// parsed by the app's own reader) so the caller writes to storage only after this resolves: a bad packet changes
// nothing. Every failure is a named packet error (src/shared/errors.ts). Pure, thread-neutral (worker-friendly).
import { parseInstance } from '../../dicom/parseInstance';
import { DicomError, PacketCorruptError, PacketError, PacketSchemaError, PacketTooLargeError } from '../../shared/errors';
import type { InstanceHeader } from '../../shared/types';
import type { ImageRef } from '../model';
import { fail } from './check';
import { sha256Hex } from './digest';
import { MANIFEST_PATH, PACKET_LIMITS, formatBytes, type PacketContents, type PacketLimits, type PacketManifest } from './format';
import { migratePacket } from './migratePacket';
import { validateManifest } from './validateManifest';
import { readZipDirectory, readZipEntry, type InflateBudget, type ZipEntry } from './zipRead';

function parseManifest(bytes: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new PacketCorruptError(`This packet's manifest (${MANIFEST_PATH}) is not valid JSON (${(e as Error).message}). The file is damaged; export it again.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PacketCorruptError(`This packet's manifest (${MANIFEST_PATH}) is not a JSON object. The file is damaged; export it again.`);
  }
  return parsed as Record<string, unknown>;
}

function float32FromLittleEndian(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

/** Every entry the manifest lists must be in the zip, and the zip may hold nothing else. */
function matchEntries(m: PacketManifest, entries: Map<string, ZipEntry>): void {
  const listed = new Set<string>([MANIFEST_PATH]);
  const need = (path: string, where: string): void => {
    if (!entries.has(path)) throw new PacketCorruptError(`This packet is missing ${path} (${where}). The file is damaged or incomplete; export it again.`);
    listed.add(path);
  };
  m.images.forEach((e, i) => need(e.path, `images[${i}]`));
  m.outputs.forEach((e, i) => need(e.path, `outputs[${i}]`));
  m.modelCards.forEach((e, i) => need(e.path, `modelCards[${i}]`));
  for (const name of entries.keys()) {
    if (!listed.has(name)) throw new PacketSchemaError(`This packet's contents are not valid: it contains ${name}, which its manifest does not list. Lucid imported nothing from it.`);
  }
}

async function checkedBytes(bytes: Uint8Array, entry: ZipEntry, sha256: string, budget: InflateBudget, limits: PacketLimits): Promise<Uint8Array> {
  const out = readZipEntry(bytes, entry, budget, limits);
  if ((await sha256Hex(out)) !== sha256) {
    throw new PacketCorruptError(`${entry.name} in this packet does not match its sha256 in the manifest: it was altered or damaged. Lucid imported nothing from it.`);
  }
  return out;
}

/** The image references of the packet agree with the DICOM headers: same study and series, frame within the instance. */
function checkRefs(m: PacketManifest, headers: Map<string, InstanceHeader>): void {
  const check = (r: ImageRef, path: string): void => {
    const h = headers.get(r.sopInstanceUID)!;
    if (r.studyInstanceUID !== h.studyInstanceUID) fail(`${path}.studyInstanceUID`, `does not match the image's Study Instance UID ${h.studyInstanceUID}`);
    if (r.seriesInstanceUID !== h.seriesInstanceUID) fail(`${path}.seriesInstanceUID`, `does not match the image's Series Instance UID ${h.seriesInstanceUID}`);
    if (r.frame >= Math.max(1, h.frames)) fail(`${path}.frame`, `is past the image's last frame (${h.frames} frames)`);
  };
  m.cases.forEach((c, i) => {
    c.series.forEach((s, j) => s.sopInstanceUIDs.forEach((sop, k) => {
      if (headers.get(sop)!.seriesInstanceUID !== s.seriesInstanceUID) fail(`cases[${i}].series[${j}].sopInstanceUIDs[${k}]`, `is not in series ${s.seriesInstanceUID}`);
    }));
    c.keyImages.forEach((r, j) => check(r, `cases[${i}].keyImages[${j}]`));
    c.findings.forEach((f, j) => check(f.image, `cases[${i}].findings[${j}].image`));
    c.attachments.forEach((a, j) => check(a.source, `cases[${i}].attachments[${j}].source`));
  });
  m.annotations.forEach((a, i) => check(a.image, `annotations[${i}].image`));
}

async function readChecked(bytes: Uint8Array, limits: PacketLimits): Promise<PacketContents> {
  const entries = readZipDirectory(bytes, limits);
  const manifestEntry = entries.get(MANIFEST_PATH);
  if (!manifestEntry) throw new PacketCorruptError(`This file is not a Lucid packet: it has no ${MANIFEST_PATH}.`);
  if (manifestEntry.size > limits.maxManifestBytes) {
    throw new PacketTooLargeError(`This packet's manifest would unpack to ${formatBytes(manifestEntry.size)}; Lucid reads at most ${formatBytes(limits.maxManifestBytes)}.`);
  }
  const budget: InflateBudget = { remaining: limits.maxTotalBytes };
  const m = validateManifest(migratePacket(parseManifest(readZipEntry(bytes, manifestEntry, budget, limits))), limits);
  matchEntries(m, entries);

  const images = new Map<string, Uint8Array>();
  const headers = new Map<string, InstanceHeader>();
  for (const [i, e] of m.images.entries()) {
    const data = await checkedBytes(bytes, entries.get(e.path)!, e.sha256, budget, limits);
    if (data.length !== e.bytes) fail(`images[${i}].bytes`, `says ${e.bytes} but ${e.path} has ${data.length}`);
    let header: InstanceHeader;
    try {
      header = parseInstance(data).header;
    } catch (err) {
      if (!(err instanceof DicomError)) throw err;
      throw new PacketCorruptError(`${e.path} in this packet is not readable DICOM (${err.name}: ${err.message}).`);
    }
    if (header.sopInstanceUID !== e.sopInstanceUID) fail(`images[${i}].sopInstanceUID`, `is ${e.sopInstanceUID} but ${e.path} is the instance ${header.sopInstanceUID || '(none)'}`);
    images.set(e.sopInstanceUID, data);
    headers.set(e.sopInstanceUID, header);
  }
  checkRefs(m, headers);

  const outputs: PacketContents['outputs'] = new Map();
  for (const [i, e] of m.outputs.entries()) {
    const data = await checkedBytes(bytes, entries.get(e.path)!, e.sha256, budget, limits);
    if (data.length !== e.rows * e.columns * 4) fail(`outputs[${i}]`, `declares ${e.rows} × ${e.columns} float32 values but ${e.path} has ${data.length} bytes`);
    outputs.set(e.dataKey, { values: float32FromLittleEndian(data), rows: e.rows, columns: e.columns });
  }
  const modelCards: PacketContents['modelCards'] = {};
  for (const [i, e] of m.modelCards.entries()) {
    const data = await checkedBytes(bytes, entries.get(e.path)!, e.sha256, budget, limits);
    let markdown: string;
    try {
      markdown = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      fail(`modelCards[${i}]`, `names ${e.path}, which is not UTF-8 text`);
    }
    modelCards[e.modelId] = { sha256: e.modelSha256, markdown };
  }
  return { set: m.set, cases: m.cases, annotations: m.annotations, images, outputs, modelCards };
}

/**
 * The packet's contents, fully checked, or a named packet error (PACKET_ERROR_NAMES). Any unexpected failure while
 * reading hostile bytes is reported as PacketCorruptError, never as a stray RangeError.
 */
export async function readPacket(bytes: Uint8Array, limits: PacketLimits = PACKET_LIMITS): Promise<PacketContents> {
  try {
    return await readChecked(bytes, limits);
  } catch (e) {
    if (e instanceof PacketError) throw e;
    if (e instanceof RangeError && /allocation|memory|Array buffer/i.test(e.message)) {
      throw new PacketCorruptError(`This packet could not be unpacked in the memory available (${e.message}).`);
    }
    throw new PacketCorruptError(`This packet could not be read (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}). It may be damaged; export it again.`);
  }
}
