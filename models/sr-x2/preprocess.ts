// sr-x2 pre-processing: modality values of one slice → the model's 1 × 1 × rows × columns input tensor.
// Thread-neutral, pure; shared by the browser worker and the CLI. Mirrors models/training/common.py.
import { normaliseSlice, type ModelModality, type Normalised } from '../shared/normalise';

export interface SrInput extends Normalised { dims: [1, 1, number, number] }

export function preprocess(modalityValues: ArrayLike<number>, rows: number, columns: number, modality: ModelModality): SrInput {
  if (modalityValues.length !== rows * columns) throw new RangeError(`sr-x2: ${modalityValues.length} values for ${rows} × ${columns}`);
  return { ...normaliseSlice(modalityValues, modality), dims: [1, 1, rows, columns] };
}
