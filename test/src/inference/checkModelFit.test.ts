// Out-of-distribution warnings from the model card's facts: modality, pixel spacing, bit depth, colour.
import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG, MODEL_IDS } from '../../../models/catalog';
import { checkModelFit } from '../../../src/inference/checkModelFit';

const ok = { modality: 'CT', pixelSpacing: [0.7, 0.7] as [number, number], bitsStored: 12, samplesPerPixel: 1 };

describe('checkModelFit', () => {
  it('is silent for an image like the training data', () => {
    expect(checkModelFit(MODEL_CATALOG['sr-x2'], ok)).toEqual([]);
  });
  it('names each mismatch', () => {
    const w = checkModelFit(MODEL_CATALOG.denoise, { modality: 'PT', pixelSpacing: [4, 4], bitsStored: 32, samplesPerPixel: 3 });
    expect(w).toHaveLength(4);
    expect(w.join(' ')).toMatch(/PT.*CT and MR/);
    expect(w.join(' ')).toMatch(/4\.00 × 4\.00 mm is outside the training range 0\.43–2 mm/);
    expect(w.join(' ')).toMatch(/Bits Stored 32/);
    expect(checkModelFit(MODEL_CATALOG.anomaly, { ...ok, pixelSpacing: null })[0]).toMatch(/No pixel spacing/);
  });
});

describe('checkModelFit with each model card\'s ranges', () => {
  it.each(MODEL_IDS)('%s: silent at the edges of its card\'s ranges, a warning just outside', (id) => {
    const m = MODEL_CATALOG[id], [lo, hi] = m.pixelSpacingMm, [, b1] = m.bitsStored;
    expect(checkModelFit(m, { ...ok, pixelSpacing: [lo, hi] })).toEqual([]);
    expect(checkModelFit(m, { ...ok, bitsStored: b1 })).toEqual([]);
    expect(checkModelFit(m, { ...ok, pixelSpacing: [lo - 0.01, lo] }).join(' ')).toMatch(/outside the training range/);
    expect(checkModelFit(m, { ...ok, bitsStored: b1 + 1 }).join(' ')).toMatch(/Bits Stored/);
  });
});
