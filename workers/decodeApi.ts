// The decode worker's API: parse files, keep them by id, decode frames on request (PS3.10 files → PixelFrame).
// Worker thread (also importable in Node for contract tests). No DOM. Compressed files are decoded once at load
// so corrupt pixel data is reported with the file, not later when someone scrolls to it.
import { parseInstance, type ParsedInstance } from '../src/dicom/parseInstance';
import { decodeFrame } from '../src/dicom/decodeFrame';
import { validatePixelModule } from '../src/dicom/validatePixelModule';
import { LimitExceededError, toErrorInfo, type ErrorInfo } from '../src/shared/errors';
import { LIMITS } from '../src/shared/limits';
import type { InstanceHeader, PixelFrame } from '../src/shared/types';
import type { PacketContents } from '../src/teaching/packet/format';
import { readPacket } from '../src/teaching/packet/readPacket';
import { writePacket } from '../src/teaching/packet/writePacket';
import { deidentify } from '../src/dicom/deidentify/deidentify';
import { instanceIdentity, type InstanceIdentity } from '../src/dicom/deidentify/identity';
import { tagList, type TagRow } from '../src/dicom/tagList';
import type { DeidOptions } from '../src/dicom/deidentify/rules';
import { burnedInOfInstance, detectCornerText, type BurnedInReason } from '../src/dicom/burnedIn';
import { deidentifyPacket } from '../src/teaching/packet/deidentifyPacket';
import { deidSecret } from '../src/storage/deidSecret';
import { newUid, writeDerived } from '../src/dicom/writeDerived';
import { zipSync } from 'fflate';
import { PACKET_LIMITS, formatBytes } from '../src/teaching/packet/format';
import { BurnedInTextError, PacketTooLargeError } from '../src/shared/errors';
import { openLucidDb } from '../src/storage/db';
import { gatherPacket, storePacket } from '../src/storage/packetStore';
import type { Annotation } from '../src/teaching/model';
import type { MeasurePixels } from '../src/shared/measure';
import { writeMeasurementReport, type MeasurementReportOptions, type SrSource } from '../src/dicom/writeSr';
import { screeningAlgorithm, type AnomalyRegion } from '../src/dicom/writeAnomalySr';
import { writeScreeningSeg, writeScreeningSr, writeTeachingKey, type ScreenedFrame } from '../src/dicom/screeningObjects';
import type { Finding } from '../src/teaching/model';
import { MODEL_CATALOG } from '../models/catalog';
import { isStructuredReport, readStructuredReport, type StructuredReport } from '../src/dicom/readSr';

/** What the user chose in the export dialog: the de-identification options, or keeping identity (SR only). */
export interface ExportPrivacy { options: DeidOptions; keepIdentity?: boolean; acknowledgedBurnedIn?: boolean }

/** One enhanced slice to export as a derived DICOM image: the loaded source instance and the model's output. */
export interface DerivedSlice { id: string; values: Float32Array; rows: number; columns: number }
export interface DerivedModel { modelId: string; modelTitle: string; sha256: string; scale: number }

/** A screened series for DICOM export: each screened frame's score map and its regions at the chosen threshold. */
export interface ScreeningExport {
  /** Score-map threshold (model score, 0–1) and what region peaks are divided by. */
  threshold: number;
  reference: number;
  frames: { id: string; frame: number; scores: Float32Array; regions: Pick<AnomalyRegion, 'box' | 'score'>[] }[];
}

/** An SR and a SEG as they leave: as written when identity is kept, else both de-identified with the same secret. */
async function srAndSeg(o: { sr: Uint8Array; seg: Uint8Array | null }, privacy: ExportPrivacy): Promise<{ sr: Uint8Array; seg: Uint8Array | null }> {
  if (privacy.keepIdentity) return o;
  const db = await openLucidDb();
  try {
    const secret = await deidSecret(db, 'review');
    return { sr: deidentify(o.sr, secret, privacy.options).bytes, seg: o.seg && deidentify(o.seg, secret, privacy.options).bytes };
  } finally { db.close(); }
}

/** An image that may carry burned-in text, for the warning the user must acknowledge before export. */
export interface BurnedInWarning { sopInstanceUID: string; label: string; reasons: BurnedInReason[] }

/** Header reasons plus text-like blocks in the corners of frame 0 (decoded here; a frame that fails is not a reason). */
async function burnedInOf(parsed: ParsedInstance): Promise<BurnedInReason[]> {
  const reasons = burnedInOfInstance(parsed.dataSet, parsed.header);
  if (parsed.header.pixelKind !== 'none') {
    try { if (detectCornerText(await decodeFrame(parsed, 0)).found) reasons.push('corner-text'); } catch { /* reported when viewed */ }
  }
  return reasons;
}

/** The worker's own gate: without the user's acknowledgement, any image that may carry burned-in text stops the export. */
async function refuseUnacknowledgedBurnedIn(sources: Iterable<ParsedInstance>, what: string): Promise<void> {
  for (const parsed of sources) {
    if ((await burnedInOf(parsed)).length) throw new BurnedInTextError(`Some ${what} may carry text burned into the pixels, which de-identification does not remove. Look at them and confirm before exporting.`);
  }
}

export type LoadResult =
  /** `report`: a structured report (no image): its measurement groups, to show beside the images it points at. */
  | { ok: true; id: string; header: InstanceHeader; report?: StructuredReport }
  | { ok: false; id: string; error: ErrorInfo };

/** Anything with bytes: a File/Blob from a drop or picker, or an ArrayBuffer (transferred). */
export type FileSource = Blob | ArrayBuffer;

async function bytesOf(source: FileSource): Promise<Uint8Array> {
  const size = source instanceof ArrayBuffer ? source.byteLength : source.size;
  // Refuse before reading: a huge file must not be pulled into memory just to be rejected.
  if (size > LIMITS.maxFileBytes) throw new LimitExceededError(`File of ${size} bytes is larger than ${LIMITS.maxFileBytes}`);
  return new Uint8Array(source instanceof ArrayBuffer ? source : await source.arrayBuffer());
}

export function createDecodeApi() {
  const instances = new Map<string, ParsedInstance>();
  /** Enhanced slices as the instances of one new derived series, de-identified unless kept (for a zip or STOW-RS). */
  async function derivedFiles(slices: DerivedSlice[], model: DerivedModel, privacy: ExportPrivacy): Promise<Uint8Array[]> {
    const sources = slices.map((s) => {
      const parsed = instances.get(s.id);
      if (!parsed) throw Object.assign(new Error(`The image ${s.id} is not open; open its study to export it`), { name: 'NotLoadedError' });
      return parsed;
    });
    if (!privacy.keepIdentity && !privacy.acknowledgedBurnedIn) await refuseUnacknowledgedBurnedIn(sources, 'of these images');
    const db = privacy.keepIdentity ? null : await openLucidDb();
    try {
      const secret = db ? await deidSecret(db, 'review') : null;
      const series = newUid();
      return slices.map((s, i) => {
        const bytes = writeDerived(sources[i]!, { rows: s.rows, columns: s.columns, frames: [s.values], scale: model.scale }, { ...model, seriesInstanceUID: series, sopInstanceUID: newUid() });
        return secret ? deidentify(bytes, secret, { ...privacy.options, cleanDescriptors: true }).bytes : bytes;
      });
    } finally { db?.close(); }
  }
  return {
    /** Parse and validate one file; ok: false carries the named error. Never throws for bad input. */
    async load(id: string, source: FileSource): Promise<LoadResult> {
      try {
        const parsed = parseInstance(await bytesOf(source));
        if (isStructuredReport(parsed.header.sopClassUID)) return { ok: true, id, header: parsed.header, report: readStructuredReport(parsed.dataSet) };
        const ts = validatePixelModule(parsed.header, parsed.dataSet);
        if (ts.encoding !== 'native') await decodeFrame(parsed, 0);
        instances.set(id, parsed);
        return { ok: true, id, header: parsed.header };
      } catch (e) {
        return { ok: false, id, error: toErrorInfo(e) };
      }
    },
    /** Stored values of one frame; throws a named error (e.g. CorruptPixelDataError, or NotLoadedError). */
    async decode(id: string, frame: number): Promise<PixelFrame> {
      const parsed = instances.get(id);
      if (!parsed) {
        const err = new Error(`Instance ${id} is not loaded in this worker`);
        err.name = 'NotLoadedError';
        throw err;
      }
      return decodeFrame(parsed, frame);
    },
    has(id: string): boolean {
      return instances.has(id);
    },
    release(ids: string[]): void {
      for (const id of ids) instances.delete(id);
    },
    count(): number {
      return instances.size;
    },
    /**
     * A teaching packet of `contents`: refused (IdentifiedDataError) unless every instance says Patient Identity
     * Removed = YES — each file's own header is read here, not taken on trust from the caller.
     */
    async exportPacket(contents: PacketContents): Promise<Uint8Array> {
      return writePacket(contents); // parses every image: SOP UID, and Patient Identity Removed (checkDeidentified)
    },
    /** Images of a stored set that may carry burned-in text: shown, and acknowledged, before the set is exported. */
    async checkStoredSet(setId: string): Promise<BurnedInWarning[]> {
      const db = await openLucidDb();
      try {
        const { images, cases } = await gatherPacket(db, setId);
        const out: BurnedInWarning[] = [];
        for (const [sop, bytes] of images) {
          const reasons = await burnedInOf(parseInstance(bytes));
          const c = cases.find((x) => x.series.some((s) => s.sopInstanceUIDs.includes(sop)));
          if (reasons.length) out.push({ sopInstanceUID: sop, label: c ? c.title || 'untitled case' : 'image', reasons });
        }
        return out;
      } finally { db.close(); }
    },
    /**
     * The packet of a stored set, read from IndexedDB here, de-identified with the set's own secret (PS3.15 engine:
     * images, and every UID the cases and marks hold), as a Blob ready to download. Refused (BurnedInTextError) while
     * an image that may carry burned-in text has not been acknowledged. Packets are always de-identified.
     */
    async exportStoredSet(setId: string, privacy: ExportPrivacy = { options: {} }): Promise<Blob> {
      const db = await openLucidDb();
      try {
        const contents = await gatherPacket(db, setId);
        if (!privacy.acknowledgedBurnedIn) await refuseUnacknowledgedBurnedIn([...contents.images.values()].map((b) => parseInstance(b)), 'images of this set');
        const { contents: clean } = deidentifyPacket(contents, await deidSecret(db, `set:${setId}`), privacy.options);
        const bytes = await writePacket(clean);
        return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
      } finally { db.close(); }
    },
    /** Loaded instances that may carry burned-in text (header reasons, text in the corners of frame 0). */
    async checkInstances(ids: string[]): Promise<BurnedInWarning[]> {
      const out: BurnedInWarning[] = [];
      for (const id of ids) {
        const parsed = instances.get(id);
        const reasons = parsed ? await burnedInOf(parsed) : [];
        if (parsed && reasons.length) out.push({ sopInstanceUID: parsed.header.sopInstanceUID, label: `image ${parsed.header.instanceNumber ?? ''}`.trim(), reasons });
      }
      return out;
    },
    /**
     * Enhanced slices as one derived series (one new Series UID; writeDerived keeps HU and names the model and its
     * sha256), zipped as IM00001.dcm…; de-identified with this browser's review secret (Clean Descriptors added, so the
     * Derivation Description naming the model survives) unless identity is kept. Burned-in text must be acknowledged.
     */
    async exportDerived(slices: DerivedSlice[], model: DerivedModel, privacy: ExportPrivacy): Promise<Blob> {
      const files: Record<string, Uint8Array> = {};
      (await derivedFiles(slices, model, privacy)).forEach((bytes, i) => { files[`IM${String(i + 1).padStart(5, '0')}.dcm`] = bytes; });
      return new Blob([zipSync(files, { level: 0 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
    },
    derivedFiles,
    /** Which attributes of a loaded instance carry identity, and whether it says it was de-identified. */
    identityOf(id: string): InstanceIdentity | null {
      const parsed = instances.get(id);
      return parsed ? instanceIdentity(parsed.dataSet) : null;
    },
    /** The tag browser's rows; with `hideIdentity` identifying values are not sent to the UI thread at all. */
    tagsOf(id: string, hideIdentity: boolean): TagRow[] | null {
      const parsed = instances.get(id);
      return parsed ? tagList(parsed.dataSet, { hideIdentity }) : null;
    },
    /**
     * Reads, validates and stores a packet file in one transaction, all in this worker; the UI thread only learns
     * which set arrived. A file larger than the packet limit is refused before it is read.
     */
    async importPacketFile(file: Blob): Promise<{ setId: string; title: string; cases: number }> {
      if (file.size > PACKET_LIMITS.maxPacketBytes) throw new PacketTooLargeError(`This packet is ${formatBytes(file.size)}; Lucid reads packets of at most ${formatBytes(PACKET_LIMITS.maxPacketBytes)}.`);
      const contents = await readPacket(new Uint8Array(await file.arrayBuffer()));
      const db = await openLucidDb();
      try { await storePacket(db, contents); } finally { db.close(); }
      return { setId: contents.set.id, title: contents.set.title, cases: contents.cases.length };
    },
    /**
     * The annotations as a DICOM SR measurement report (TID 1500), from the loaded instances they refer to
     * (`instanceOf`: SOP Instance UID → id in this worker); region statistics use the decoded frames. De-identified
     * (PS3.15 engine, this browser's review secret, so the references match images it exported) unless the user
     * explicitly kept identity.
     */
    async exportSr(annotations: Annotation[], instanceOf: Record<string, string>, options: MeasurementReportOptions = {}, privacy: ExportPrivacy = { options: {} }): Promise<Uint8Array> {
      const sources = new Map<string, SrSource>();
      for (const sop of new Set(annotations.map((a) => a.image.sopInstanceUID))) {
        const parsed = instances.get(instanceOf[sop] ?? '');
        if (!parsed) throw Object.assign(new Error(`The image ${sop} is not open; open its study to export its measurements`), { name: 'NotLoadedError' });
        const frames = new Map<number, MeasurePixels>();
        for (const f of new Set(annotations.filter((a) => a.image.sopInstanceUID === sop).map((a) => a.image.frame))) {
          const px = await decodeFrame(parsed, f);
          if (px.samples === 1) frames.set(f, { values: px.data, rows: px.rows, columns: px.columns, slope: parsed.header.rescaleSlope, intercept: parsed.header.rescaleIntercept });
        }
        sources.set(sop, { header: parsed.header, pixels: (f) => frames.get(f) ?? null });
      }
      const sr = writeMeasurementReport(annotations, sources, options);
      if (privacy.keepIdentity) return sr;
      const db = await openLucidDb();
      try { return deidentify(sr, await deidSecret(db, 'review'), privacy.options).bytes; } finally { db.close(); }
    },
    /**
     * A screened series as two DICOM objects: an SR (TID 1500: each region with its score, the model's name, version and
     * sha256 as the device observer and algorithm) and a SEG (the thresholded score map). Identity is kept when
     * `privacy.keepIdentity` (stored back into the PACS the images came from), else both go through de-identification
     * with the same secret, so their references still point at the de-identified images.
     */
    async screeningObjects(input: ScreeningExport, privacy: ExportPrivacy = { options: {} }): Promise<{ sr: Uint8Array; seg: Uint8Array | null }> {
      const parsedOf = (id: string) => {
        const parsed = instances.get(id);
        if (!parsed) throw Object.assign(new Error(`The image ${id} is not open; open its series to export its screening`), { name: 'NotLoadedError' });
        return parsed;
      };
      const algorithm = screeningAlgorithm(MODEL_CATALOG.anomaly, input.threshold, input.reference);
      const frames: ScreenedFrame[] = input.frames.map((f) => {
        const parsed = parsedOf(f.id);
        return { source: { header: parsed.header, dataSet: parsed.dataSet }, frame: f.frame, scores: f.scores, regions: f.regions };
      });
      const sr = writeScreeningSr(algorithm, frames);
      const seg = writeScreeningSeg(algorithm, frames);
      return srAndSeg({ sr, seg }, privacy);
    },
    /** A teaching case's findings as an SR and a SEG (see writeTeachingKey); de-identified unless kept. */
    async teachingKey(findings: Finding[], instanceOf: Record<string, string>, privacy: ExportPrivacy = { options: {} }): Promise<{ sr: Uint8Array; seg: Uint8Array | null }> {
      const sources = new Map<string, SrSource>();
      for (const sop of new Set(findings.map((f) => f.image.sopInstanceUID))) {
        const parsed = instances.get(instanceOf[sop] ?? '');
        if (!parsed) throw Object.assign(new Error(`The image ${sop} is not open; open the case's series to send its key`), { name: 'NotLoadedError' });
        sources.set(sop, { header: parsed.header, dataSet: parsed.dataSet });
      }
      const { sr, seg } = writeTeachingKey(findings, sources, privacy.keepIdentity ? 'copy' : 'deidentified-only');
      return srAndSeg({ sr, seg }, privacy);
    },
    /** Everything in a packet, validated end to end (named packet errors), before anything is stored. */
    async importPacket(bytes: Uint8Array): Promise<PacketContents> {
      return readPacket(bytes);
    },
  };
}
