// sr-x2 post-processing: the model's 1 × 1 × 2R × 2C output → modality values → stored values of the derived image.
// Thread-neutral, pure. Rows, columns and pixel spacing of the result: ×2 and ÷2 (callers update the header).
import { denormalise, toStoredValues } from '../shared/normalise';

export interface SrOutput { rows: number; columns: number; modality: Float32Array }

export function postprocess(output: Float32Array, dims: readonly number[], offset: number, scale: number): SrOutput {
  const rows = dims[2]!, columns = dims[3]!;
  if (output.length !== rows * columns) throw new RangeError(`sr-x2: output of ${output.length} values for ${rows} × ${columns}`);
  return { rows, columns, modality: denormalise(output, offset, scale) };
}

/** Stored values for writing the derived image with the source's rescale (so HU are preserved). */
export function toStored(modality: Float32Array, slope: number, intercept: number, min: number, max: number): Float64Array {
  return toStoredValues(modality, slope, intercept, min, max);
}

/** Pixel spacing of the ×2 output (mm): half the input's, rows and columns alike. */
export function outputSpacing(spacing: [number, number] | null): [number, number] | null {
  return spacing ? [spacing[0] / 2, spacing[1] / 2] : null;
}
