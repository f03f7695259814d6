// UI-side bridge to the decode worker: comlink wrap, per-call timeout, restart on hang or crash, and lazy
// re-loading of files into a fresh worker. UI thread only. Errors keep their `name` (DESIGN invariant 5).
import * as Comlink from 'comlink';
import type { BurnedInWarning, DerivedModel, DerivedSlice, ExportPrivacy, LoadResult } from '../../workers/decodeApi';
import type { InstanceIdentity } from '../dicom/deidentify/identity';
import type { ExposedDecodeApi } from '../../workers/decode.worker';
import type { PixelFrame } from '../shared/types';
import type { Annotation } from '../teaching/model';
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
  /** Validates a packet file and stores its set in one transaction, in the worker; names the set that arrived. */
  importPacketFile(file: Blob): Promise<{ setId: string; title: string; cases: number }>;
  /** The annotations as a DICOM SR file, from these loaded instances (SOP Instance UID → id); de-identified unless kept. */
  exportSr(annotations: Annotation[], instanceOf: Record<string, string>, options: MeasurementReportOptions | undefined, privacy: ExportPrivacy): Promise<Uint8Array>;
  /** How many times the worker was replaced after a hang or crash. */
  restarts(): number;
  dispose(): void;
}

export function createDecodeClient(
  makeWorker: () => Worker = () => new Worker(new URL('../../workers/decode.worker.ts', import.meta.url), { type: 'module', name: 'lucid-decode' }),
  { timeoutMs = 30_000 } = {},
): DecodeClient {
  const files = new Map<string, Blob>();
  let worker: Worker | null = null;
  let remote: Comlink.Remote<ExposedDecodeApi> | null = null;
  let restarts = 0;
  const pending = new Set<(e: Error) => void>();

  function api(): Comlink.Remote<ExposedDecodeApi> {
    if (!remote) {
      worker = makeWorker();
      worker.addEventListener('error', () => restart('DecodeWorkerCrashedError', 'The decode worker crashed'));
      remote = Comlink.wrap<ExposedDecodeApi>(worker);
    }
    return remote;
  }

  /** Replace the worker. The call that hung gets `name`; other calls in flight get a retryable error. */
  function restart(name: string, message: string, culprit?: (e: Error) => void): void {
    worker?.terminate();
    worker = null;
    remote = null;
    restarts++;
    for (const reject of [...pending]) {
      reject(reject === culprit || !culprit ? namedError(name, message) : namedError('DecodeWorkerRestartedError', 'The decode worker was restarted'));
    }
    pending.clear();
  }

  function withTimeout<T>(call: (r: Comlink.Remote<ExposedDecodeApi>) => Promise<T>, what: string): Promise<T> {
    const r = api();
    return new Promise<T>((resolve, reject) => {
      const fail = (e: Error) => { clearTimeout(timer); pending.delete(fail); reject(e); };
      const timer = setTimeout(() => {
        restart('DecodeTimeoutError', `${what} took longer than ${timeoutMs / 1000} s; the decode worker was restarted`, fail);
      }, timeoutMs);
      pending.add(fail);
      call(r).then(
        (v) => { clearTimeout(timer); pending.delete(fail); resolve(v); },
        (e: unknown) => fail(e instanceof Error ? e : namedError('Error', String(e))),
      );
    });
  }

  async function ensureLoaded(id: string): Promise<void> {
    const file = files.get(id);
    if (!file) throw namedError('NotLoadedError', `Unknown instance ${id}`);
    if (await withTimeout((r) => r.has(id), 'A lookup')) return;
    const result = await withTimeout((r) => r.load(id, file) as Promise<LoadResult>, `Reading ${id}`);
    if (!result.ok) throw namedError(result.error.name, result.error.message);
  }

  return {
    async load(id, file) {
      files.set(id, file);
      const attempt = () => withTimeout((r) => r.load(id, file) as Promise<LoadResult>, `Reading ${(file as File).name ?? id}`);
      try {
        // A call caught up in another file's restart is retried once in the fresh worker.
        const result = await attempt().catch((e: Error) => (e.name === 'DecodeWorkerRestartedError' ? attempt() : Promise.reject(e)));
        if (!result.ok) files.delete(id);
        return result;
      } catch (e) {
        files.delete(id);
        const err = e as Error;
        return { ok: false, id, error: { name: err.name, message: err.message } };
      }
    },
    async decode(id, frame) {
      await ensureLoaded(id);
      return withTimeout((r) => r.decode(id, frame), `Decoding ${id} frame ${frame + 1}`);
    },
    checkStoredSet: (setId) => withTimeout((r) => r.checkStoredSet(setId) as Promise<BurnedInWarning[]>, 'Checking the images for burned-in text'),
    exportStoredSet: (setId, privacy) => withTimeout((r) => r.exportStoredSet(setId, privacy) as Promise<Blob>, 'Writing the packet'),
    async checkInstances(ids) {
      for (const id of ids) await ensureLoaded(id);
      return withTimeout((r) => r.checkInstances(ids) as Promise<BurnedInWarning[]>, 'Checking the images for burned-in text');
    },
    async exportDerived(slices, model, privacy) {
      for (const id of new Set(slices.map((s) => s.id))) await ensureLoaded(id);
      return withTimeout((r) => r.exportDerived(slices, model, privacy) as Promise<Blob>, 'Writing the enhanced series');
    },
    async identityOf(id) {
      await ensureLoaded(id);
      return withTimeout((r) => r.identityOf(id) as Promise<InstanceIdentity | null>, 'Reading the identity attributes');
    },
    importPacketFile: (file) => withTimeout((r) => r.importPacketFile(file) as Promise<{ setId: string; title: string; cases: number }>, 'Reading the packet'),
    async exportSr(annotations, instanceOf, options, privacy) {
      for (const id of new Set(Object.values(instanceOf))) await ensureLoaded(id);
      return withTimeout((r) => r.exportSr(annotations, instanceOf, options, privacy) as Promise<Uint8Array>, 'Writing the SR');
    },
    restarts: () => restarts,
    dispose() {
      worker?.terminate();
      worker = null;
      remote = null;
      files.clear();
    },
  };
}
