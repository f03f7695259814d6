// Header values under hostile input (readValues.ts through readHeaderFields and parseInstance): implicit-VR files cut
// at every offset, multi-valued fields with the wrong number of values, and a deflated file whose preamble holds text.
// Every result is ok or an error whose name is in DICOM_ERROR_NAMES; a malformed field not needed for display degrades.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deidentify } from '../../../src/dicom/deidentify/deidentify';
import { inspectBytes } from '../../../src/dicom/inspectFile';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { writeDicom } from '../../../src/dicom/writeDicom';
import { DICOM_ERROR_NAMES } from '../../../src/shared/errors';
import { headerElements } from '../../fixtures/hostileDicom';

const NAMED = new Set<string>(DICOM_ERROR_NAMES);

/** Every header field readHeaderFields reads that has a value multiplicity above 1, with its expected count. */
const MULTI: { tag: number; name: string; count: number }[] = [
  { tag: 0x00280030, name: 'Pixel Spacing', count: 2 },
  { tag: 0x00200032, name: 'Image Position (Patient)', count: 3 },
  { tag: 0x00200037, name: 'Image Orientation (Patient)', count: 6 },
  { tag: 0x00281050, name: 'Window Center', count: 1 },
  { tag: 0x00281051, name: 'Window Width', count: 1 },
];

async function expectOkOrNamed(name: string, bytes: Uint8Array): Promise<boolean> {
  const { record } = await inspectBytes(name, bytes, { allFrames: true }); // must not throw
  if (!record.ok) expect(NAMED.has(record.error!.name), `${name}: ${record.error!.name}: ${record.error!.message}`).toBe(true);
  return record.ok;
}

function parseOrName(bytes: Uint8Array): string {
  try {
    parseInstance(bytes);
    return 'ok';
  } catch (e) {
    return (e as Error).name;
  }
}

describe('header values: truncation at every offset', () => {
  it('a small implicit-VR file with every header field the viewer reads, cut at every offset', async () => {
    const file = writeDicom(headerElements(), { transferSyntaxUID: TS_UID.implicitLE });
    const full = parseInstance(file).header;
    expect(full.pixelSpacing).toEqual([0.75, 0.5]);
    expect(full.imagePositionPatient).toEqual([-120.5, 33, 10.25]);
    expect(full.windowCenter).toEqual([40, 400]);
    let ok = 0;
    for (let cut = 0; cut < file.length; cut++) if (await expectOkOrNamed(`synthetic cut at ${cut}`, file.slice(0, cut))) ok++;
    console.log(`synthetic implicit-VR file (${file.length} bytes) cut at every offset: ${ok} ok, ${file.length - ok} named errors`);
  });

  const implicitFixture = 'test/fixtures/pydicom/MR_small_implicit.dcm';
  it.skipIf(!existsSync(implicitFixture))('pydicom MR_small_implicit.dcm cut at every offset of its header, and inside Slice Thickness', async () => {
    const file = new Uint8Array(readFileSync(implicitFixture));
    const ds = parseInstance(file).dataSet;
    const pixelStart = ds.elements.x7fe00010!.dataOffset;
    const names = new Map<string, number>();
    for (let cut = 0; cut <= pixelStart + 16; cut++) {
      const name = parseOrName(file.slice(0, cut));
      expect(name === 'ok' || NAMED.has(name), `cut at ${cut}: ${name}`).toBe(true);
      names.set(name, (names.get(name) ?? 0) + 1);
    }
    console.log(`MR_small_implicit.dcm cut at every offset up to its pixel data (${pixelStart + 17} cuts):`, Object.fromEntries(names));
    // Cut inside Slice Thickness: dicom-parser keeps the element running past the end; the header reads it as absent.
    const st = ds.elements.x00180050!;
    const cut = parseInstance(file.slice(0, st.dataOffset + 1)).header;
    expect(cut.sliceThickness).toBeNull();
    expect(cut.pixelKind).toBe('none');
  });

  it('a needed field (Rows) cut short is a TruncatedError; an unneeded one (Pixel Spacing, the last element) degrades', async () => {
    const rowsAt = writeDicom(headerElements(), { transferSyntaxUID: TS_UID.implicitLE });
    const rows = parseInstance(rowsAt).dataSet.elements.x00280010!;
    expect(parseOrName(rowsAt.slice(0, rows.dataOffset + 1))).toBe('TruncatedError');
    // Pixel Spacing written after the pixel data (out of order, as some writers do) and cut: the image still shows.
    const els = headerElements().filter((e) => e.tag !== 0x00280030);
    const body = writeDicom(els, { transferSyntaxUID: TS_UID.implicitLE });
    const tail = new Uint8Array(8 + 4);
    const dv = new DataView(tail.buffer);
    dv.setUint16(0, 0x0028, true); dv.setUint16(2, 0x0030, true); dv.setUint32(4, 16, true); // claims 16 bytes, has 4
    tail.set([0x30, 0x2e, 0x35, 0x5c], 8);
    const file = new Uint8Array([...body, ...tail]);
    const { record } = await inspectBytes('spacing cut', file);
    expect(record.ok, record.error?.message).toBe(true);
    expect(parseInstance(file).header.pixelSpacing).toBeNull();
  });
});

describe('header values: multi-valued fields with the wrong number of values', () => {
  for (const field of MULTI) {
    it(`${field.name}: 0 to ${field.count + 2} values, empty and non-numeric ones — the image shows, the field degrades`, async () => {
      const variants: string[] = [];
      for (let n = 0; n <= field.count + 2; n++) variants.push(Array.from({ length: n }, (_, i) => String(i + 1)).join('\\'));
      variants.push('\\'.repeat(field.count - 1), `abc${'\\1'.repeat(field.count - 1)}`, `1${'\\'.repeat(field.count)}`, ' 1 \\ 2 ');
      for (const ts of [TS_UID.implicitLE, TS_UID.explicitLE, TS_UID.explicitBE]) {
        for (const v of variants) {
          const file = writeDicom(headerElements([{ tag: field.tag, vr: 'DS', value: v }]), { transferSyntaxUID: ts });
          expect(await expectOkOrNamed(`${field.name} = "${v}" in ${ts}`, file), `${field.name} = "${v}"`).toBe(true);
          const h = parseInstance(file).header;
          const nums = v.split('\\').map((s) => (s.trim() === '' ? NaN : Number(s)));
          const enough = nums.length >= field.count && nums.slice(0, field.count).every(Number.isFinite);
          if (field.tag === 0x00280030) expect(h.pixelSpacing !== null, v).toBe(enough);
          if (field.tag === 0x00200032) expect(h.imagePositionPatient !== null, v).toBe(enough);
          if (field.tag === 0x00200037) expect(h.imageOrientationPatient !== null, v).toBe(enough);
          if (field.tag === 0x00281050) expect(h.windowCenter).toEqual(nums.filter(Number.isFinite));
          if (field.tag === 0x00281051) expect(h.windowWidth).toEqual(nums.filter((x) => Number.isFinite(x) && x > 0));
        }
      }
    });
  }

  it('the reported cases: Pixel Spacing with one value, IPP with two, IOP with five', () => {
    const file = writeDicom(headerElements([
      { tag: 0x00280030, vr: 'DS', value: '0.5' },
      { tag: 0x00200032, vr: 'DS', value: '1\\2' },
      { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1' },
    ]), { transferSyntaxUID: TS_UID.explicitLE });
    const h = parseInstance(file).header;
    expect([h.pixelSpacing, h.imagePositionPatient, h.imageOrientationPatient]).toEqual([null, null, null]);
    expect(h.rows).toBe(6);
  });
});

describe('deflated file whose preamble holds text', () => {
  it('parses like DCMTK and pydicom do, with no phantom elements, and de-identifies', () => {
    const file = writeDicom(headerElements(), { transferSyntaxUID: TS_UID.deflatedLE });
    file.set(new TextEncoder().encode('This preamble holds text, as a dual-format TIFF/DICOM file or a careless writer may. '.padEnd(128, '~')), 0);
    const { header, dataSet } = parseInstance(file);
    expect(header.transferSyntaxUID).toBe(TS_UID.deflatedLE);
    expect(header.pixelSpacing).toEqual([0.75, 0.5]);
    expect(header.windowWidth).toEqual([400, 2000]);
    expect(dataSet.elements.x49444d43).toBeUndefined();
    const metaEnd = Math.max(...Object.entries(dataSet.elements).filter(([k]) => k.startsWith('x0002')).map(([, e]) => e.dataOffset + e.length));
    for (const [k, e] of Object.entries(dataSet.elements)) if (!k.startsWith('x0002')) expect(e.dataOffset, k).toBeGreaterThanOrEqual(metaEnd);
    expect(Array.from(dataSet.byteArray.subarray(0, 128)).every((b) => b === 0)).toBe(true);
    const out = deidentify(file, new Uint8Array(32).fill(7)).bytes;
    const again = parseInstance(out).header;
    expect(again.patientName).not.toContain('Robust');
    expect(again.rows).toBe(6);
  });
});
