// UI-side bridge to the decode worker: comlink wrap, a hang watchdog, restart on hang or crash, and lazy re-loading of
// files into a fresh worker. UI thread only. Errors keep their `name` (DESIGN invariant 5). A restart never costs a
// good file: the calls in flight are run again, one at a time, and only a call alone in the worker is ever blamed.
import * as Comlink from 'comlink';
import type { BurnedInWarning, DerivedModel, DerivedSlice, ExportPrivacy, LoadResult, ScreeningExport } from '../../workers/decodeApi';
import type { InstanceIdentity } from '../dicom/deidentify/identity';
import type { TagRow } from '../dicom/tagList';
import type { ExposedDecodeApi } from '../../workers/decode.worker';
import type { PixelFrame } from '../shared/types';
import type { Annotation, Finding } from '../teaching/model';
import type { MeasurementReportOptions } from '../dicom/writeSr';
import { namedError } from '../shared/errors';

export interface DecodeClient {
  load(id: string, file: Blob): Promise<LoadResult>;
  decode(id: string, frame: number): Promise<PixelFrame>;
  /** Images of stored set `setId` that may carry burned-in text (header reasons, text in the corners). */
  checkStoredSet(setId: string): Promise<BurnedInWarning[]>;
  /** The de-identified packet of stored set `setId`, made in the worker from IndexedDB. */
  exportStoredSet(setId: string, privacy: ExportPrivacy): Promise<Blob>;
  /** Loaded instances that may carry burned-in text. */
  checkInstances(ids: string[]): Promise<BurnedInWarning[]>;
  /** Enhanced slices as a zipped derived series, de-identified unless kept (values are copied: the viewer keeps them). */
  exportDerived(slices: DerivedSlice[], model: DerivedModel, privacy: ExportPrivacy): Promise<Blob>;
  /** Which attributes of a loaded instance carry identity (null when it is not loaded). */
  identityOf(id: string): Promise<InstanceIdentity | null>;
  /** Every attribute of a loaded instance for the tag browser (identifying values left out with `hideIdentity`). */
  tagsOf(id: string, hideIdentity: boolean): Promise<TagRow[] | null>;
  /** Validates a packet file and stores its set in one transaction, in the worker; names the set that arrived. */
  importPacketFile(file: Blob): Promise<{ setId: string; title: string; cases: number }>;
  /** The annotations as a DICOM SR file, from these loaded instances (SOP Instance UID → id); de-identified unless kept. */
  exportSr(annotations: Annotation[], instanceOf: Record<string, string>, options: MeasurementReportOptions | undefined, privacy: ExportPrivacy): Promise<Uint8Array>;
  /** A teaching case's findings as an SR and a SEG, from these loaded instances (SOP → id); de-identified unless kept. */
  teachingKey(findings: Finding[], instanceOf: Record<string, string>, privacy: ExportPrivacy): Promise<{ sr: Uint8Array; seg: Uint8Array | null }>;
  /** Enhanced slices as the instances of a new derived series (for STOW-RS), de-identified unless kept. */
  derivedFiles(slices: DerivedSlice[], model: DerivedModel, privacy: ExportPrivacy): Promise<Uint8Array[]>;
  /** A screened series as a DICOM SR and SEG, from these loaded instances; de-identified unless kept. */
  screeningObjects(input: ScreeningExport, privacy: ExportPrivacy): Promise<{ sr: Uint8Array; seg: Uint8Array | null }>;
  /** How many times the worker was replaced after a hang or crash. */
  restarts(): number;
  dispose(): void;
}

/**
 * Worker time a call may take, in ms: `baseMs` plus PER_MB_MS per MiB (2^20 bytes) of the file it reads. Reading and
 * parsing grow with the file; the frame-0 decode of a compressed file grows with the frame, which LIMITS.maxFrameBytes
 * caps (512 MiB: a valid 16384² 16-bit RLE frame was measured at about 14 s), so the default `baseMs` (30 s) covers it.
 */
export function callBudgetMs(baseMs: number, bytes = 0): number {
  return baseMs + Math.round((bytes / 2 ** 20) * PER_MB_MS);
}
/** 1 s per MiB: a deliberately slow rate (the budget only has to catch hangs), so a slow machine is not taken for one. */
export const PER_MB_MS = 1000;
/** The default `baseMs`, and the range a page URL may set it in (seconds). */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const TIMEOUT_RANGE_S = [1, 600] as const;
/** Extra time a fresh worker may take to start (load its modules) before it answers a first ping, in ms. */
export const STARTUP_MS = 30_000;

/**
 * The base budget a page URL asks for with `?decodeTimeout=<seconds>` (clamped to TIMEOUT_RANGE_S), else the default:
 * a slow machine can give the worker longer, and the browser tests make genuinely slow valid files count as hangs.
 */
export function decodeTimeoutMs(search: string): number {
  const asked = new URLSearchParams(search).get('decodeTimeout');
  const s = asked === null || asked.trim() === '' ? NaN : Number(asked);
  if (!Number.isFinite(s)) return DEFAULT_TIMEOUT_MS;
  return Math.round(1000 * Math.min(TIMEOUT_RANGE_S[1], Math.max(TIMEOUT_RANGE_S[0], s)));
}

/** Internal: the call was in flight when the worker was replaced for another reason; it runs again (never shown). */
class RestartedError extends Error { override name = 'DecodeWorkerRestartedError'; }
/** One operation (a load, a decode with its re-load, an export): the unit that is run again after a restart. */
interface Op { suspect: boolean }
/** A call in the worker now: its op, its budget, what to call it in a timeout message, and how to fail it. */
interface Call { op: Op; budgetMs: number; what: string; fail(e: Error): void }

export function createDecodeClient(
  makeWorker: () => Worker = () => new Worker(new URL('../../workers/decode.worker.ts', import.meta.url), { type: 'module', name: 'lucid-decode' }),
  { timeoutMs = DEFAULT_TIMEOUT_MS } = {},
): DecodeClient {
  const files = new Map<string, Blob>();
  let worker: Worker | null = null;
  let remote: Comlink.Remote<ExposedDecodeApi> | null = null;
  let restarts = 0;
  const calls = new Set<Call>();
  /** When a call last finished, or the worker last went from idle to busy (performance.now(), ms). */
  let lastProgress = 0;
  /** Whether the current worker has answered its first ping: until then its start-up is not charged to the calls. */
  let started = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  /** Ops running normally, and ops waiting or running as suspects (one at a time, alone in the worker). */
  let active = 0, suspects = 0;
  let suspectTurn = Promise.resolve();
  const waiting = new Set<() => void>();
  const changed = () => { for (const w of [...waiting]) { waiting.delete(w); w(); } };
  const until = async (ready: () => boolean) => { while (!ready()) await new Promise<void>((r) => waiting.add(r)); };

  function api(): Comlink.Remote<ExposedDecodeApi> {
    if (!remote) {
      const w = (worker = makeWorker());
      w.addEventListener('error', () => { if (w === worker) restart('DecodeWorkerCrashedError', (c) => `The decode worker crashed: ${c.what}`); });
      remote = Comlink.wrap<ExposedDecodeApi>(w);
      started = false;
      // Answered once the worker's modules are loaded, before it reads the calls queued behind the ping.
      remote.count().then(() => { if (w === worker) { started = true; lastProgress = performance.now(); arm(); } }, () => {});
    }
    return remote;
  }

  /**
   * The worker does one thing at a time, so it is hung when no call has finished for longer than the largest budget
   * among the calls in flight (a small file queued behind a legitimately slow one is covered by the slow one's budget).
   * A fresh worker's start-up is not counted: until it answers its first ping it has STARTUP_MS more (with a short
   * ?decodeTimeout, loading the worker's modules alone took longer than a small file's budget).
   */
  function arm(): void {
    clearTimeout(watchdog);
    if (calls.size === 0) return;
    const budget = Math.max(...[...calls].map((c) => c.budgetMs)) + (started ? 0 : STARTUP_MS);
    watchdog = setTimeout(() => restart('DecodeTimeoutError', (c) => `${c.what} took longer than ${Math.round(c.budgetMs / 1000)} s; the decode worker was restarted`), Math.max(0, lastProgress + budget - performance.now()));
  }

  /** Replace the worker. A call alone in it is the culprit and gets `name`; several calls all run again as suspects. */
  function restart(name: string, message: (c: Call) => string): void {
    clearTimeout(watchdog);
    worker?.terminate();
    worker = null;
    remote = null;
    restarts++;
    const inFlight = [...calls];
    calls.clear();
    if (inFlight.length === 1) { inFlight[0]!.fail(namedError(name, message(inFlight[0]!))); return; }
    for (const c of inFlight) {
      if (!c.op.suspect) { c.op.suspect = true; suspects++; }
      c.fail(new RestartedError('The decode worker was restarted'));
    }
  }

  function call<T>(op: Op, what: string, budgetMs: number, run: (r: Comlink.Remote<ExposedDecodeApi>) => Promise<T>): Promise<T> {
    const r = api();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        if (calls.delete(c)) { lastProgress = performance.now(); arm(); }
        done();
      };
      const c: Call = { op, budgetMs, what, fail: (e) => settle(() => reject(e)) };
      if (calls.size === 0) lastProgress = performance.now();
      calls.add(c);
      arm();
      run(r).then((v) => settle(() => resolve(v)), (e: unknown) => c.fail(e instanceof Error ? e : namedError('Error', String(e))));
    });
  }

  /** Runs an op; if a restart caught it in flight, runs it again alone in the worker once the suspects before it are done. */
  async function runOp<T>(body: (op: Op) => Promise<T>): Promise<T> {
    const op: Op = { suspect: false };
    await until(() => suspects === 0);
    active++;
    try {
      return await body(op);
    } catch (e) {
      if (!(e instanceof RestartedError)) throw e;
    } finally {
      active--;
      changed();
    }
    const previous = suspectTurn;
    let release = () => {};
    suspectTurn = new Promise<void>((r) => { release = r; });
    try {
      await previous;
      await until(() => active === 0);
      return await body(op);
    } finally {
      suspects--;
      release();
      changed();
    }
  }

  const budgetOf = (id: string) => callBudgetMs(timeoutMs, files.get(id)?.size);

  async function ensureLoaded(op: Op, id: string): Promise<void> {
    const file = files.get(id);
    if (!file) throw namedError('NotLoadedError', `Unknown instance ${id}`);
    if (await call(op, 'A lookup', timeoutMs, (r) => r.has(id))) return;
    const result = await call(op, `Reading ${id}`, budgetOf(id), (r) => r.load(id, file) as Promise<LoadResult>);
    if (!result.ok) throw namedError(result.error.name, result.error.message);
  }
  /** An op that first makes sure these instances are in the (possibly fresh) worker. */
  const withLoaded = <T>(ids: Iterable<string>, what: string, budgetMs: number, run: (r: Comlink.Remote<ExposedDecodeApi>) => Promise<T>) =>
    runOp(async (op) => {
      for (const id of new Set(ids)) await ensureLoaded(op, id);
      return call(op, what, budgetMs, run);
    });
  const single = <T>(what: string, run: (r: Comlink.Remote<ExposedDecodeApi>) => Promise<T>) => runOp((op) => call(op, what, timeoutMs, run));

  return {
    async load(id, file) {
      files.set(id, file);
      try {
        const result = await runOp((op) => call(op, `Reading ${(file as File).name ?? id}`, budgetOf(id), (r) => r.load(id, file) as Promise<LoadResult>));
        if (!result.ok) files.delete(id);
        return result;
      } catch (e) {
        files.delete(id);
        const err = e as Error;
        return { ok: false, id, error: { name: err.name, message: err.message } };
      }
    },
    decode: (id, frame) => {
      // Each decode request is marked in the performance timeline (DevTools' Timings; the browser tests count them).
      globalThis.performance?.mark?.('lucid:decode', { detail: { id, frame } });
      return withLoaded([id], `Decoding ${id} frame ${frame + 1}`, budgetOf(id), (r) => r.decode(id, frame));
    },
    checkStoredSet: (setId) => single('Checking the images for burned-in text', (r) => r.checkStoredSet(setId) as Promise<BurnedInWarning[]>),
    exportStoredSet: (setId, privacy) => single('Writing the packet', (r) => r.exportStoredSet(setId, privacy) as Promise<Blob>),
    checkInstances: (ids) => withLoaded(ids, 'Checking the images for burned-in text', timeoutMs, (r) => r.checkInstances(ids) as Promise<BurnedInWarning[]>),
    exportDerived: (slices, model, privacy) =>
      withLoaded(slices.map((s) => s.id), 'Writing the enhanced series', timeoutMs, (r) => r.exportDerived(slices, model, privacy) as Promise<Blob>),
    identityOf: (id) => withLoaded([id], 'Reading the identity attributes', timeoutMs, (r) => r.identityOf(id) as Promise<InstanceIdentity | null>),
    tagsOf: (id, hideIdentity) => withLoaded([id], 'Reading the attributes', timeoutMs, (r) => r.tagsOf(id, hideIdentity) as Promise<TagRow[] | null>),
    importPacketFile: (file) => runOp((op) => call(op, 'Reading the packet', callBudgetMs(timeoutMs, file.size), (r) => r.importPacketFile(file) as Promise<{ setId: string; title: string; cases: number }>)),
    exportSr: (annotations, instanceOf, options, privacy) =>
      withLoaded(Object.values(instanceOf), 'Writing the SR', timeoutMs, (r) => r.exportSr(annotations, instanceOf, options, privacy) as Promise<Uint8Array>),
    teachingKey: (findings, instanceOf, privacy) =>
      withLoaded(Object.values(instanceOf), 'Writing the case key SR and SEG', timeoutMs, (r) => r.teachingKey(findings, instanceOf, privacy) as Promise<{ sr: Uint8Array; seg: Uint8Array | null }>),
    derivedFiles: (slices, model, privacy) =>
      withLoaded(slices.map((s) => s.id), 'Writing the enhanced series', timeoutMs, (r) => r.derivedFiles(slices, model, privacy) as Promise<Uint8Array[]>),
    screeningObjects: (input, privacy) =>
      withLoaded(input.frames.map((f) => f.id), 'Writing the screening SR and SEG', timeoutMs, (r) => r.screeningObjects(input, privacy) as Promise<{ sr: Uint8Array; seg: Uint8Array | null }>),
    restarts: () => restarts,
    dispose() {
      clearTimeout(watchdog);
      worker?.terminate();
      worker = null;
      remote = null;
      files.clear();
    },
  };
}
