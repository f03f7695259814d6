// The CLI's inference engine and file walking: the same inference API, pre/post code and models as the browser
// worker, on onnxruntime-web's WASM backend in Node. Node only.
import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_CATALOG } from '../models/catalog';
import { createInferenceApi, type InferenceApi, type InferenceImage } from '../workers/inference/inferenceApi';
import { parseInstance, type ParsedInstance } from '../src/dicom/parseInstance';
import { validatePixelModule } from '../src/dicom/validatePixelModule';
import { decodeFrame } from '../src/dicom/decodeFrame';
import { createRuntime } from '../workers/inference/runtime';
import { createSessionStore } from '../workers/inference/sessions';

export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'models');

/** `threads`: WASM threads asked for, at most the cores there are; default every core up to runtime's MAX_THREADS. */
export async function createEngine(threads?: number): Promise<InferenceApi> {
  const runtime = await createRuntime({ env: { webgpu: false, crossOriginIsolated: true, cores: availableParallelism(), page: false }, threads });
  const store = createSessionStore(runtime, async (id) => new Uint8Array(await readFile(join(MODELS_DIR, MODEL_CATALOG[id].file))));
  return createInferenceApi(runtime, store);
}

/**
 * Every file under each input (folders recursively, sorted), listed before any is processed and without anything
 * under `exclude` (the output folder may sit inside an input folder); a missing input is yielded as an error.
 */
export async function listInputs(inputs: string[], exclude?: string): Promise<{ path: string; error?: Error }[]> {
  const out: { path: string; error?: Error }[] = [];
  const skip = exclude ? resolve(exclude) : null;
  for await (const f of walkInputs(inputs)) {
    if (skip && (resolve(f.path) === skip || resolve(f.path).startsWith(skip + sep))) continue;
    out.push(f);
  }
  return out;
}

/**
 * Every file under the inputs, folders sorted by name. A missing input (FileNotFoundError) or a folder or file that
 * cannot be listed (FileReadError) is yielded as an error entry, and the walk goes on with the rest.
 */
export async function* walkInputs(inputs: string[]): AsyncGenerator<{ path: string; error?: Error }> {
  const named = (name: string, e: unknown) => Object.assign(new Error((e as Error).message), { name });
  async function* walk(path: string): AsyncGenerator<{ path: string; error?: Error }> {
    let entries;
    try {
      if (!(await stat(path)).isDirectory()) { yield { path }; return; }
      entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      yield { path, error: named('FileReadError', e) };
      return;
    }
    for (const e of entries) yield* walk(join(path, e.name));
  }
  for (const input of inputs) {
    try { await stat(input); } catch (e) {
      yield { path: input, error: named('FileNotFoundError', e) };
      continue;
    }
    yield* walk(input);
  }
}

/** Options of the form --name value; everything else is an input path. */
export function parseArgs(args: string[], valued: string[]): { inputs: string[]; options: Record<string, string> } {
  const options: Record<string, string> = {};
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (valued.includes(a)) options[a.slice(2)] = args[++i] ?? '';
    else inputs.push(a);
  }
  return { inputs, options };
}

/**
 * One DICOM file read (or its `bytes` when already in memory, as a DICOMweb retrieval leaves them), checked and ready for
 * the models: its parse and a lazy list of frames as model input.
 */
export async function readImageFile(path: string, bytes?: Uint8Array): Promise<{ parsed: ParsedInstance; frames: () => AsyncGenerator<InferenceImage> }> {
  const parsed = parseInstance(bytes ?? new Uint8Array(await readFile(path)));
  const h = parsed.header;
  validatePixelModule(h, parsed.dataSet);
  return {
    parsed,
    async *frames() {
      for (let f = 0; f < h.frames; f++) {
        const frame = await decodeFrame(parsed, f);
        yield { ...frame, rescaleSlope: h.rescaleSlope, rescaleIntercept: h.rescaleIntercept, modality: h.modality, pixelSpacing: h.pixelSpacing };
      }
    },
  };
}
