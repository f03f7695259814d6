import { describe, expect, it } from 'vitest';
import { WINDOW_PRESETS, applyWindow, autoWindow, initialWindow, toModality } from '../../../src/shared/voi';

describe('modality LUT and VOI', () => {
  it('rescales stored values to modality values', () => {
    expect(toModality(1024, 1, -1024)).toBe(0);
    expect(toModality(100, 0.5, 10)).toBe(60);
  });

  it('applies the linear VOI function of PS3.3 C.11.2.1.2.1', () => {
    const w = { center: 40, width: 400 };
    expect(applyWindow(-1000, w)).toBe(0);
    expect(applyWindow(1000, w)).toBe(255);
    expect(applyWindow(40, w)).toBeCloseTo(128, 0);
    expect(applyWindow(-160, w)).toBeLessThan(1);
  });

  it('auto window covers the 1st–99th percentile and ignores a few hot pixels', () => {
    const data = new Uint16Array(10000).map((_, i) => 100 + (i % 500));
    data[0] = 60000;
    data[1] = 60000;
    const w = autoWindow(data, 1, 0);
    expect(w.center - w.width / 2).toBeGreaterThanOrEqual(100);
    expect(w.center + w.width / 2).toBeLessThan(700);
  });

  it('prefers the header window, else computes one in modality units', () => {
    expect(initialWindow({ windowCenter: [40], windowWidth: [400], rescaleSlope: 1, rescaleIntercept: -1024 }, [])).toEqual({ center: 40, width: 400 });
    const w = initialWindow({ windowCenter: [], windowWidth: [], rescaleSlope: 1, rescaleIntercept: -1024 }, Uint16Array.from({ length: 1000 }, (_, i) => i + 1000));
    expect(w.center).toBeGreaterThan(-30);
    expect(w.center).toBeLessThan(500);
  });

  it('has the six CT presets with the usual values', () => {
    expect(WINDOW_PRESETS.CT!.map((p) => p.name)).toEqual(['Brain', 'Subdural', 'Lung', 'Mediastinum', 'Abdomen', 'Bone']);
    expect(WINDOW_PRESETS.CT!.find((p) => p.name === 'Lung')!.window).toEqual({ center: -600, width: 1500 });
  });
});
