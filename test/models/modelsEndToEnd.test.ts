// denoise and anomaly through the app's pre/post code and onnxruntime-web: modality values kept, lesions found.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { MODEL_CATALOG } from '../../models/catalog';
import * as dn from '../../models/denoise/preprocess';
import { postprocess as dnPost } from '../../models/denoise/postprocess';
import { flatDisk, gainDb } from '../../models/training/flatDiskNoise';
import { cropScores } from '../../models/anomaly/postprocess';
import * as an from '../../models/anomaly/preprocess';
import { brainMrSlice } from '../../src/dicom/synthetic/phantom';
import { insertLesions } from '../../src/teaching/syntheticLesions';

ort.env.wasm.numThreads = 1;

async function run(id: 'denoise' | 'anomaly', values: Float32Array, rows: number, columns: number, modality: 'CT' | 'MR') {
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(`models/${MODEL_CATALOG[id].file}`)));
  // The anomaly net at 1.8 mm works at full resolution (factor 1), so its scores map 1:1 onto the slice.
  const pre = id === 'anomaly' ? { ...an.preprocess(values, rows, columns, modality, [1.8, 1.8]), offset: 0, scale: 1 } : dn.preprocess(values, rows, columns, modality);
  const out = (await session.run({ input: new ort.Tensor('float32', pre.x, pre.dims) })).output!;
  await session.release();
  return { out: out.data as Float32Array, dims: out.dims, pre };
}

describe('denoise end to end', () => {
  it('reduces added noise and keeps the mean HU of a homogeneous region within 2 HU', async () => {
    // n = 98 is not a multiple of 4: exercises pad and crop. CT noise as reconstructed CT carries it and as the model
    // was trained on (models/training/degrade.py): Gaussian with a short spatial correlation, 30 HU.
    const { noisy, inner, n, value } = flatDisk('correlated', 30);
    const { out, dims, pre } = await run('denoise', noisy, n, n, 'CT');
    const den = dnPost(out, dims, n, n, pre.offset, pre.scale, 'CT', noisy);
    let sIn = 0, sOut = 0, k = 0;
    for (let i = 0; i < noisy.length; i++) if (inner[i]) { sIn += noisy[i]!; sOut += den[i]!; k++; }
    expect(Math.abs(sOut / k - sIn / k)).toBeLessThan(2);
    // At least 3 dB less error than the noisy input on this disk (the model keeps noise at the level real scans carry).
    expect(gainDb(noisy, den, inner, value)).toBeGreaterThan(3);
  });
});

describe('anomaly end to end', () => {
  it('scores a lesion inserted into a brain MR slice above 95 % of the rest of the head', async () => {
    const n = 128;
    const slice = brainMrSlice(n, 0.5, 21);
    const spacing: [number, number] = [1.8, 1.8];
    // A T1-dark lesion, as infarcts, most tumours and demyelination are on T1: bright MR lesions are the model's known
    // weakness (models/anomaly/MODEL_CARD.md, lesions found bright / dark).
    const lesion = { centerRow: 50, centerColumn: 70, diameterMm: 18, axisRatio: 0.8, angle: 0.3, contrast: -300, lobulation: 0.1, texture: 0.1 };
    const withLesion = insertLesions(slice, n, n, spacing, [lesion], 5);
    const { out, dims } = await run('anomaly', withLesion.values, n, n, 'MR');
    const scores = cropScores(out, dims, n, n);
    let inside = 0, outside: number[] = [];
    for (let i = 0; i < n * n; i++) {
      if (withLesion.mask[i]) inside = Math.max(inside, scores[i]!);
      else if (slice[i]! > 150) outside.push(scores[i]!);
    }
    outside = outside.sort((a, b) => a - b);
    expect(inside).toBeGreaterThan(outside[Math.floor(outside.length * 0.95)]!);
  });
});
