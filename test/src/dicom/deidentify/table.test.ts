// The action table is generated from the standard's own list (PS3.15 Table E.1-1, 2024b) and the committed file is
// exactly what the generator makes of it; the rules read it as PS3.15 E.1.1 and E.3 say.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDeidTable } from '../../../../scripts/generateDeidTable';
import { DEID_RULES, DEID_TABLE_SOURCE } from '../../../../src/dicom/deidentify/table';
import { resolveRule, ruleFor } from '../../../../src/dicom/deidentify/rules';

const TSV = '../shared/standards/ps3.15-table-e1-1.tsv';
const HAS_TSV = existsSync(TSV);
if (!HAS_TSV && process.env.CI === 'true') throw new Error(`${TSV} is missing: CI needs the standard's table beside the project`);

describe('PS3.15 Table E.1-1 as data', () => {
  it.skipIf(!HAS_TSV)('the committed table is what scripts/generateDeidTable.ts makes from the TSV', () => {
    expect(readFileSync('src/dicom/deidentify/table.ts', 'utf8')).toBe(generateDeidTable(readFileSync(TSV, 'utf8')));
  });

  it('records its source and holds every row', () => {
    expect(DEID_TABLE_SOURCE.revision).toBe('2024b');
    expect(DEID_TABLE_SOURCE.rows).toBe(621);
    expect(Object.keys(DEID_RULES)).toHaveLength(617);
  });

  it('resolves rows, wildcards and the private row to actions', () => {
    const act = (key: string, vr: string, o = {}) => resolveRule(ruleFor(key)!, vr, o);
    expect(act('00100010', 'PN')).toBe('empty'); // Patient's Name: Z
    expect(act('00080018', 'UI')).toBe('uid'); // SOP Instance UID: U
    expect(act('00081140', 'SQ')).toBe('recurse'); // Referenced Image Sequence: X/Z/U*
    expect(act('00081030', 'LO')).toBe('remove'); // Study Description: X
    expect(act('00081030', 'LO', { cleanDescriptors: true })).toBe('clean');
    expect(act('00080020', 'DA')).toBe('empty'); // Study Date: Z
    expect(act('00080020', 'DA', { shiftDates: true })).toBe('shift');
    expect(act('00080030', 'TM', { shiftDates: true })).toBe('keep');
    expect(act('00080023', 'DA')).toBe('dummy'); // Content Date: Z/D → a dummy keeps a Type 1 attribute valid
    expect(act('00100040', 'CS', { keepPatientCharacteristics: true })).toBe('keep');
    expect(act('50003000', 'OB')).toBe('remove'); // curve data (50xx,xxxx)
    expect(act('60003000', 'OW')).toBe('remove'); // overlay data (60xx,3000)
    expect(act('00091001', 'LO')).toBe('remove'); // private
    expect(ruleFor('00280010')).toBeUndefined(); // Rows: not in the table, kept
  });
});
