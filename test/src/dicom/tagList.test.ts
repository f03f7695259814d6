// The tag browser's rows: every attribute with keyword, VR and value text; sequences item by item; in teaching-safe
// mode no identifying value (Basic Profile: not kept as is; private attributes; anything inside a removed sequence).
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { HIDDEN_VALUE, tagList } from '../../../src/dicom/tagList';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { makeImage, pattern } from '../../fixtures/makeImage';

async function file(ts: string = TS_UID.explicitLE) {
  return parseInstance(await makeImage({
    rows: 4, columns: 4, bitsAllocated: 16, values: Uint16Array.from(pattern(4, 4, 0, 100)), modality: 'CT', extra: [
      { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
      { tag: 0x00100020, vr: 'LO', value: 'MRN-4471823' },
      { tag: 0x00080080, vr: 'LO', value: 'St. Mary Hospital' },
      { tag: 0x00280030, vr: 'DS', value: [0.5, 0.5] },
      { tag: 0x00181030, vr: 'LO', value: 'CHEST ROUTINE' },
      { tag: 0x00091010, vr: 'LO', value: 'private secret' },
      { tag: 0x00081110, vr: 'SQ', value: [[{ tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.3.1.2.3.1' }, { tag: 0x00081155, vr: 'UI', value: '1.2.3.4.5' }]] },
      { tag: 0x00101002, vr: 'SQ', value: [[{ tag: 0x00100020, vr: 'LO', value: 'OTHER-ID-99' }]] },
    ],
  }, ts)).dataSet;
}

describe('tagList', () => {
  it('lists every attribute with keyword, VR and value; numbers and binary values as text', async () => {
    for (const ts of [TS_UID.explicitLE, TS_UID.implicitLE]) {
      const rows = tagList(await file(ts), { hideIdentity: false });
      const byTag = (t: string) => rows.find((r) => r.tag === t)!;
      expect(byTag('(0010,0010)')).toMatchObject({ keyword: 'PatientName', vr: 'PN', value: 'Doe^Jane', hidden: false });
      expect(byTag('(0028,0010)')).toMatchObject({ keyword: 'Rows', vr: 'US', value: '4' });
      expect(byTag('(0028,0030)')).toMatchObject({ keyword: 'PixelSpacing', value: '0.5\\0.5' });
      expect(byTag('(7FE0,0010)').value).toBe('32 bytes');
      expect(byTag('(0008,1110)')).toMatchObject({ vr: 'SQ', value: '1 item' });
      // Sequence items follow their sequence, one level deeper.
      const i = rows.findIndex((r) => r.tag === '(0008,1110)');
      expect(rows[i + 1]).toMatchObject({ tag: 'Item 1', depth: 1 });
      expect(rows[i + 2]).toMatchObject({ tag: '(0008,1150)', depth: 2 });
    }
  });

  it('teaching-safe: identifying values, private attributes and the insides of removed sequences are hidden; the rest shows', async () => {
    const rows = tagList(await file(), { hideIdentity: true });
    const text = JSON.stringify(rows);
    for (const secret of ['Doe^Jane', 'MRN-4471823', 'St. Mary Hospital', 'private secret', 'OTHER-ID-99', '1.2.3.4.5']) expect(text).not.toContain(secret);
    const byTag = (t: string) => rows.find((r) => r.tag === t)!;
    expect(byTag('(0010,0010)')).toMatchObject({ value: HIDDEN_VALUE, hidden: true });
    expect(byTag('(0009,1010)').hidden).toBe(true);
    expect(byTag('(0028,0010)')).toMatchObject({ value: '4', hidden: false });
    expect(byTag('(0028,0030)').hidden).toBe(false);
    expect(byTag('(0008,0060)')).toMatchObject({ value: 'CT', hidden: false });
  });
});
