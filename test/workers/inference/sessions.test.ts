// Sessions: model bytes are checked against the catalogue's sha256 before use, a session is created once and warmed
// up, a failed load is forgotten so a retry works, and runs never overlap.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG, type ModelId } from '../../../models/catalog';
import { createRuntime, type ModelSession, type Runtime } from '../../../workers/inference/runtime';
import { createSessionStore, sha256Hex, verifyModel } from '../../../workers/inference/sessions';

const read = (id: ModelId) => new Uint8Array(readFileSync(`models/${MODEL_CATALOG[id].file}`));

function countingRuntime(): { runtime: Runtime; created: string[]; active: { now: number; max: number } } {
  const created: string[] = [];
  const active = { now: 0, max: 0 };
  const session: ModelSession = {
    backend: 'wasm',
    async run(x, dims) {
      active.now++;
      active.max = Math.max(active.max, active.now);
      await new Promise((r) => setTimeout(r, 5));
      active.now--;
      return { data: x, dims: [...dims] };
    },
    async release() {},
  };
  const runtime: Runtime = {
    plan: { order: ['wasm'], threads: 1 }, env: { webgpu: false, crossOriginIsolated: true, cores: 1 },
    async createSession(_bytes, name) { created.push(name); return session; },
  };
  return { runtime, created, active };
}

describe('model sessions', () => {
  it('accepts the shipped files and refuses a changed byte with ModelIntegrityError', async () => {
    const bytes = read('denoise');
    expect(await sha256Hex(bytes)).toBe(MODEL_CATALOG.denoise.sha256);
    await verifyModel('denoise', bytes);
    const changed = bytes.slice();
    changed[1000] = changed[1000]! ^ 1;
    await expect(verifyModel('denoise', changed)).rejects.toMatchObject({ name: 'ModelIntegrityError' });
  });

  it('creates each session once (warmed up), forgets a failed load, and serialises runs', async () => {
    const { runtime, created, active } = countingRuntime();
    let fail = true;
    const store = createSessionStore(runtime, async (id) => {
      if (fail) throw new Error('offline');
      return read(id);
    });
    await expect(store.get('sr-x2')).rejects.toThrow('offline');
    expect(store.loaded()).toEqual([]);
    fail = false;
    const [a, b] = await Promise.all([store.get('sr-x2'), store.get('sr-x2')]);
    expect(a).toBe(b);
    expect(created).toEqual(['sr-x2']);
    await Promise.all(Array.from({ length: 6 }, () => store.serial(() => a.run(new Float32Array(4), [1, 1, 2, 2]))));
    expect(active.max).toBe(1);
  });

  it('never creates a session from bytes that fail the check', async () => {
    const { runtime, created } = countingRuntime();
    const store = createSessionStore(runtime, async () => new Uint8Array(100));
    await expect(store.get('anomaly')).rejects.toMatchObject({ name: 'ModelIntegrityError' });
    expect(created).toEqual([]);
  });

  it('loads a real model on onnxruntime-web and warms it up', async () => {
    const runtime = await createRuntime({ env: { webgpu: false, crossOriginIsolated: true, cores: 1 }, threads: 1 });
    const store = createSessionStore(runtime, async (id) => read(id));
    const s = await store.get('denoise');
    expect(s.backend).toBe('wasm');
    expect((await s.run(new Float32Array(16 * 16), [1, 1, 16, 16])).dims).toEqual([1, 1, 16, 16]);
  });
});
