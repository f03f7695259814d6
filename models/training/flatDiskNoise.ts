// The denoiser on a flat synthetic disk (40 HU in −1000 HU air) with added noise, white or CT-like (Gaussian blurred
// with σ 0.7 px as in degrade.py): how much of the added noise the shipped model removes, through the app's inference
// API. The disk is also test/models/modelsEndToEnd.test.ts's fixture.
//   npx tsx models/training/flatDiskNoise.ts
import { gaussianBlur } from '../denoise/postprocess';
import { makeGaussian, makeRandom } from '../../src/dicom/synthetic/random';

export type NoiseKind = 'white' | 'correlated';

/** n × n disk (radius 0.42 n) with `sigmaHu` of added noise; `inner` marks the central disk (radius 0.3 n) measured. */
export function flatDisk(kind: NoiseKind, sigmaHu: number, n = 98, seed = 11): { noisy: Float32Array; inner: Uint8Array; n: number; value: number } {
  const g = makeGaussian(makeRandom(seed));
  const white = Float32Array.from({ length: n * n }, () => g());
  const noise = kind === 'white' ? white : gaussianBlur(white, n, n, 0.7);
  const sd = kind === 'white' ? 1 : Math.sqrt(noise.reduce((a, v) => a + v * v, 0) / noise.length);
  const noisy = new Float32Array(n * n), inner = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const r2 = (x - n / 2) ** 2 + (y - n / 2) ** 2;
    noisy[y * n + x] = (r2 < (n * 0.42) ** 2 ? 40 : -1000) + (sigmaHu / sd) * noise[y * n + x]!;
    inner[y * n + x] = r2 < (n * 0.3) ** 2 ? 1 : 0;
  }
  return { noisy, inner, n, value: 40 };
}

/** dB less squared error against the true 40 HU inside the inner disk, output vs input. */
export function gainDb(noisy: Float32Array, out: Float32Array, inner: Uint8Array, value: number): number {
  let errIn = 0, errOut = 0;
  for (let i = 0; i < noisy.length; i++) if (inner[i]) { errIn += (noisy[i]! - value) ** 2; errOut += (out[i]! - value) ** 2; }
  return 10 * Math.log10(errIn / errOut);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { createEngine } = await import('../../cli/engine');
  const api = await createEngine(1);
  for (const kind of ['white', 'correlated'] as const) for (const sigma of [15, 30, 60]) {
    const { noisy, inner, n, value } = flatDisk(kind, sigma);
    const r = await api.enhance('denoise', { data: noisy, rows: n, columns: n, samples: 1, rescaleSlope: 1, rescaleIntercept: 0, modality: 'CT' });
    console.log(`${kind.padEnd(10)} ${String(sigma).padStart(3)} HU: ${gainDb(noisy, r.values, inner, value).toFixed(2)} dB less error`);
  }
}
