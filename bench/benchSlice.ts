// The bench's input: one 512 × 512 CT phantom slice (int16 + rescale, as a scanner stores it) and the normalised
// tensor each model receives. Shared by the Node runs of onnxruntime-web and onnxruntime-node.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelId } from '../models/catalog';
import * as srPre from '../models/sr-x2/preprocess';
import * as dnPre from '../models/denoise/preprocess';
import * as anPre from '../models/anomaly/preprocess';
import { chestCtSlice } from '../src/dicom/synthetic/phantom';
import type { InferenceImage } from '../workers/inference/inferenceApi';

export const SIZE = 512;
/** A typical 512² body CT field of view (358 mm): screening works on it at half resolution (models/anomaly/preprocess.ts). */
export const PIXEL_SPACING_MM = 0.7;
export const REPEATS = 3;

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function benchSlice(): { image: InferenceImage; normalised: (id: ModelId) => { data: Float32Array; dims: number[] } } {
  const hu = chestCtSlice(SIZE, 0.5, 77);
  const image: InferenceImage = { data: Int16Array.from(hu, (v) => Math.round(v) + 1024), rows: SIZE, columns: SIZE, samples: 1, rescaleSlope: 1, rescaleIntercept: -1024, modality: 'CT', pixelSpacing: [PIXEL_SPACING_MM, PIXEL_SPACING_MM] };
  return {
    image,
    normalised: (id) => {
      const pre = id === 'sr-x2' ? srPre.preprocess(hu, SIZE, SIZE, 'CT')
        : id === 'anomaly' ? anPre.preprocess(hu, SIZE, SIZE, 'CT', [PIXEL_SPACING_MM, PIXEL_SPACING_MM]) : dnPre.preprocess(hu, SIZE, SIZE, 'CT');
      return { data: pre.x, dims: [...pre.dims] };
    },
  };
}

/** A model the app shipped before, kept under bench/previous/ (never bundled) to be timed beside today's. */
export interface PreviousModel { id: ModelId; label: string; file: string; bytes: Uint8Array; input: { data: Float32Array; dims: number[] } }

/** bench/previous/models.json: each file checked against its sha256; the input is the bench slice, normalised as every
 * model before the anomaly model's working resolution (the full HU map at the size the model took). */
export function previousModels(): PreviousModel[] {
  const list = JSON.parse(readFileSync('bench/previous/models.json', 'utf8')) as { id: ModelId; file: string; label: string; sha256: string; inputSize: number }[];
  return list.map((p) => {
    const bytes = new Uint8Array(readFileSync(`bench/previous/${p.file}`));
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== p.sha256) throw new Error(`bench/previous/${p.file}: sha256 ${sha}, expected ${p.sha256}`);
    const hu = chestCtSlice(p.inputSize, 0.5, 77);
    const pre = dnPre.preprocess(hu, p.inputSize, p.inputSize, 'CT');
    return { id: p.id, label: p.label, file: p.file, bytes, input: { data: pre.x, dims: [...pre.dims] } };
  });
}
