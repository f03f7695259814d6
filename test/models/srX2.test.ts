// sr-x2 pre/post-processing and the model together: shapes, the normalisation contract, and modality values kept
// (mean HU of a homogeneous region moves by less than 2 HU).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { MODEL_CATALOG } from '../../models/catalog';
import { preprocess } from '../../models/sr-x2/preprocess';
import { outputSpacing, postprocess, toStored } from '../../models/sr-x2/postprocess';
import { normaliseSlice, percentile } from '../../models/shared/normalise';
import { makeGaussian, makeRandom } from '../../src/dicom/synthetic/random';

ort.env.wasm.numThreads = 1;

async function runSr(values: Float32Array, rows: number, columns: number, modality: 'CT' | 'MR') {
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(`models/${MODEL_CATALOG['sr-x2'].file}`)));
  const pre = preprocess(values, rows, columns, modality);
  const res = await session.run({ input: new ort.Tensor('float32', pre.x, pre.dims) });
  const out = res.output!;
  await session.release();
  return postprocess(out.data as Float32Array, out.dims, pre.offset, pre.scale);
}

describe('normalisation (mirrors models/training/common.py)', () => {
  it('percentile interpolates like numpy', () => {
    const s = Float64Array.from([1, 2, 3, 4]);
    expect(percentile(s, 1)).toBeCloseTo(1.03, 10);
    expect(percentile(s, 99)).toBeCloseTo(3.97, 10);
    expect(percentile(s, 50)).toBe(2.5);
  });
  it('CT uses the fixed HU map, MR the slice percentiles', () => {
    const ct = normaliseSlice([-2000, -1024, 0, 1024, 5000], 'CT');
    expect(Array.from(ct.x)).toEqual([0, 0, 0.5, 1, (3071 + 1024) / 2048]);
    const mr = normaliseSlice(Float32Array.from({ length: 101 }, (_, i) => i * 10), 'MR');
    expect(mr.offset).toBeCloseTo(10, 6);
    expect(mr.scale).toBeCloseTo(980, 6);
  });
});

describe('sr-x2 end to end', () => {
  it('doubles rows and columns and halves the spacing', async () => {
    const r = await runSr(new Float32Array(20 * 14).fill(40), 20, 14, 'CT');
    expect([r.rows, r.columns]).toEqual([40, 28]);
    expect(outputSpacing([0.8, 0.6])).toEqual([0.4, 0.3]);
  });

  it('keeps mean HU of a homogeneous region within 2 HU, and stored values round-trip the rescale', async () => {
    const n = 96;
    const gauss = makeGaussian(makeRandom(7));
    const values = new Float32Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      const inside = (x - n / 2) ** 2 + (y - n / 2) ** 2 < (n * 0.4) ** 2;
      values[y * n + x] = (inside ? 40 : -1000) + 10 * gauss();
    }
    const r = await runSr(values, n, n, 'CT');
    const meanIn = (arr: ArrayLike<number>, size: number, radius: number) => {
      let s = 0, k = 0;
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x - size / 2) ** 2 + (y - size / 2) ** 2 < radius ** 2) { s += arr[y * size + x]!; k++; }
      return s / k;
    };
    const before = meanIn(values, n, n * 0.3);
    const after = meanIn(r.modality, 2 * n, 2 * n * 0.3);
    expect(Math.abs(after - before)).toBeLessThan(2);
    const stored = toStored(r.modality, 1, -1024, 0, 4095);
    const back = Array.from(stored, (s) => s - 1024);
    expect(Math.abs(meanIn(back, 2 * n, 2 * n * 0.3) - after)).toBeLessThan(0.5);
  });
});
