// Modality values → int16 stored values + rescale: the source rescale is kept when it fits (CT stays exact to 1 HU),
// float or out-of-range values get a slope spreading them over int16; values come back within half a step.
import { describe, expect, it } from 'vitest';
import { displayPixels, storedWithRescale } from '../../../src/shared/rescale';

describe('storedWithRescale', () => {
  it('keeps the source rescale for integer CT', () => {
    const hu = Float32Array.of(-1024, -1000.4, 0, 40.2, 3071);
    const r = storedWithRescale([hu], 1, -1024);
    expect([r.slope, r.intercept]).toEqual([1, -1024]);
    expect(Array.from(r.stored)).toEqual([0, 24, 1024, 1064, 4095]);
  });
  it('spreads float values over int16 and round-trips them within half a step', () => {
    const v = Float32Array.from({ length: 100 }, (_, i) => 0.001 * i - 0.03);
    const r = storedWithRescale([v, v], 1, 0, false);
    expect(r.stored.length).toBe(200);
    for (let i = 0; i < 100; i++) expect(Math.abs(r.stored[i]! * r.slope + r.intercept - v[i]!)).toBeLessThanOrEqual(r.slope / 2 + 1e-9);
  });
  it('changes the rescale when values would overflow int16 with the source one', () => {
    const r = storedWithRescale([Float32Array.of(0, 100000)], 1, 0);
    expect(r.slope).toBeGreaterThan(1);
    expect(Math.abs(r.stored[1]! * r.slope + r.intercept - 100000)).toBeLessThanOrEqual(r.slope / 2 + 1e-6);
  });
});

describe('displayPixels', () => {
  it('shows HU as whole units with their range, and small or fine ranges spread over int16', () => {
    const hu = displayPixels(Float32Array.of(-1000.2, 40.4, 2000));
    expect([hu.slope, hu.intercept, hu.min, hu.max]).toEqual([1, 0, -1000, 2000]);
    const small = displayPixels(Float32Array.of(0, 0.5, 1.5));
    expect(small.max - small.min).toBeGreaterThan(60000);
    expect(Math.abs(small.stored[1]! * small.slope + small.intercept - 0.5)).toBeLessThan(1e-4);
    expect(displayPixels(Float32Array.of(-5000, 5000), true).slope).toBeLessThan(1);
  });
});
