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
import { checkDeidentified } from '../src/teaching/packet/checkDeidentified';
import { PACKET_LIMITS, formatBytes } from '../src/teaching/packet/format';
import { PacketTooLargeError } from '../src/shared/errors';
import { openLucidDb } from '../src/storage/db';
import { gatherPacket, storePacket } from '../src/storage/packetStore';
import type { Annotation } from '../src/teaching/model';
import type { MeasurePixels } from '../src/shared/measure';
import { writeMeasurementReport, type MeasurementReportOptions, type SrSource } from '../src/dicom/writeSr';

export type LoadResult =
  | { ok: true; id: string; header: InstanceHeader }
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
  return {
    /** Parse and validate one file; ok: false carries the named error. Never throws for bad input. */
    async load(id: string, source: FileSource): Promise<LoadResult> {
      try {
        const parsed = parseInstance(await bytesOf(source));
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
    /** The packet of a stored set, read from IndexedDB here, as a Blob ready to download (no copy to the UI thread). */
    async exportStoredSet(setId: string): Promise<Blob> {
      const db = await openLucidDb();
      try {
        const bytes = await writePacket(await gatherPacket(db, setId));
        return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
      } finally { db.close(); }
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
     * (`instanceOf`: SOP Instance UID → id in this worker); region statistics use the decoded frames. Refused
     * (IdentifiedDataError) unless every referenced instance is marked de-identified, like a packet.
     */
    async exportSr(annotations: Annotation[], instanceOf: Record<string, string>, options: MeasurementReportOptions = {}): Promise<Uint8Array> {
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
      checkDeidentified([...sources.values()].map((s) => s.header));
      return writeMeasurementReport(annotations, sources, options);
    },
    /** Everything in a packet, validated end to end (named packet errors), before anything is stored. */
    async importPacket(bytes: Uint8Array): Promise<PacketContents> {
      return readPacket(bytes);
    },
  };
}
export type DecodeApi = ReturnType<typeof createDecodeApi>;
