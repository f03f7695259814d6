// The most arithmetic WebAssembly SIMD can do on this CPU: a hand-assembled module (no toolchain needed) whose loop
// keeps ACCUMULATORS independent f32x4 chains busy with acc = acc × b + c (f32x4.mul then f32x4.add, or with `fma`
// the relaxed-SIMD f32x4.relaxed_madd, which onnxruntime-web does not use yet), so nothing but the engine's SIMD
// throughput limits it. It is the ceiling for any WASM build of a convolution (onnxruntime-web's included): a model
// of F flops cannot run faster than F / peak. Compared with what onnxruntime-node reaches on the same model, it gives
// the smallest web/native ratio any WASM SIMD128 implementation could show here, at equal arithmetic.

const ACCUMULATORS = 12;

function uleb(n: number): number[] {
  const out: number[] = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function v128Const(v: number): number[] {
  const lanes = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return [0xfd, 0x0c, ...lanes];
}

/** (func (param $n i32) (result f32)): ACCUMULATORS f32x4 chains, n iterations; returns a lane sum so none is dead. */
export function peakModule(fma = false): Uint8Array<ArrayBuffer> {
  const b = ACCUMULATORS + 1, c = ACCUMULATORS + 2; // local indices (0 is the parameter)
  const mul = [0xfd, 0xe6, 0x01], add = [0xfd, 0xe4, 0x01], madd = [0xfd, 0x85, 0x02];
  const body: number[] = [1, ...uleb(ACCUMULATORS + 2), 0x7b]; // one local group: ACCUMULATORS + 2 v128
  for (let i = 1; i <= ACCUMULATORS; i++) body.push(...v128Const(1 + i / 100), 0x21, i);
  body.push(...v128Const(0.999), 0x21, b, ...v128Const(0.001), 0x21, c);
  body.push(0x03, 0x40); // loop
  for (let i = 1; i <= ACCUMULATORS; i++) {
    body.push(...(fma ? [0x20, i, 0x20, b, 0x20, c, ...madd] : [0x20, i, 0x20, b, ...mul, 0x20, c, ...add]), 0x21, i);
  }
  body.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b); // n -= 1; br_if n; end
  body.push(0x20, 1, 0xfd, 0x1f, 0);
  for (let i = 2; i <= ACCUMULATORS; i++) body.push(0x20, i, 0xfd, 0x1f, 0, 0x92);
  body.push(0x0b);
  const code = [1, ...uleb(body.length), ...body];
  const name = [...new TextEncoder().encode('peak')];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]),
    ...section(3, [1, 0]),
    ...section(7, [1, name.length, ...name, 0, 0]),
    ...section(10, code),
  ]);
}

export interface PeakInput { bytes: number[]; flopsPerIteration: number; iterations: number; repeats: number }

/** Best of a few timed runs, in GFLOP/s on one thread; NaN when the engine rejects the module. Self-contained, so
 *  the bench can also run it in Chromium (page.evaluate). */
export async function measurePeak(input: PeakInput): Promise<number> {
  let peak: (n: number) => number;
  try {
    const instance = await WebAssembly.instantiate(new WebAssembly.Module(new Uint8Array(input.bytes)));
    peak = instance.exports.peak as (n: number) => number;
  } catch { return NaN; }
  peak(10_000);
  let best = 0;
  for (let r = 0; r < input.repeats; r++) {
    const t0 = performance.now();
    const sum = peak(input.iterations);
    const s = (performance.now() - t0) / 1000;
    if (!Number.isFinite(sum)) throw new Error('peak loop diverged');
    best = Math.max(best, (input.iterations * input.flopsPerIteration) / s / 1e9);
  }
  return best;
}

/** A multiply and an add count as two flops, as an FMA does. */
export function peakInput(fma = false, iterations = 20_000_000, repeats = 5): PeakInput {
  return { bytes: [...peakModule(fma)], flopsPerIteration: ACCUMULATORS * 2 * 4, iterations, repeats };
}
