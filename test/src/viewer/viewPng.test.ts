// A saved view's labels describe the image only: never the patient's name, ID or birth date, and the series label is
// masked as in teaching-safe mode (whatever the switch says on screen).
import { describe, expect, it } from 'vitest';
import { viewLabels } from '../../../src/viewer/viewPng';
import type { InstanceHeader } from '../../../src/shared/types';

const header = { patientName: 'DOE^JANE', patientID: 'MRN-4471823', patientBirthDate: '19610312', patientIdentityRemoved: false } as unknown as InstanceHeader;

describe('viewLabels', () => {
  it('keeps the slide text to the image and masks the patient in the series label', () => {
    const l = viewLabels(header, { seriesLabel: 'Jane Doe chest CT', modality: 'CT', slice: 'Slice 3/24', window: 'W 400 L 40', location: 'Loc 10 mm · Th 5 mm', edges: { left: 'R', right: 'L', top: 'A', bottom: 'P' }, bar: { mm: 50, px: 120 } });
    const text = JSON.stringify(l);
    for (const secret of ['DOE', 'Doe', 'JANE', 'Jane', 'MRN-4471823', '19610312']) expect(text).not.toContain(secret);
    expect(l.corners.tl).toEqual(['••• ••• chest CT', 'CT']);
    expect(l.corners.bl).toEqual(['Slice 3/24', 'Loc 10 mm · Th 5 mm', 'W 400 L 40']);
  });
});
