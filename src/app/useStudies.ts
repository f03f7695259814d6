// Loading state for the workbench: files → decode worker → headers → studies/series, with progress and the
// "not loaded" list. UI thread. Holds headers and ids only; pixels stay in the worker and cornerstone's cache.
import { useCallback, useMemo, useRef, useState } from 'react';
import { groupSeries, type InstanceRef, type Study } from '../dicom/groupSeries';
import type { InstanceHeader } from '../shared/types';
import type { Annotation, Finding } from '../teaching/model';
import type { DerivedModel, DerivedSlice, ExportPrivacy, ScreeningExport } from '../../workers/decodeApi';
import type { MeasurementReportOptions } from '../dicom/writeSr';
import type { ErrorInfo } from '../shared/errors';
import type { StructuredReport } from '../dicom/readSr';
import type { PickedFile } from '../sources/localFiles';
import { createDecodeClient, decodeTimeoutMs, type DecodeClient } from '../sources/decodeClient';
import { isLarge, loadOrder, medianSize } from '../sources/loadOrder';
import { parseImageId } from '../viewer/cornerstoneSetup';

export interface Failure { path: string; error: ErrorInfo }
/** A structured report that was opened (an SR has no image: its findings are shown beside the images it points at). */
export interface OpenReport { id: string; header: InstanceHeader; report: StructuredReport }
/** Files that arrive one by one (a PACS retrieval), with how many are expected (for the counter). */
export interface FileStream { files: AsyncIterable<PickedFile>; expected: number }
/** A file that loadOrder reads last, while it is read: shown by name and size, so a user sees why loading takes time. */
export interface LargeRead { key: number; name: string; bytes: number }
/** Files read of the files the user opened, and the large ones being read now (in the order they were started). */
export interface Progress { done: number; total: number; large: LargeRead[] }

/** Files read at once by the worker: enough to hide latency, few enough that the first image is early. */
const CONCURRENCY = 4;
/** Coalesce state updates so 300 files do not cause 300 renders. */
const FLUSH_MS = 100;

export function useStudies() {
  const client = useRef<DecodeClient | null>(null);
  // ?decodeTimeout=<seconds> sets the worker's hang budget (a slow machine; the browser tests' slow files).
  if (client.current === null) client.current = createDecodeClient(undefined, { timeoutMs: decodeTimeoutMs(globalThis.location?.search ?? '') });
  const headers = useRef(new Map<string, InstanceHeader>());
  /** The file each good instance came from (kept for saving into a teaching set), and instance ids by SOP UID. */
  const fileById = useRef(new Map<string, Blob>());
  const bySop = useRef(new Map<string, string>());
  const [instances, setInstances] = useState<InstanceRef[]>([]);
  const [failures, setFailures] = useState<Failure[]>([]);
  const [reports, setReports] = useState<OpenReport[]>([]);
  const [progress, setProgress] = useState<Progress>({ done: 0, total: 0, large: [] });
  const nextId = useRef(0);
  /** Good files shown so far: the first one is flushed at once so the first image is early. */
  const instancesCount = useRef(0);

  /**
   * Reads `files`; `onFirst` gets the instance id of the first good file (the first series to arrive is the one to
   * show). The counter counts what the user opened: a load that starts after the last one finished starts it afresh.
   */
  const load = useCallback(async (source: PickedFile[] | FileStream, onFirst?: (instanceId: string) => void): Promise<{ error?: Error }> => {
    const c = client.current!;
    const files = Array.isArray(source) ? source : null;
    const expected = Array.isArray(source) ? source.length : source.expected;
    const pendingOk: InstanceRef[] = [];
    const pendingFail: Failure[] = [];
    let done = 0;
    let lastFlush = 0;
    /** A flush held back by FLUSH_MS still happens when it is due, not when the next file (maybe a slow one) is read. */
    let due: ReturnType<typeof setTimeout> | undefined;
    setProgress((p) => (p.done >= p.total ? { done: 0, total: expected, large: [] } : { ...p, total: p.total + expected }));
    let first = onFirst;
    const flush = (force: boolean) => {
      const now = performance.now();
      // The first good file is flushed at once, so the first image shows while the rest load.
      if (!force && now - lastFlush < FLUSH_MS && !(pendingOk.length && instancesCount.current === 0)) {
        due ??= setTimeout(() => { due = undefined; flush(true); }, FLUSH_MS - (now - lastFlush));
        return;
      }
      clearTimeout(due);
      due = undefined;
      lastFlush = now;
      const ok = pendingOk.splice(0), bad = pendingFail.splice(0), n = done;
      done = 0;
      if (ok.length) { instancesCount.current += ok.length; setInstances((prev) => [...prev, ...ok]); }
      if (bad.length) setFailures((prev) => [...prev, ...bad]);
      if (n) setProgress((p) => ({ ...p, done: p.done + n }));
    };
    // Much larger files last: a huge, slow file is read after the slices instead of holding them up in the one worker.
    // A stream (a PACS retrieval) is read in the order it arrives, each file as soon as it is there.
    const median = files ? medianSize(files) : Infinity;
    const queue = files ? loadOrder(files, median) : [];
    let cursor = 0;
    let ended = files !== null;
    let streamError: Error | undefined;
    let arrived = 0;
    const waiting: (() => void)[] = [];
    const wake = () => { for (const w of waiting.splice(0)) w(); };
    if (!Array.isArray(source)) {
      void (async () => {
        try { for await (const f of source.files) { queue.push(f); arrived++; wake(); } } catch (e) { streamError = e instanceof Error ? e : new Error(String(e)); } finally { ended = true; wake(); }
      })();
    }
    const next = async (): Promise<PickedFile | null> => {
      while (cursor >= queue.length && !ended) await new Promise<void>((r) => waiting.push(r));
      return cursor < queue.length ? queue[cursor++]! : null;
    };
    const run = async () => {
      for (let picked = await next(); picked; picked = await next()) {
        const { file, path } = picked;
        const id = String(nextId.current++);
        const large = isLarge(file, median) ? { key: Number(id), name: file.name || path, bytes: file.size } : null;
        if (large) setProgress((p) => ({ ...p, large: [...p.large, large] }));
        const result = await c.load(id, file);
        if (large) setProgress((p) => ({ ...p, large: p.large.filter((r) => r.key !== large.key) }));
        if (result.ok && !result.report) {
          first?.(bySop.current.get(result.header.sopInstanceUID) ?? id);
          first = undefined;
        }
        if (result.ok && result.report) {
          const report = { id, header: result.header, report: result.report };
          if (!bySop.current.has(result.header.sopInstanceUID)) { bySop.current.set(result.header.sopInstanceUID, id); setReports((prev) => [...prev, report]); }
        } else if (result.ok && bySop.current.has(result.header.sopInstanceUID)) {
          // The same instance again (dropped twice, or the sample and a stored case both opening it): shown once.
        } else if (result.ok) {
          headers.current.set(id, result.header);
          fileById.current.set(id, file);
          bySop.current.set(result.header.sopInstanceUID, id);
          pendingOk.push({ id, header: result.header });
        } else {
          pendingFail.push({ path, error: result.error });
        }
        done++;
        flush(false);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(CONCURRENCY, expected)) }, run));
    flush(true);
    // Fewer arrived than announced (a retrieval cut short, or a server that counted wrong): the counter ends here.
    if (!files && arrived !== expected) setProgress((p) => ({ ...p, total: p.total - expected + arrived }));
    return streamError ? { error: streamError } : {};
  }, []);
  /** A decode failure seen while viewing moves the file to the not-loaded list. */
  const reportViewFailure = useCallback((instanceId: string, error: ErrorInfo) => {
    setInstances((prev) => prev.filter((i) => i.id !== instanceId));
    fileById.current.delete(instanceId);
    for (const [sop, id] of bySop.current) if (id === instanceId) bySop.current.delete(sop);
    setFailures((prev) => [...prev, { path: `image ${instanceId}`, error }]);
  }, []);

  const studies: Study[] = useMemo(() => groupSeries(instances), [instances]);
  // Every function below reads refs only: one object for the page's life, so children given `header` or `decode`
  // (thumbnails, the cornerstone loader) do not re-run their effects on every render.
  const api = useMemo(() => ({
    header: (id: string) => headers.current.get(id),
    /** The bytes of a loaded instance, as they were opened. */
    file: (id: string) => fileById.current.get(id),
    /** The annotations as a DICOM SR measurement report, written in the decode worker from the open instances. */
    exportSr: (annotations: Annotation[], privacy: ExportPrivacy, options?: MeasurementReportOptions) => {
      const instanceOf: Record<string, string> = {};
      for (const a of annotations) { const id = bySop.current.get(a.image.sopInstanceUID); if (id) instanceOf[a.image.sopInstanceUID] = id; }
      return client.current!.exportSr(annotations, instanceOf, options, privacy);
    },
    /** Loaded instances (by image id) that may carry burned-in text. */
    checkImages: (imageIds: string[]) => client.current!.checkInstances([...new Set(imageIds.map((i) => parseImageId(i).instanceId))]),
    /** Enhanced slices (by image id) as a zipped derived series, written and de-identified in the decode worker. */
    exportDerived: (slices: (Omit<DerivedSlice, 'id'> & { imageId: string })[], model: DerivedModel, privacy: ExportPrivacy) =>
      client.current!.exportDerived(slices.map(({ imageId, ...s }) => ({ ...s, id: parseImageId(imageId).instanceId })), model, privacy),
    /** A teaching case's findings as an SR and a SEG, from the open instances they point at. */
    teachingKey: (findings: Finding[], privacy: ExportPrivacy) => {
      const instanceOf: Record<string, string> = {};
      for (const f of findings) { const id = bySop.current.get(f.image.sopInstanceUID); if (id) instanceOf[f.image.sopInstanceUID] = id; }
      return client.current!.teachingKey(findings, instanceOf, privacy);
    },
    /** Enhanced slices (by image id) as the instances of a new derived series, for STOW-RS. */
    derivedFiles: (slices: (Omit<DerivedSlice, 'id'> & { imageId: string })[], model: DerivedModel, privacy: ExportPrivacy) =>
      client.current!.derivedFiles(slices.map(({ imageId, ...s }) => ({ ...s, id: parseImageId(imageId).instanceId })), model, privacy),
    /** A screened series (frames by image id) as a DICOM SR and SEG, written in the decode worker. */
    screeningObjects: (input: Omit<ScreeningExport, 'frames'> & { frames: (Omit<ScreeningExport['frames'][number], 'id' | 'frame'> & { imageId: string })[] }, privacy: ExportPrivacy) =>
      client.current!.screeningObjects({ ...input, frames: input.frames.map(({ imageId, ...f }) => { const { instanceId, frame } = parseImageId(imageId); return { ...f, id: instanceId, frame }; }) }, privacy),
    /** Which attributes of a loaded instance carry identity (read in the decode worker). */
    identityOf: (id: string) => client.current!.identityOf(id),
    /** Every attribute of a loaded instance for the tag browser; identifying values never leave the worker when hidden. */
    tagsOf: (id: string, hideIdentity: boolean) => client.current!.tagsOf(id, hideIdentity),
    /** The session's instance id for a SOP Instance UID, when that instance is loaded. */
    instanceOfSop: (sop: string) => bySop.current.get(sop),
    decode: (id: string, frame: number) => client.current!.decode(id, frame),
  }), []);
  return { studies, failures, reports, progress, load, reportViewFailure, ...api };
}
