import { describe, expect, it } from 'vitest';
import { runtimeLabel } from '../../../src/inference/runtimeLabel';

describe('runtime label', () => {
  it('names the backend used, WASM threads against cores, and isolation', () => {
    expect(runtimeLabel({ backend: 'wasm', order: ['wasm'], threads: 3, cores: 4, crossOriginIsolated: true })).toBe('Runs on wasm (3 threads of 4 cores), cross-origin isolated');
    expect(runtimeLabel({ backend: 'wasm', order: ['wasm'], threads: 1, cores: 1, crossOriginIsolated: false })).toBe('Runs on wasm (1 thread of 1 core)');
    expect(runtimeLabel({ backend: 'webgpu', order: ['webgpu', 'wasm'], threads: 1, cores: 2, crossOriginIsolated: true })).toBe('Runs on webgpu (GPU), cross-origin isolated');
  });

  it('names the first planned backend before any model has run', () => {
    expect(runtimeLabel({ backend: 'not started', order: ['wasm'], threads: 2, cores: 8, crossOriginIsolated: true })).toBe('Runs on wasm (2 threads of 8 cores), cross-origin isolated');
    expect(runtimeLabel({ backend: 'not started', order: ['webgpu', 'wasm'], threads: 2, cores: 8, crossOriginIsolated: true })).toBe('Runs on webgpu (GPU), cross-origin isolated');
  });
});
