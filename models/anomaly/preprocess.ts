// anomaly pre-processing: identical to the denoiser's (normalise, edge-pad to multiples of 4); the model reconstructs
// a "normal" slice internally and outputs the smoothed residual. Thread-neutral, pure.
export { preprocess, padToMultiple } from '../denoise/preprocess';
export type { DenoiseInput as AnomalyInput } from '../denoise/preprocess';
