// writeDicom declares the UTF-8 it writes: (0008,0005) = ISO_IR 192 is added for non-ASCII text (sequence items
// included), ASCII-only datasets are left byte-identical, and a contradicting declaration is refused.
import { describe, expect, it } from 'vitest';
import { declareCharset } from '../../../src/dicom/declareCharset';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { readText } from '../../../src/dicom/readText';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { writeDicom, type WriteElement } from '../../../src/dicom/writeDicom';
import { imageElements } from '../../fixtures/makeImage';

const spec = { rows: 2, columns: 2, bitsAllocated: 8, values: new Uint8Array(4) };
const write = (extra: WriteElement[]) => writeDicom([...imageElements(spec, spec.values), ...extra], { transferSyntaxUID: TS_UID.explicitLE });

describe('declareCharset', () => {
  it('adds ISO_IR 192 to a dataset with non-ASCII text, and other readers get the name right', () => {
    const { dataSet, header } = parseInstance(write([{ tag: 0x00100010, vr: 'PN', value: 'Buc^Jérôme' }]));
    expect(readText(dataSet, 'x00080005', 'CS')).toBe('ISO_IR 192');
    expect(header.patientName).toBe('Buc Jérôme');
  });

  it('looks inside sequence items and multi-valued strings', () => {
    const item: WriteElement[] = [{ tag: 0x00080104, vr: 'LO', value: 'Größe' }];
    expect(declareCharset([{ tag: 0x00082218, vr: 'SQ', value: [item] }]).some((e) => e.tag === 0x00080005)).toBe(true);
    expect(declareCharset([{ tag: 0x00081030, vr: 'LO', value: ['a', 'ü'] }]).some((e) => e.tag === 0x00080005)).toBe(true);
  });

  it('leaves ASCII-only datasets as they were (the default repertoire needs no declaration)', () => {
    const ascii: WriteElement[] = [{ tag: 0x00100010, vr: 'PN', value: 'DOE^JANE' }];
    expect(declareCharset(ascii)).toBe(ascii);
    expect(parseInstance(write(ascii)).dataSet.elements.x00080005).toBeUndefined();
  });

  it('accepts an explicit ISO_IR 192 and refuses a declaration the UTF-8 bytes would contradict', () => {
    expect(() => write([{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' }, { tag: 0x00100010, vr: 'PN', value: 'Müller' }])).not.toThrow();
    expect(() => write([{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' }, { tag: 0x00100010, vr: 'PN', value: 'Müller' }])).toThrow(/ISO_IR 192/);
    expect(() => write([{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' }, { tag: 0x00100010, vr: 'PN', value: 'Muller' }])).not.toThrow();
  });
});
