// denoise post-processing: the padded 1 × 1 × H × W output → the original rows × columns in modality values.
// Thread-neutral, pure. Stored values then follow with the source's rescale (models/shared/normalise.toStoredValues).
import { denormalise } from '../shared/normalise';

export function postprocess(output: Float32Array, dims: readonly number[], rows: number, columns: number, offset: number, scale: number): Float32Array {
  const pc = dims[3]!;
  if (dims[2]! < rows || pc < columns || output.length !== dims[2]! * pc) throw new RangeError('denoise: output smaller than the input');
  const cropped = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) cropped.set(output.subarray(r * pc, r * pc + columns), r * columns);
  return denormalise(cropped, offset, scale);
}
