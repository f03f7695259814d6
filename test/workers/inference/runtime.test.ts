// The onnxruntime gateway: backend order and thread count from the environment, fallback from WebGPU to WASM when
// WebGPU cannot create the session (fake ORT), a clear ModelLoadError when nothing can, and the real onnxruntime-web
// (WASM, Node) running a model written in code and agreeing with a plain-TypeScript reference.
import { describe, expect, it } from 'vitest';
import { createRuntime, planBackends, type OrtLike, type OrtSessionLike } from '../../../workers/inference/runtime';
import { convStackReference, makeConvStack } from '../../fixtures/makeOnnx';

function fakeOrt(accepts: (ep: string) => boolean) {
  const attempts: string[] = [];
  const ort: OrtLike = {
    env: { wasm: {} },
    InferenceSession: {
      async create(_model, options) {
        const ep = options.executionProviders[0]!;
        attempts.push(ep);
        if (!accepts(ep)) throw new Error(`${ep} unavailable`);
        const session: OrtSessionLike = {
          inputNames: ['x'], outputNames: ['y'],
          async run(feeds) { return { y: { data: Float32Array.from(feeds.x!.data as Float32Array, (v) => v * 2), dims: feeds.x!.dims } }; },
          async release() {},
        };
        return session;
      },
    },
    Tensor: class { constructor(public type: 'float32', public data: Float32Array, public dims: readonly number[]) {} } as unknown as OrtLike['Tensor'],
  };
  return { ort, attempts };
}

describe('inference runtime', () => {
  it('plans WebGPU first when an adapter exists, several threads only when cross-origin isolated', () => {
    expect(planBackends({ webgpu: true, crossOriginIsolated: true, cores: 8 })).toEqual({ order: ['webgpu', 'wasm'], threads: 4 });
    expect(planBackends({ webgpu: false, crossOriginIsolated: true, cores: 2 })).toEqual({ order: ['wasm'], threads: 2 });
    expect(planBackends({ webgpu: true, crossOriginIsolated: false, cores: 8 })).toEqual({ order: ['webgpu', 'wasm'], threads: 1 });
    expect(planBackends({ webgpu: true, crossOriginIsolated: true, cores: 8 }, 'wasm', 1)).toEqual({ order: ['wasm'], threads: 1 });
  });

  it('leaves the page a core in a browser, and gives a requested count up to the cores there are', () => {
    const page = (cores: number, isolated = true) => ({ webgpu: false, crossOriginIsolated: isolated, cores, page: true });
    expect([1, 2, 3, 4, 6, 16].map((c) => planBackends(page(c)).threads)).toEqual([1, 1, 2, 3, 4, 4]);
    expect(planBackends(page(8, false)).threads).toBe(1);
    expect(planBackends(page(2), 'auto', 2).threads).toBe(2);
    expect(planBackends(page(2), 'auto', 6).threads).toBe(2);
    expect(planBackends(page(2, false), 'auto', 2).threads).toBe(1);
  });

  it('falls back to WASM when WebGPU cannot create the session, and reports the backend used', async () => {
    const { ort, attempts } = fakeOrt((ep) => ep === 'wasm');
    const rt = await createRuntime({ ort, env: { webgpu: true, crossOriginIsolated: true, cores: 2 } });
    expect(ort.env.wasm.numThreads).toBe(2);
    const s = await rt.createSession(new Uint8Array(4), 'test');
    expect(attempts).toEqual(['webgpu', 'wasm']);
    expect(s.backend).toBe('wasm');
    const out = await s.run(Float32Array.of(1, 2, 3, 4), [1, 1, 2, 2]);
    expect(Array.from(out.data)).toEqual([2, 4, 6, 8]);
  });

  it('uses WebGPU when it works and one WASM thread without cross-origin isolation', async () => {
    const { ort, attempts } = fakeOrt(() => true);
    const rt = await createRuntime({ ort, env: { webgpu: true, crossOriginIsolated: false, cores: 4 } });
    expect((await rt.createSession(new Uint8Array(4), 'test')).backend).toBe('webgpu');
    expect(attempts).toEqual(['webgpu']);
    expect(ort.env.wasm.numThreads).toBe(1);
  });

  it('names every failed attempt in a ModelLoadError', async () => {
    const { ort } = fakeOrt(() => false);
    const rt = await createRuntime({ ort, env: { webgpu: true, crossOriginIsolated: true, cores: 2 } });
    await expect(rt.createSession(new Uint8Array(4), 'broken')).rejects.toMatchObject({ name: 'ModelLoadError', message: expect.stringMatching(/broken.*webgpu: webgpu unavailable; wasm: wasm unavailable/) });
  });

  it('runs a model written in code on real onnxruntime-web (WASM) with dynamic height and width', async () => {
    const kernels = [[0, 0.1, 0, 0.1, 0.6, 0.1, 0, 0.1, 0], [0.05, 0, 0.05, 0, 0.8, 0, 0.05, 0, 0.05]];
    const rt = await createRuntime({ env: { webgpu: false, crossOriginIsolated: true, cores: 1 }, threads: 1 });
    const s = await rt.createSession(makeConvStack({ kernels }), 'conv-stack');
    for (const [h, w] of [[7, 9], [32, 20]] as const) {
      const x = Float32Array.from({ length: h * w }, (_, i) => (i % 13) / 13);
      const y = await s.run(x, [1, 1, h, w]);
      expect(y.dims).toEqual([1, 1, h, w]);
      const ref = convStackReference(x, h, w, kernels);
      for (let i = 0; i < ref.length; i++) expect(y.data[i]).toBeCloseTo(ref[i]!, 5);
    }
    const up = await rt.createSession(makeConvStack({ kernels: kernels.slice(0, 1), upscale2: true }), 'conv-x2');
    expect((await up.run(new Float32Array(6 * 5), [1, 1, 6, 5])).dims).toEqual([1, 1, 12, 10]);
    await expect(rt.createSession(new TextEncoder().encode('not an onnx model'), 'garbage')).rejects.toMatchObject({ name: 'ModelLoadError' });
  });
});
