import { describe, expect, it } from 'vitest';
import { directionLetters, edgeLabels, scaleBar, sliceLocationOf } from '../../../src/shared/orientation';

describe('orientation markers', () => {
  it('axial, coronal and sagittal images get the letters radiologists expect', () => {
    // Axial (feet-first view convention of DICOM display): patient's right on the viewer's left, anterior up.
    expect(edgeLabels([1, 0, 0, 0, 1, 0])).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    // Coronal: rows run to the patient's left, columns towards the feet.
    expect(edgeLabels([1, 0, 0, 0, 0, -1])).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' });
    // Sagittal: rows run posterior, columns towards the feet.
    expect(edgeLabels([0, 1, 0, 0, 0, -1])).toEqual({ left: 'A', right: 'P', top: 'H', bottom: 'F' });
  });
  it('oblique directions get two letters, strongest first; small tilts do not', () => {
    const c = Math.SQRT1_2;
    expect(directionLetters([c, 0, -c * 1.01])).toBe('FL');
    expect(edgeLabels([0.999, -0.022, 0.038, 0.027, 0.991, -0.128])).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' }); // the studyforrest T1
    expect(edgeLabels([0.8, 0, 0.6, 0, 1, 0])!.right).toBe('LH');
  });
  it('flips swap the edges; a missing or degenerate orientation gives none', () => {
    expect(edgeLabels([1, 0, 0, 0, 1, 0], true, false)).toEqual({ left: 'L', right: 'R', top: 'A', bottom: 'P' });
    expect(edgeLabels([1, 0, 0, 0, 1, 0], false, true)).toEqual({ left: 'R', right: 'L', top: 'P', bottom: 'A' });
    expect(edgeLabels(null)).toBeNull();
    expect(edgeLabels([0, 0, 0, 0, 0, 0])).toBeNull();
    expect(edgeLabels([1, 0, 0, 0, 1, NaN])).toBeNull();
  });
});

describe('scale bar', () => {
  it('picks a round length near the target on screen', () => {
    expect(scaleBar(1, 120)).toEqual({ mm: 100, px: 100 });
    expect(scaleBar(2.4, 120)).toEqual({ mm: 50, px: 120 });
    expect(scaleBar(0.3, 120)).toEqual({ mm: 500, px: 150 });
    const b = scaleBar(13.7, 120)!;
    expect([1, 2, 5, 10]).toContain(b.mm);
    expect(b.px).toBeGreaterThan(60);
    expect(b.px).toBeLessThan(240);
  });
  it('none without a usable spacing', () => {
    expect(scaleBar(0)).toBeNull();
    expect(scaleBar(Number.POSITIVE_INFINITY)).toBeNull();
    expect(scaleBar(NaN)).toBeNull();
  });
});

describe('slice location', () => {
  it('Slice Location when present, else the position along the normal', () => {
    expect(sliceLocationOf({ sliceLocation: -12.5, imagePositionPatient: [0, 0, 40], imageOrientationPatient: [1, 0, 0, 0, 1, 0] })).toBe(-12.5);
    expect(sliceLocationOf({ sliceLocation: null, imagePositionPatient: [-100, -100, 40], imageOrientationPatient: [1, 0, 0, 0, 1, 0] })).toBeCloseTo(40);
    expect(sliceLocationOf({ sliceLocation: null, imagePositionPatient: [30, -100, 40], imageOrientationPatient: [0, 1, 0, 0, 0, -1] })).toBeCloseTo(-30);
    expect(sliceLocationOf({ sliceLocation: null, imagePositionPatient: null, imageOrientationPatient: [1, 0, 0, 0, 1, 0] })).toBeNull();
  });
});
