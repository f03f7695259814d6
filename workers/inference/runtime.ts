// THE onnxruntime-web gateway: the only module in Lucid that imports it (DESIGN: one folder per foreign library).
// Chooses the execution provider (WebGPU when an adapter is available, WASM otherwise), the WASM thread count
// (several when the page is cross-origin isolated, one otherwise; see planBackends) and creates sessions. Worker
// thread or Node (CLI, bench, tests); never the UI thread. Tests pass a fake `OrtLike` to check backend selection and fallback.
// Browser: the WebGPU build (WebGPU + WASM EPs), loaded lazily. Node: the package's Node build (WASM EP), which
// unlike the browser bundle can start WASM threads there.
import { ModelLoadError } from '../../src/shared/errors';

export type Backend = 'webgpu' | 'wasm';

/** What the runtime found about where it runs. */
export interface Environment {
  /** A WebGPU adapter was obtained (navigator.gpu.requestAdapter() resolved to an adapter). */
  webgpu: boolean;
  /** SharedArrayBuffer usable: COOP same-origin + COEP require-corp in a browser; always true in Node. */
  crossOriginIsolated: boolean;
  cores: number;
  /** A page shares these cores (a browser); the CLI and bench in Node have none to keep responsive. */
  page?: boolean;
}

export interface BackendPlan { order: Backend[]; threads: number }

/** Most WASM threads Lucid starts: ORT's convolutions gain little beyond this on the machines it targets. */
export const MAX_THREADS = 4;

/**
 * The order in which execution providers are tried and the WASM thread count. Pure. Threads need cross-origin
 * isolation (one otherwise). In a browser they are every core but one, up to MAX_THREADS, so the page keeps a core:
 * on a 2-core machine, two WASM threads stretched the viewer's 12 ms draw of a new enhanced slice to 65–100 ms
 * (bench/traceLongTasks.ts), one thread leaves it at 12 ms. Node (CLI, bench) uses every core up to the maximum.
 * `requested` (the bench, comparisons: ?threads=N) asks for a count, at most the cores there are.
 */
export function planBackends(env: Environment, prefer: Backend | 'auto' = 'auto', requested?: number): BackendPlan {
  const order: Backend[] = env.webgpu && prefer !== 'wasm' ? ['webgpu', 'wasm'] : ['wasm'];
  const wanted = requested ?? Math.min(MAX_THREADS, env.page ? env.cores - 1 : env.cores);
  const threads = env.crossOriginIsolated ? Math.max(1, Math.min(wanted, env.cores)) : 1;
  return { order, threads };
}

interface GpuLike { requestAdapter(): Promise<unknown> }

/** Probes the current thread: WebGPU adapter, cross-origin isolation, core count. */
export async function probeEnvironment(): Promise<Environment> {
  const g = globalThis as { navigator?: { gpu?: GpuLike; hardwareConcurrency?: number }; crossOriginIsolated?: boolean; process?: { versions?: { node?: string } } };
  const isNode = !!g.process?.versions?.node && typeof g.navigator?.gpu === 'undefined' && g.crossOriginIsolated === undefined;
  let webgpu = false;
  if (g.navigator?.gpu) {
    try { webgpu = !!(await g.navigator.gpu.requestAdapter()); } catch { webgpu = false; }
  }
  return { webgpu, crossOriginIsolated: isNode || g.crossOriginIsolated === true, cores: g.navigator?.hardwareConcurrency ?? 1, page: !isNode };
}

function runningInNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown; WorkerGlobalScope?: unknown };
  return !!g.process?.versions?.node && g.window === undefined && g.WorkerGlobalScope === undefined;
}

let realOrt: Promise<OrtLike> | null = null;
function loadRealOrt(): Promise<OrtLike> {
  if (!realOrt) {
    // A non-literal specifier keeps Vite from bundling the Node build into the app.
    const nodeBuild = 'onnxruntime-web';
    realOrt = (runningInNode() ? import(/* @vite-ignore */ nodeBuild) : import('onnxruntime-web/webgpu')) as Promise<OrtLike>;
  }
  return realOrt;
}

/** The part of onnxruntime-web Lucid uses; tests substitute a fake. */
export interface OrtTensorLike { data: unknown; dims: readonly number[] }
export interface OrtSessionLike {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}
export interface OrtLike {
  env: { wasm: { numThreads?: number; wasmPaths?: unknown; proxy?: boolean } };
  InferenceSession: { create(model: Uint8Array, options: { executionProviders: string[]; graphOptimizationLevel?: 'all' }): Promise<OrtSessionLike> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensorLike;
}

/** One loaded model on one backend: a float32 NCHW tensor in, the first output out. */
export interface ModelSession {
  readonly backend: Backend;
  run(x: Float32Array, dims: readonly number[]): Promise<{ data: Float32Array; dims: number[] }>;
  release(): Promise<void>;
}

export interface RuntimeOptions {
  ort?: OrtLike;
  env?: Environment;
  prefer?: Backend | 'auto';
  /** WASM threads asked for (the bench runs 1 and 2); default: planBackends' choice. */
  threads?: number;
  /** URL of ort-wasm-simd-threaded.asyncify.wasm on the app's own origin (browser); Node finds it itself. */
  wasmUrl?: string;
}

export interface Runtime {
  readonly plan: BackendPlan;
  readonly env: Environment;
  /** Creates a session on the first backend of the plan that accepts the model; errors name every attempt. */
  createSession(model: Uint8Array, name: string): Promise<ModelSession>;
}

/** Threads the real ORT was started with in this process (it reads the setting once, when its WASM starts). */
let startedThreads: number | null = null;

export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const fake = options.ort;
  const ort = fake ?? await loadRealOrt();
  const env = options.env ?? await probeEnvironment();
  const plan = planBackends(env, options.prefer, options.threads);
  if (fake || startedThreads === null) {
    ort.env.wasm.numThreads = plan.threads;
    ort.env.wasm.proxy = false;
    if (options.wasmUrl) ort.env.wasm.wasmPaths = { wasm: options.wasmUrl };
    if (!fake) startedThreads = plan.threads;
  } else {
    plan.threads = startedThreads; // report what ORT really uses in this process
  }
  return {
    plan,
    env,
    async createSession(model, name) {
      const failures: string[] = [];
      for (const backend of plan.order) {
        try {
          const session = await ort.InferenceSession.create(model, { executionProviders: [backend], graphOptimizationLevel: 'all' });
          return wrapSession(ort, session, backend);
        } catch (e) {
          failures.push(`${backend}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      throw new ModelLoadError(`The model ${name} could not be loaded (${failures.join('; ')})`);
    },
  };
}

function wrapSession(ort: OrtLike, session: OrtSessionLike, backend: Backend): ModelSession {
  const input = session.inputNames[0]!, output = session.outputNames[0]!;
  return {
    backend,
    async run(x, dims) {
      const result = await session.run({ [input]: new ort.Tensor('float32', x, dims) });
      const t = result[output]!;
      if (!(t.data instanceof Float32Array)) throw new ModelLoadError(`Output ${output} is not float32`);
      return { data: t.data, dims: [...t.dims] };
    },
    release: () => session.release(),
  };
}
