// Lazy, memoised WASM codecs from the npm registry (CharLS, OpenJPEG, OpenJPH, libjpeg-turbo).
// Thread-neutral: runs in the decode worker and in Node. In the browser the worker calls setWasmLocator with
// URLs on the app's own origin; in Node the emscripten glue finds the .wasm beside itself.
// A codec instance that throws is dropped, because an aborted WASM module may be left in a broken state.
import { CorruptPixelDataError } from '../../shared/errors';

export type WasmCodec = 'charls' | 'openjpeg' | 'openjph' | 'libjpeg-turbo';

interface FrameInfo { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean; interleaveMode?: number }
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  getInterleaveMode?(): number;
  delete(): void;
}
type CodecModule = Record<string, new () => WasmDecoder>;
type Factory = (opts?: { locateFile?: (path: string, prefix: string) => string; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<CodecModule>;

const DECODER_CLASS: Record<WasmCodec, string> = {
  charls: 'JpegLSDecoder',
  openjpeg: 'J2KDecoder',
  openjph: 'HTJ2KDecoder',
  'libjpeg-turbo': 'JPEGDecoder',
};

async function importFactory(codec: WasmCodec): Promise<Factory> {
  // Literal specifiers so bundlers can see (and serve) every codec.
  const mod: { default?: unknown } =
    codec === 'charls' ? await import('@cornerstonejs/codec-charls/decodewasmjs')
    : codec === 'openjpeg' ? await import('@cornerstonejs/codec-openjpeg/decodewasmjs')
    : codec === 'openjph' ? await import('@cornerstonejs/codec-openjph/wasmjs')
    : await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs');
  const factory = (mod.default ?? mod) as Factory;
  return factory;
}

let locateWasm: (codec: WasmCodec) => string | undefined = () => undefined;
const modules = new Map<WasmCodec, Promise<CodecModule>>();

/** Browser only: tell the codecs where their .wasm files are served (the app's own origin). */
export function setWasmLocator(fn: (codec: WasmCodec) => string | undefined): void {
  locateWasm = fn;
  modules.clear();
}

function loadCodec(codec: WasmCodec): Promise<CodecModule> {
  let p = modules.get(codec);
  if (!p) {
    p = importFactory(codec).then((factory) => {
      const url = locateWasm(codec);
      // Codec chatter (OpenJPEG prints [INFO] lines) must not reach stdout: the CLI prints JSON there.
      const quiet = { print: () => {}, printErr: () => {} };
      return factory(url ? { ...quiet, locateFile: (path) => (path.endsWith('.wasm') ? url : path) } : quiet);
    });
    // Forget a rejection so a later call retries (transformers.js style).
    p.catch(() => modules.delete(codec));
    modules.set(codec, p);
  }
  return p;
}

export interface WasmDecoded { pixels: Uint8Array; info: FrameInfo }

/** Decode one compressed frame; the returned pixels are a copy outside WASM memory. */
export async function decodeWithWasm(codec: WasmCodec, encoded: Uint8Array): Promise<WasmDecoded> {
  const mod = await loadCodec(codec);
  const Decoder = mod[DECODER_CLASS[codec]];
  if (!Decoder) throw new Error(`${codec} has no ${DECODER_CLASS[codec]}`);
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info: FrameInfo = { ...decoder.getFrameInfo() };
    if (decoder.getInterleaveMode) info.interleaveMode = decoder.getInterleaveMode();
    const pixels = decoder.getDecodedBuffer().slice();
    return { pixels, info };
  } catch (e) {
    modules.delete(codec);
    const msg = e instanceof Error ? e.message : typeof e === 'number' ? `codec error ${e}` : String(e);
    throw new CorruptPixelDataError(`${codec} could not decode the frame: ${msg}`);
  } finally {
    try { decoder.delete(); } catch { /* the module may already be gone */ }
  }
}

/** Test hook: preload a codec (used by the benchmark to keep start-up out of per-slice times). */
export async function warmCodec(codec: WasmCodec): Promise<void> {
  await loadCodec(codec);
}
