// The bench's input: one 512 × 512 CT phantom slice (int16 + rescale, as a scanner stores it) and the normalised
// tensor each model receives. Shared by the Node runs of onnxruntime-web and onnxruntime-node.
import type { ModelId } from '../models/catalog';
import * as srPre from '../models/sr-x2/preprocess';
import * as dnPre from '../models/denoise/preprocess';
import { chestCtSlice } from '../src/dicom/synthetic/phantom';
import type { InferenceImage } from '../workers/inference/inferenceApi';

export const SIZE = 512;
export const REPEATS = 3;

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function benchSlice(): { image: InferenceImage; normalised: (id: ModelId) => { data: Float32Array; dims: number[] } } {
  const hu = chestCtSlice(SIZE, 0.5, 77);
  const image: InferenceImage = { data: Int16Array.from(hu, (v) => Math.round(v) + 1024), rows: SIZE, columns: SIZE, samples: 1, rescaleSlope: 1, rescaleIntercept: -1024, modality: 'CT' };
  return {
    image,
    normalised: (id) => {
      const pre = id === 'sr-x2' ? srPre.preprocess(hu, SIZE, SIZE, 'CT') : dnPre.preprocess(hu, SIZE, SIZE, 'CT');
      return { data: pre.x, dims: [...pre.dims] };
    },
  };
}
