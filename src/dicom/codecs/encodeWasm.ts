// WASM encoders (CharLS, OpenJPEG, OpenJPH, libjpeg-turbo) for fixtures, the benchmark and derived series.
// Thread-neutral; Node and workers only (the app's decode path never loads these full builds).

interface Encoder {
  getDecodedBuffer(info: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  setNearLossless?(n: number): void;
  setQuality?(a: boolean | number, q?: number): void;
  setDecompositions?(n: number): void;
  setProgressive?(on: boolean): void;
  setCompressionRatio?(layer: number, ratio: number): void;
  delete(): void;
}
type Module = Record<string, new () => Encoder>;

const cache = new Map<string, Promise<Module>>();

function load(name: 'charls' | 'openjpeg' | 'openjph' | 'libjpeg'): Promise<Module> {
  let p = cache.get(name);
  if (!p) {
    p = (async () => {
      const mod: { default?: unknown } =
        name === 'charls' ? await import('@cornerstonejs/codec-charls/wasmjs')
        : name === 'openjpeg' ? await import('@cornerstonejs/codec-openjpeg/wasmjs')
        : name === 'openjph' ? await import('@cornerstonejs/codec-openjph/wasmjs')
        : await import('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs');
      return ((mod.default ?? mod) as (o: object) => Promise<Module>)({ print: () => {}, printErr: () => {} });
    })();
    cache.set(name, p);
  }
  return p;
}

export interface EncodeInput {
  /** Interleaved samples in host order: 1 or 2 bytes a sample. */
  pixels: Uint8Array;
  rows: number;
  columns: number;
  components: 1 | 3;
  bitsPerSample: number;
  signed: boolean;
}

async function run(name: 'charls' | 'openjpeg' | 'openjph' | 'libjpeg', cls: string, input: EncodeInput, configure: (e: Encoder) => void): Promise<Uint8Array> {
  const m = await load(name);
  const e = new m[cls]!();
  try {
    const info = { width: input.columns, height: input.rows, bitsPerSample: input.bitsPerSample, componentCount: input.components, isSigned: input.signed, isUsingColorTransform: false };
    e.getDecodedBuffer(info).set(input.pixels);
    configure(e);
    e.encode();
    return e.getEncodedBuffer().slice();
  } finally {
    e.delete();
  }
}

/** JPEG-LS; `near` = 0 is lossless, > 0 near-lossless (max error `near`). */
export function encodeJpegLs(input: EncodeInput, near = 0): Promise<Uint8Array> {
  return run('charls', 'JpegLSEncoder', input, (e) => e.setNearLossless!(near));
}
/** JPEG 2000; `ratio` undefined is lossless, else a target compression ratio. */
export function encodeJ2k(input: EncodeInput, ratio?: number): Promise<Uint8Array> {
  return run('openjpeg', 'J2KEncoder', input, (e) => {
    // OpenJPEG refuses more resolution levels than the smaller side allows.
    e.setDecompositions!(Math.max(1, Math.min(5, Math.floor(Math.log2(Math.min(input.rows, input.columns))) - 1)));
    if (ratio) { e.setQuality!(false, 0); e.setCompressionRatio!(0, ratio); } });
}
/** HTJ2K; `quantizationStep` undefined is lossless. */
export function encodeHtj2k(input: EncodeInput, quantizationStep?: number): Promise<Uint8Array> {
  return run('openjph', 'HTJ2KEncoder', input, (e) => { if (quantizationStep) e.setQuality!(false, quantizationStep); });
}
/** JPEG baseline (8-bit), quality 1–100. */
export function encodeJpegBaseline(input: EncodeInput, quality = 95): Promise<Uint8Array> {
  return run('libjpeg', 'JPEGEncoder', input, (e) => { e.setProgressive!(false); e.setQuality!(quality); });
}
