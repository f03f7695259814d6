// UI-side bridge to the inference worker: comlink wrap, progress callbacks, cancel = terminate the worker and restart
// it lazily on the next call (DESIGN invariant 4; sessions are rebuilt from the cached model files). UI thread only.
// Input pixels are copied once and transferred; results arrive transferred. Errors keep their `name`.
import * as Comlink from 'comlink';
import type { ExposedInferenceApi } from '../../workers/inference/workerSide';
import type { EnhanceResult, InferenceImage, RuntimeInfo, ScreenResult, TileProgress } from '../../workers/inference/inferenceApi';
import type { EnhanceModelId, ModelId } from '../../models/catalog';
import { namedError } from '../shared/errors';

export interface InferenceClient {
  info(): Promise<RuntimeInfo>;
  prepare(id: ModelId): Promise<string>;
  enhance(id: EnhanceModelId, image: InferenceImage, onTile?: TileProgress): Promise<EnhanceResult>;
  screen(image: InferenceImage, threshold?: number, onTile?: TileProgress): Promise<ScreenResult>;
  /** Stops everything in flight at once; pending calls reject with InferenceCancelledError. */
  cancel(): void;
  /** How many times the worker was started (1 after the first call, +1 after each cancel or crash). */
  starts(): number;
  dispose(): void;
}

export type WorkerFactory = () => Worker;

/** The page URL may ask for a backend and a thread count (?backend=wasm&threads=2), for comparisons and the bench. */
export const makeInferenceWorker: WorkerFactory = () => {
  const q = new URLSearchParams(globalThis.location?.search ?? '');
  const name = `lucid-inference:${q.get('backend') ?? ''}:${q.get('threads') ?? ''}`;
  return new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name });
};

export function createInferenceClient(makeWorker: WorkerFactory = makeInferenceWorker): InferenceClient {
  let worker: Worker | null = null;
  let remote: Comlink.Remote<ExposedInferenceApi> | null = null;
  let starts = 0;
  const pending = new Set<(e: Error) => void>();

  function api(): Comlink.Remote<ExposedInferenceApi> {
    if (!remote) {
      worker = makeWorker();
      starts++;
      worker.addEventListener('error', (ev) => stop('InferenceWorkerCrashedError', `The inference worker crashed${ev.message ? `: ${ev.message}` : ''}`));
      remote = Comlink.wrap<ExposedInferenceApi>(worker);
    }
    return remote;
  }

  function stop(name: string, message: string): void {
    worker?.terminate();
    worker = null;
    remote = null;
    for (const reject of [...pending]) reject(namedError(name, message));
    pending.clear();
  }

  function call<T>(fn: (r: Comlink.Remote<ExposedInferenceApi>) => Promise<T>): Promise<T> {
    const r = api();
    return new Promise<T>((resolve, reject) => {
      const fail = (e: Error) => { pending.delete(fail); reject(e); };
      pending.add(fail);
      fn(r).then((v) => { pending.delete(fail); resolve(v); }, (e: unknown) => fail(e instanceof Error ? e : namedError('Error', String(e))));
    });
  }

  /** A transferable copy of the frame's pixels (the viewer keeps the original). */
  function copyImage(image: InferenceImage): InferenceImage {
    const data = image.data.slice();
    return Comlink.transfer({ ...image, data }, [data.buffer]);
  }

  return {
    info: () => call((r) => r.info() as Promise<RuntimeInfo>),
    prepare: (id) => call((r) => r.prepare(id) as Promise<string>),
    enhance: (id, image, onTile) => call((r) => r.enhance(id, copyImage(image), onTile ? Comlink.proxy(onTile) : undefined) as Promise<EnhanceResult>),
    screen: (image, threshold, onTile) => call((r) => r.screen(copyImage(image), threshold, onTile ? Comlink.proxy(onTile) : undefined) as Promise<ScreenResult>),
    cancel: () => stop('InferenceCancelledError', 'Cancelled'),
    starts: () => starts,
    dispose() {
      worker?.terminate();
      worker = null;
      remote = null;
    },
  };
}
