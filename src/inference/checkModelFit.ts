// Before a model runs: does this image look like what the model card says it was trained on (modality, in-plane pixel
// spacing, bit depth, greyscale)? Mismatches are warnings shown next to the result (out of distribution), not
// errors: the teaching value is in seeing what a model does outside its comfort zone. Thread-neutral, pure.
import type { ModelEntry } from '../../models/catalog';
import type { InstanceHeader } from '../shared/types';

export function checkModelFit(model: ModelEntry, h: Pick<InstanceHeader, 'modality' | 'pixelSpacing' | 'bitsStored' | 'samplesPerPixel'>): string[] {
  const out: string[] = [];
  if (!(model.modalities as readonly string[]).includes(h.modality)) {
    out.push(`Modality ${h.modality || 'unknown'}: the model was trained on ${model.modalities.join(' and ')} only.`);
  }
  const [lo, hi] = model.pixelSpacingMm;
  if (!h.pixelSpacing) out.push('No pixel spacing in the header: the model was trained on ' + `${lo}–${hi} mm pixels.`);
  else if (h.pixelSpacing.some((s) => s < lo || s > hi)) {
    out.push(`Pixel spacing ${h.pixelSpacing.map((s) => s.toFixed(2)).join(' × ')} mm is outside the training range ${lo}–${hi} mm.`);
  }
  const [b0, b1] = model.bitsStored;
  if (h.bitsStored < b0 || h.bitsStored > b1) out.push(`Bits Stored ${h.bitsStored} is outside the training range ${b0}–${b1}.`);
  if (h.samplesPerPixel !== 1) out.push('Colour image: the models take greyscale slices.');
  return out;
}
