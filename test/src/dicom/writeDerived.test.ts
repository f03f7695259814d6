// writeDerived and character sets: a derived image of a Latin-1 (ISO_IR 100) source declares ISO_IR 192 and carries the
// source's names re-encoded as UTF-8, read back by parseInstance and by dcmtk's dcmdump (required under CI).
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { readText } from '../../../src/dicom/readText';
import { TAG } from '../../../src/dicom/tags';
import { newUid, writeDerived } from '../../../src/dicom/writeDerived';
import { dcmtkLogged, dcmtkTool } from '../../fixtures/dcmtk';
import { imageElements } from '../../fixtures/makeImage';
import { latin1, writeWithRawText } from '../../fixtures/rawText';

const spec = { rows: 4, columns: 4, bitsAllocated: 16, values: Uint16Array.from({ length: 16 }, (_, i) => i * 10) };
const source = parseInstance(writeWithRawText([...imageElements(spec, spec.values), { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' }], [
  { tag: 0x00100010, vr: 'PN', bytes: latin1('Buc^Jérôme') },
  { tag: 0x00080080, vr: 'LO', bytes: latin1('Hôpital Saint-Louis') },
]));
const derivation = { modelId: 'sr-x2', modelTitle: 'Super-resolution ×2', sha256: 'ab'.repeat(32), seriesInstanceUID: newUid(), sopInstanceUID: newUid() };
const bytes = writeDerived(source, { rows: 8, columns: 8, frames: [new Float32Array(64)], scale: 2 }, derivation);
const derived = parseInstance(bytes);

describe('writeDerived: character set', () => {
  it('declares ISO_IR 192 and re-encodes the Latin-1 source text as UTF-8', () => {
    expect(readText(derived.dataSet, TAG.SpecificCharacterSet, 'CS')).toBe('ISO_IR 192');
    expect(readText(derived.dataSet, TAG.PatientName, 'PN')).toBe('Buc^Jérôme');
    expect(derived.header.patientName).toBe('Buc Jérôme');
    expect(derived.header.institutionName).toBe('Hôpital Saint-Louis');
    expect(readText(derived.dataSet, 'x00082111', 'ST')).toContain('Super-resolution ×2');
    const el = derived.dataSet.elements[TAG.PatientName]!;
    expect([...derived.dataSet.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)]).toEqual([...new TextEncoder().encode('Buc^Jérôme')]);
  });

  const dcmdump = dcmtkTool('dcmdump');
  it.skipIf(dcmdump.skip)(`dcmtk's dcmdump reads the name and the "×"${dcmdump.title}`, () => {
    // +U8: convert every value to UTF-8 from what (0008,0005) declares; a wrong or missing declaration shows as mojibake.
    const r = dcmdump.run(bytes, ['+U8', '+P', '0010,0010', '+P', '0008,0080', '+P', '0008,2111']);
    expect(r.status, r.stderr).toBe(0);
    expect(dcmtkLogged(r.stderr, 'EFW'), r.stderr).toEqual([]);
    expect(r.stdout).toContain('[Buc^Jérôme]');
    expect(r.stdout).toContain('[Hôpital Saint-Louis]');
    expect(r.stdout).toContain('Super-resolution ×2');
  });
});
