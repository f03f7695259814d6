import { describe, expect, it } from 'vitest';
import { measurePeak, peakInput, peakModule } from '../../bench/wasmPeak';

describe('WASM SIMD peak module (bench)', () => {
  it('is valid WebAssembly and computes the twelve f32x4 chains it claims', async () => {
    const bytes = peakModule();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const instance = await WebAssembly.instantiate(new WebAssembly.Module(bytes));
    const peak = instance.exports.peak as (n: number) => number;
    const f = Math.fround, b = f(0.999), c = f(0.001), n = 1000;
    let sum = 0;
    for (let i = 1; i <= 12; i++) {
      let acc = f(1 + i / 100);
      for (let k = 0; k < n; k++) acc = f(f(acc * b) + c);
      sum = i === 1 ? acc : f(sum + acc);
    }
    expect(peak(n)).toBe(sum);
  });

  it('measures a positive rate, and NaN for a module the engine rejects', async () => {
    expect(await measurePeak(peakInput(false, 100_000, 1))).toBeGreaterThan(0);
    expect(await measurePeak({ ...peakInput(false, 10, 1), bytes: [0, 97, 115, 109, 2, 0, 0, 0] })).toBeNaN();
  });
});
