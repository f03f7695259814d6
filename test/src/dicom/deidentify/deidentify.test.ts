// The PS3.15 Annex E engine on files built in code with identity planted everywhere: none of it survives in the output
// bytes, references still resolve within the set, pixel data is unchanged bit for bit, and every transfer syntax the
// engine writes re-parses (dicom-parser here; dcmtk and pydicom in deidentifyReaders.test.ts).
import { describe, expect, it } from 'vitest';
import type { DataSet } from 'dicom-parser';
import { deidentify } from '../../../../src/dicom/deidentify/deidentify';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { TS_UID } from '../../../../src/dicom/transferSyntax';
import { writeDicom } from '../../../../src/dicom/writeDicom';
import { CT_IMAGE as CT, PIXELS, PLANTED, bytesContain, phiFile } from '../../../fixtures/phiDicom';

const SECRET = new Uint8Array(32).fill(7);
const str = (ds: DataSet, key: string) => ds.string(key) ?? '';
const item = (ds: DataSet, key: string, i = 0) => ds.elements[key]!.items![i]!.dataSet!;

function pixelBytes(bytes: Uint8Array): Uint8Array {
  const { dataSet } = parseInstance(bytes);
  const el = dataSet.elements.x7fe00010!;
  return dataSet.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
}

const SYNTAXES = [
  ['explicit VR little endian', TS_UID.explicitLE],
  ['implicit VR little endian', TS_UID.implicitLE],
  ['explicit VR big endian', TS_UID.explicitBE],
  ['deflated', TS_UID.deflatedLE],
] as const;

describe('deidentify: planted identity', () => {
  it.each(SYNTAXES)('%s: no planted value remains anywhere in the output bytes', (_name, ts) => {
    const input = phiFile({ sop: PLANTED.sopB, references: PLANTED.sopA, transferSyntaxUID: ts });
    // The planted values really are in the input (deflated input hides them from a byte search, so check the others).
    if (ts !== TS_UID.deflatedLE) for (const v of Object.values(PLANTED)) expect(bytesContain(input, v), v).toBe(true);
    const { bytes, report } = deidentify(input, SECRET);
    const leaked = Object.entries(PLANTED).filter(([, v]) => bytesContain(bytes, v)).map(([k]) => k);
    expect(leaked).toEqual([]);
    expect(report.counts.privateRemoved).toBeGreaterThanOrEqual(4);
    expect(report.counts.uidsReplaced).toBeGreaterThanOrEqual(6);
    expect(report.transferSyntaxUID).toBe(ts === TS_UID.deflatedLE ? TS_UID.explicitLE : ts);
  });

  it('sets Patient Identity Removed, the method and its codes, and a patient pseudonym', () => {
    const { bytes } = deidentify(phiFile({ sop: PLANTED.sopA }), SECRET, { shiftDates: true });
    const { dataSet: ds, header } = parseInstance(bytes);
    expect(header.patientIdentityRemoved).toBe(true);
    expect(str(ds, 'x00120063')).toMatch(/PS3\.15 2024b/);
    const codes = ds.elements.x00120064!.items!.map((i) => i.dataSet!.string('x00080100'));
    expect(codes).toEqual(['113100', '113107']);
    expect(str(ds, 'x00280303')).toBe('MODIFIED');
    expect(str(ds, 'x00100020')).toMatch(/^ANON-[0-9A-F]{8}$/);
    expect(str(ds, 'x00100010')).toBe(str(ds, 'x00100020'));
  });

  it('replaces UIDs consistently: references, meta header and series line up within a set, not across sets', () => {
    const a = parseInstance(deidentify(phiFile({ sop: PLANTED.sopA }), SECRET).bytes).dataSet;
    const b = parseInstance(deidentify(phiFile({ sop: PLANTED.sopB, references: PLANTED.sopA }), SECRET).bytes).dataSet;
    const newA = str(a, 'x00080018');
    expect(newA).toMatch(/^2\.25\.\d+$/);
    expect(str(a, 'x00020003')).toBe(newA);
    expect(str(item(b, 'x00081140'), 'x00081155')).toBe(newA);
    expect(str(item(b, 'x00082112'), 'x00081155')).toBe(newA);
    const sr = item(item(b, 'x00400260'), 'x0040a730');
    expect(str(item(sr, 'x00081199'), 'x00081155')).toBe(newA); // depth 2
    expect(str(item(b, 'x00081140'), 'x00081150')).toBe('1.2.840.10008.5.1.4.1.1.2'); // SOP Class kept
    for (const key of ['x0020000d', 'x0020000e', 'x00200052']) expect(str(b, key)).toBe(str(a, key));
    const other = parseInstance(deidentify(phiFile({ sop: PLANTED.sopA }), new Uint8Array(32).fill(9)).bytes).dataSet;
    expect(str(other, 'x00080018')).not.toBe(newA);
  });

  it.each(SYNTAXES)('%s: pixel data is unchanged bit for bit', (_name, ts) => {
    const input = phiFile({ sop: PLANTED.sopA, transferSyntaxUID: ts });
    const out = pixelBytes(deidentify(input, SECRET).bytes);
    expect(out).toEqual(pixelBytes(input));
    if (ts === TS_UID.explicitLE) expect(new Uint16Array(out.slice().buffer)).toEqual(PIXELS);
  });

  it('encapsulated pixel data (fragments and offset table) is copied bit for bit', () => {
    const fragment = Uint8Array.from({ length: 301 }, (_, i) => (i * 13) & 0xff);
    const input = phiFile({ sop: PLANTED.sopA, transferSyntaxUID: TS_UID.jpegBaseline, fragment });
    const { bytes } = deidentify(input, SECRET);
    expect(pixelBytes(bytes)).toEqual(pixelBytes(input));
    const el = parseInstance(bytes).dataSet.elements.x7fe00010!;
    expect(el.fragments).toHaveLength(1);
    expect(el.fragments![0]!.length).toBe(302);
  });

  it('shifts every date by one offset (intervals kept, times kept) with Retain Longitudinal Modified Dates', () => {
    const { dataSet: ds } = parseInstance(deidentify(phiFile({ sop: PLANTED.sopA }), SECRET, { shiftDates: true }).bytes);
    const day = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) / 86_400_000;
    const study = str(ds, 'x00080020'), acq = str(ds, 'x00080022');
    expect(study).not.toBe('20230514');
    expect(day(acq) - day(study)).toBe(1);
    expect(day('20230514') - day(study)).toBeGreaterThanOrEqual(366);
    expect(str(ds, 'x0008002a')).toBe(`${acq}101502.25+0100`);
    expect(str(ds, 'x00080030')).toBe('101502');
    expect(str(ds, 'x00100030')).toBe(''); // birth date: Z in the Basic Profile, no option keeps it
  });

  it('without options removes or empties dates, descriptions, patient characteristics and device identity', () => {
    const { dataSet: ds } = parseInstance(deidentify(phiFile({ sop: PLANTED.sopA }), SECRET).bytes);
    expect(str(ds, 'x00080020')).toBe(''); // Study Date: Z
    expect(ds.elements.x00080022).toBeDefined(); // Acquisition Date: X/Z → zero length
    expect(str(ds, 'x00080022')).toBe('');
    expect(ds.elements.x0008103e).toBeUndefined(); // Series Description: X
    expect(ds.elements.x00101010).toBeUndefined(); // Patient's Age: X
    expect(str(ds, 'x00100040')).toBe(''); // Patient's Sex: Z
    expect(str(ds, 'x00181000')).toBe('ANONYMIZED'); // Device Serial Number: X/Z/D → dummy
    expect(str(ds, 'x00280303')).toBe('REMOVED');
  });

  it('the options keep what they name', () => {
    const { dataSet: ds } = parseInstance(deidentify(phiFile({ sop: PLANTED.sopA }), SECRET, {
      keepPatientCharacteristics: true, keepDeviceIdentity: true, cleanDescriptors: true,
      safePrivate: [{ creator: 'ACME 1.1', group: 0x0009, element: 0x01 }],
    }).bytes);
    expect(str(ds, 'x00100040')).toBe('F');
    expect(str(ds, 'x00101010')).toBe('062Y');
    expect(str(ds, 'x00101030')).toBe('71.5');
    expect(str(ds, 'x00181000')).toBe('SN-88231');
    expect(str(ds, 'x0008103e')).toBe('AXIAL BARNABYPROTO'); // kept: no identifying value in it
    expect(str(ds, 'x00081030')).toBe(`CHEST ${'*'.repeat(PLANTED.family.length)} FOLLOW-UP`); // the family name scrubbed
    expect(str(ds, 'x00090010')).toBe('ACME 1.1');
    expect(ds.elements.x00091001).toBeDefined();
    expect(ds.elements.x00110010).toBeUndefined();
  });

  it('gives named errors for bad input and a bad secret', () => {
    expect(() => deidentify(new TextEncoder().encode('not a dicom file at all, just text'), SECRET)).toThrow(expect.objectContaining({ name: 'NotDicomError' }));
    const full = phiFile({ sop: PLANTED.sopA });
    expect(() => deidentify(full.subarray(0, 700), SECRET)).toThrow(expect.objectContaining({ name: expect.stringMatching(/Error$/) }));
    expect(() => deidentify(full, new Uint8Array(4))).toThrow(expect.objectContaining({ name: 'DeidentificationError' }));
  });
});

describe('deidentify: hostile values', () => {
  it('60 KB of padding in a UID, a date, a name and a description (the most a short VR holds) takes linear time', () => {
    const pad = ' '.repeat(60_000);
    const input = writeDicom([
      { tag: 0x00080016, vr: 'UI', value: CT }, { tag: 0x00080018, vr: 'UI', value: `1.2.3${pad}9` },
      { tag: 0x00080020, vr: 'DA', value: `20230101${pad}x` }, { tag: 0x00100010, vr: 'PN', value: `DOE^JOHN${pad}` },
      { tag: 0x00081030, vr: 'LO', value: `${pad}DOE` },
    ], { transferSyntaxUID: TS_UID.explicitLE });
    const t0 = performance.now();
    const { bytes } = deidentify(input, SECRET, { shiftDates: true, cleanDescriptors: true });
    console.log(`deidentify of a 240 KB hostile header: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(bytesContain(bytes, 'DOE')).toBe(false);
    expect(parseInstance(bytes).header.patientIdentityRemoved).toBe(true);
  });
});

describe('deidentify: values sent as UN', () => {
  it('acts on the dictionary VR: a Patient Name, a UID and a date sent as UN are handled as PN, UI and DA', () => {
    const un = (tag: number, text: string) => ({ tag, vr: 'UN', value: new TextEncoder().encode(text.length % 2 ? `${text} ` : text) });
    const input = writeDicom([
      { tag: 0x00080016, vr: 'UI', value: CT }, un(0x00080018, `${PLANTED.sopA}\0`.slice(0, -1)), un(0x00080020, '20230514'),
      un(0x00100010, `${PLANTED.family}^${PLANTED.given}`), un(0x00181030, `PROTO ${PLANTED.seriesWord}`),
    ], { transferSyntaxUID: TS_UID.explicitLE });
    const { bytes } = deidentify(input, SECRET, { shiftDates: true });
    const ds = parseInstance(bytes).dataSet;
    expect(bytesContain(bytes, PLANTED.family)).toBe(false);
    expect(bytesContain(bytes, PLANTED.sopA)).toBe(false);
    expect(ds.elements.x00080018!.vr).toBe('UI');
    expect(str(ds, 'x00080018')).toMatch(/^2\.25\.\d+$/);
    expect(str(ds, 'x00080020')).toMatch(/^\d{8}$/);
    expect(str(ds, 'x00080020')).not.toBe('20230514');
  });
});

describe('deidentify: files already de-identified', () => {
  it('does not sweep kept text for a pseudonym: "PHANTOM^SYNTHETIC" leaves "Synthetic phantom" in a description', () => {
    const input = writeDicom([
      { tag: 0x00080016, vr: 'UI', value: CT }, { tag: 0x00080018, vr: 'UI', value: PLANTED.sopA },
      { tag: 0x0008103e, vr: 'LO', value: 'Synthetic chest CT (phantom)' }, { tag: 0x00100010, vr: 'PN', value: 'PHANTOM^SYNTHETIC' },
      { tag: 0x00120062, vr: 'CS', value: 'YES' },
    ], { transferSyntaxUID: TS_UID.explicitLE });
    const ds = parseInstance(deidentify(input, SECRET, { cleanDescriptors: true }).bytes).dataSet;
    expect(str(ds, 'x0008103e')).toBe('Synthetic chest CT (phantom)');
    expect(str(ds, 'x00100010')).toMatch(/^ANON-/); // the name itself is still replaced
    const identified = writeDicom([
      { tag: 0x00080016, vr: 'UI', value: CT }, { tag: 0x00080018, vr: 'UI', value: PLANTED.sopA },
      { tag: 0x0008103e, vr: 'LO', value: 'Synthetic chest CT (phantom)' }, { tag: 0x00100010, vr: 'PN', value: 'PHANTOM^SYNTHETIC' },
    ], { transferSyntaxUID: TS_UID.explicitLE });
    expect(str(parseInstance(deidentify(identified, SECRET, { cleanDescriptors: true }).bytes).dataSet, 'x0008103e')).toBe('********* chest CT (*******)');
  });
});
