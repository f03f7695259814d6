// Model sessions: fetch bytes, check them against the catalogue's sha256, create the session once, warm it up, and
// serialise every run (one model call at a time per worker: WASM threads and GPU queues are shared). Worker thread
// or Node. A failed load is forgotten, so a retry after fixing the cause works (memoised promise, not a cached error).
import { MODEL_CATALOG, type ModelId } from '../../models/catalog';
import { ModelIntegrityError } from '../../src/shared/errors';
import type { ModelSession, Runtime } from './runtime';

export type FetchModel = (id: ModelId, file: string) => Promise<Uint8Array>;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws ModelIntegrityError unless the bytes are exactly the catalogue's file. */
export async function verifyModel(id: ModelId, bytes: Uint8Array, expected = MODEL_CATALOG[id].sha256): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new ModelIntegrityError(`The ${id} model file does not match the catalogue (sha256 ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…); it was not used`);
  }
}

export interface SessionStore {
  /** The warmed-up session of a model (created on first use). */
  get(id: ModelId): Promise<ModelSession>;
  /** Runs `fn` when every earlier run has finished. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  loaded(): ModelId[];
}

/**
 * Input edge of the warm-up run, a multiple of 16: large enough that the engine compiles the hot kernels to optimised
 * code during the warm-up (prepare) rather than while a series runs (3.3 s of background compilation on 2 cores were
 * seen competing with the UI thread in the first seconds of a run), small enough to take well under a second.
 */
export const WARM_UP_SIZE = 128;
/** On a GPU the warm-up compiles shaders, which a small input does as well (and a software adapter is slow). */
export const GPU_WARM_UP_SIZE = 32;

export function createSessionStore(runtime: Runtime, fetchModel: FetchModel, expected: (id: ModelId) => string = (id) => MODEL_CATALOG[id].sha256): SessionStore {
  const sessions = new Map<ModelId, Promise<ModelSession>>();
  let queue: Promise<unknown> = Promise.resolve();

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  }

  async function open(id: ModelId): Promise<ModelSession> {
    const entry = MODEL_CATALOG[id];
    const bytes = await fetchModel(id, entry.file);
    await verifyModel(id, bytes, expected(id));
    const session = await runtime.createSession(bytes, id);
    const n = session.backend === 'wasm' ? WARM_UP_SIZE : GPU_WARM_UP_SIZE;
    await serial(() => session.run(new Float32Array(n * n), [1, 1, n, n]));
    return session;
  }

  return {
    get(id) {
      let p = sessions.get(id);
      if (!p) {
        p = open(id);
        sessions.set(id, p);
        p.catch(() => { if (sessions.get(id) === p) sessions.delete(id); });
      }
      return p;
    },
    serial,
    loaded: () => [...sessions.keys()],
  };
}
