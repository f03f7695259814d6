import { describe, expect, it } from 'vitest';
import { groupSeries, sortInstances, type InstanceRef } from '../../../src/dicom/groupSeries';
import type { InstanceHeader } from '../../../src/shared/types';

function header(o: Partial<InstanceHeader>): InstanceHeader {
  return {
    transferSyntaxUID: '1.2.840.10008.1.2.1', sopClassUID: '', sopInstanceUID: '', studyInstanceUID: 'S1', seriesInstanceUID: 'A',
    studyDescription: '', seriesDescription: '', studyDate: '', seriesNumber: 1, instanceNumber: null, modality: 'CT', patientName: '',
    patientID: '', patientBirthDate: '', institutionName: '', patientIdentityRemoved: false, imageType: [], rows: 2, columns: 2, frames: 1, samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2', planarConfiguration: 0, bitsAllocated: 16, bitsStored: 16, highBit: 15,
    pixelRepresentation: 0, rescaleSlope: 1, rescaleIntercept: 0, windowCenter: [], windowWidth: [], imagePositionPatient: null,
    imageOrientationPatient: null, pixelSpacing: null, sliceThickness: null, sliceLocation: null, frameTimeMs: null, pixelKind: 'int', palette: null, ...o,
  };
}

describe('groupSeries', () => {
  it('groups by study and series and orders series by number', () => {
    const refs: InstanceRef[] = [
      { id: '1', header: header({ seriesInstanceUID: 'B', seriesNumber: 5 }) },
      { id: '2', header: header({ seriesInstanceUID: 'A', seriesNumber: 2 }) },
      { id: '3', header: header({ studyInstanceUID: 'S2', seriesInstanceUID: 'C' }) },
      { id: '4', header: header({ seriesInstanceUID: 'B', seriesNumber: 5 }) },
    ];
    const studies = groupSeries(refs);
    expect(studies.map((s) => s.studyInstanceUID)).toEqual(['S1', 'S2']);
    expect(studies[0]!.series.map((s) => s.seriesInstanceUID)).toEqual(['A', 'B']);
    expect(studies[0]!.series[1]!.images).toHaveLength(2);
  });

  it('sorts along the slice normal, not by z alone (oblique and sagittal stacks)', () => {
    // Sagittal: rows along y, columns along -z; normal = row × col = (0,1,0) × (0,0,-1) = (-1, 0, 0).
    const iop: [number, number, number, number, number, number] = [0, 1, 0, 0, 0, -1];
    const xs = [10, -20, 0, 30, -5];
    const refs = xs.map((x, i) => ({ id: String(i), header: header({ imageOrientationPatient: iop, imagePositionPatient: [x, 0, 0], instanceNumber: i + 1 }) }));
    const { sorted, sortedBy } = sortInstances(refs);
    expect(sortedBy).toBe('position');
    // Ascending along (-1,0,0) means descending x.
    expect(sorted.map((r) => r.header.imagePositionPatient![0])).toEqual([30, 10, 0, -5, -20]);
  });

  it('falls back to InstanceNumber when geometry is missing or degenerate, then to arrival', () => {
    const refs = [3, 1, 2].map((n, i) => ({ id: String(i), header: header({ instanceNumber: n }) }));
    expect(sortInstances(refs)).toMatchObject({ sortedBy: 'instance-number' });
    expect(sortInstances(refs).sorted.map((r) => r.header.instanceNumber)).toEqual([1, 2, 3]);
    const same = [2, 1].map((n, i) => ({ id: String(i), header: header({ instanceNumber: n, imagePositionPatient: [0, 0, 0], imageOrientationPatient: [1, 0, 0, 0, 1, 0] }) }));
    expect(sortInstances(same).sortedBy).toBe('instance-number');
    const none = [0, 1].map((i) => ({ id: String(i), header: header({}) }));
    expect(sortInstances(none).sortedBy).toBe('arrival');
  });

  it('expands multi-frame instances into one image per frame', () => {
    const studies = groupSeries([{ id: 'm', header: header({ frames: 5 }) }]);
    expect(studies[0]!.series[0]!.images).toEqual([0, 1, 2, 3, 4].map((frame) => ({ instanceId: 'm', frame })));
  });

  it('never merges files that lack a SeriesInstanceUID', () => {
    const studies = groupSeries([{ id: 'a', header: header({ seriesInstanceUID: '' }) }, { id: 'b', header: header({ seriesInstanceUID: '' }) }]);
    expect(studies[0]!.series).toHaveLength(2);
  });
});
