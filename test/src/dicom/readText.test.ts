// readText / readHeaderFields on whole files: names written in UTF-8 (ISO_IR 192), Latin-1 (ISO_IR 100) and ISO 2022
// Japanese/Korean parse back (parseInstance) as written, in explicit and implicit VR; codes and UIDs stay ASCII.
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { readText, specificCharacterSetOf } from '../../../src/dicom/readText';
import { TAG } from '../../../src/dicom/tags';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { writeDicom, type WriteElement } from '../../../src/dicom/writeDicom';
import { imageElements } from '../../fixtures/makeImage';
import { latin1, writeWithRawText } from '../../fixtures/rawText';

const spec = { rows: 4, columns: 4, bitsAllocated: 16, values: new Uint16Array(16) };
const image = (extra: WriteElement[] = []) => [...imageElements(spec, spec.values), ...extra];
const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));

describe('reading text with the Specific Character Set', () => {
  it('a UTF-8 name and description under ISO_IR 192 read back as written', () => {
    const bytes = writeDicom(image([
      { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' },
      { tag: 0x00100010, vr: 'PN', value: 'Wang^XiaoDong=王^小東=' },
      { tag: 0x0008103e, vr: 'LO', value: 'Thorax × 2 — Schädel' },
      { tag: 0x00080080, vr: 'LO', value: 'Hôpital Saint-Louis' },
    ]), { transferSyntaxUID: TS_UID.explicitLE });
    const { header, dataSet } = parseInstance(bytes);
    expect(specificCharacterSetOf(dataSet)).toBe('ISO_IR 192');
    expect(readText(dataSet, TAG.PatientName, 'PN')).toBe('Wang^XiaoDong=王^小東=');
    expect(header.patientName).toBe('Wang XiaoDong=王 小東=');
    expect(header.seriesDescription).toBe('Thorax × 2 — Schädel');
    expect(header.institutionName).toBe('Hôpital Saint-Louis');
  });

  for (const ts of [TS_UID.explicitLE, TS_UID.implicitLE, TS_UID.explicitBE]) {
    it(`a Latin-1 name under ISO_IR 100 reads back as written (${ts})`, () => {
      const bytes = writeWithRawText(image([{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' }]), [
        { tag: 0x00100010, vr: 'PN', bytes: latin1('Buc^Jérôme') },
        { tag: 0x00081030, vr: 'LO', bytes: hex('47 72 f6 df 65 20 9c') }, // 0x9C: C1 control in ISO 8859-1, œ in windows-1252
      ], ts);
      const { header, dataSet } = parseInstance(bytes);
      expect(readText(dataSet, TAG.PatientName, 'PN')).toBe('Buc^Jérôme');
      expect(header.patientName).toBe('Buc Jérôme');
      // Browsers read iso-8859-1 as windows-1252 (WHATWG), Node 20 as ISO 8859-1; a C1 control never reaches the header.
      expect(header.studyDescription).toMatch(/^Größe( œ)?$/);
    });
  }

  it('ISO 2022 names (PS3.5 H.3.1 Japanese, I.2 Korean) read back from a file', () => {
    const japanese = writeWithRawText(image([{ tag: 0x00080005, vr: 'CS', value: ['', 'ISO 2022 IR 87'] }]), [{
      tag: 0x00100010, vr: 'PN',
      bytes: hex('59 61 6d 61 64 61 5e 54 61 72 6f 75 3d 1b 24 42 3b 33 45 44 1b 28 42 5e 1b 24 42 42 40 4f 3a 1b 28 42 3d 1b 24 42 24 64 24 5e 24 40 1b 28 42 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 42'),
    }]);
    expect(readText(parseInstance(japanese).dataSet, TAG.PatientName, 'PN')).toBe('Yamada^Tarou=山田^太郎=やまだ^たろう');
    const korean = writeWithRawText(image([{ tag: 0x00080005, vr: 'CS', value: ['', 'ISO 2022 IR 149'] }]), [{
      tag: 0x00100010, vr: 'PN',
      bytes: hex('48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d 1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf'),
    }], TS_UID.implicitLE);
    expect(parseInstance(korean).header.patientName).toBe('Hong Gildong=洪 吉洞=홍 길동');
  });

  it('codes, dates and UIDs ignore the charset; control characters become spaces; undeclared high bytes read as Latin-1', () => {
    const bytes = writeWithRawText(image([{ tag: 0x00080005, vr: 'CS', value: 'GB18030' }]), [
      { tag: 0x00100010, vr: 'PN', bytes: hex('cd f5 09 d0 a1') },
      { tag: 0x00080020, vr: 'DA', bytes: latin1('20260102') },
    ]);
    const { header } = parseInstance(bytes);
    expect(header.patientName).toBe('王 小');
    expect(header.modality).toBe('OT');
    expect(header.studyDate).toBe('20260102');
    expect(header.sopInstanceUID).toBe('1.2.826.0.1.3680043.10.1401.99.1');
    const plain = writeWithRawText(image(), [{ tag: 0x00100010, vr: 'PN', bytes: latin1('Müller') }]);
    expect(parseInstance(plain).header.patientName).toBe('Müller');
  });

  it('caps a hostile megabyte name and an element running past the end reads as empty', () => {
    const long = writeDicom(image([{ tag: 0x00100010, vr: 'PN', value: `${'x'.repeat(1 << 20)}${' '.repeat(1 << 20)}` }]), { transferSyntaxUID: TS_UID.implicitLE });
    expect(parseInstance(long).header.patientName).toBe('x'.repeat(256));
    const { dataSet } = parseInstance(writeDicom(image([{ tag: 0x00100010, vr: 'PN', value: 'DOE^JANE' }]), { transferSyntaxUID: TS_UID.explicitLE }));
    dataSet.elements[TAG.PatientName]!.length = dataSet.byteArray.length;
    expect(readText(dataSet, TAG.PatientName, 'PN')).toBe('');
    expect(readText(dataSet, 'x00100011', 'PN')).toBe('');
  });
});
