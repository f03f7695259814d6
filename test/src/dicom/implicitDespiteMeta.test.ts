// A file whose meta names an explicit VR syntax while its dataset is implicit VR (pydicom's SC_rgb_jpeg.dcm is one;
// pydicom reads such files with a warning, DCMTK refuses them): parsed as implicit VR with the meta's syntax kept for
// the pixels, native and encapsulated alike; a well-formed file is never taken for one; cut short, still refused by name.
import { describe, expect, it } from 'vitest';
import { inspectBytes } from '../../../src/dicom/inspectFile';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { encapsulate, writeDicom } from '../../../src/dicom/writeDicom';
import { encodeRle } from '../../fixtures/encoders/encodeRle';
import { DICOM_ERROR_NAMES } from '../../../src/shared/errors';
import { imageElements, makeImage, pattern, type ImageSpec } from '../../fixtures/makeImage';

const NAMED = new Set<string>(DICOM_ERROR_NAMES);

describe('file meta names explicit VR, the dataset is implicit VR (pydicom reads these; DCMTK refuses)', () => {
  /** The explicit-VR file's own meta, followed by the same dataset written in implicit VR. */
  async function mismatched(ts: string, pixelValue: (spec: ImageSpec) => Parameters<typeof imageElements>[1]): Promise<Uint8Array> {
    const explicit = await makeImage(spec, ts);
    const metaEnd = metaLength(explicit);
    const body = writeDicom(imageElements(spec, pixelValue(spec)), { transferSyntaxUID: TS_UID.implicitLE, noMeta: true });
    const out = new Uint8Array(metaEnd + body.length);
    out.set(explicit.subarray(0, metaEnd));
    out.set(body, metaEnd);
    return out;
  }
  const spec: ImageSpec = { rows: 6, columns: 5, frames: 2, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(6, 5, 0, 4095, 2)) };

  it('native pixels (explicit VR LE meta) and encapsulated RLE (RLE meta) decode to the same values as the well-formed file', async () => {
    const good = await makeImage(spec, TS_UID.explicitLE);
    const native = await mismatched(TS_UID.explicitLE, (s) => s.values);
    const rle = await mismatched(TS_UID.rle, (s) => encapsulate([0, 1].map((f) => encodeRle(new Uint8Array(s.values.buffer, f * 60, 60), 6, 5, 1, 2))));
    const want = [await decodeFrame(parseInstance(good), 0), await decodeFrame(parseInstance(good), 1)].map((f) => Array.from(f.data));
    for (const [name, file] of [['native', native], ['RLE', rle]] as const) {
      const parsed = parseInstance(file);
      expect(parsed.header.transferSyntaxUID, name).toBe(name === 'RLE' ? TS_UID.rle : TS_UID.explicitLE);
      expect(parsed.header.rows, name).toBe(6);
      for (const f of [0, 1]) expect(Array.from((await decodeFrame(parsed, f)).data), `${name} frame ${f}`).toEqual(want[f]);
    }
  });

  it('a well-formed explicit file is not taken for implicit, and a mismatched one cut short is still refused by name', async () => {
    const native = await mismatched(TS_UID.explicitLE, (s) => s.values);
    for (let cut = 132; cut < native.length; cut += 7) {
      const { record } = await inspectBytes('cut', native.slice(0, cut));
      expect(record.ok, `cut at ${cut}`).toBe(false);
      expect(NAMED.has(record.error!.name), `${cut}: ${record.error!.name}`).toBe(true);
    }
    expect(parseInstance(await makeImage(spec, TS_UID.explicitLE)).dataSet.elements.x00280010!.vr).toBe('US');
  });
});

/** Where the file meta ends: its group length (0002,0000), the first meta element, counts from the element after it. */
function metaLength(bytes: Uint8Array): number {
  const groupLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(140, true);
  return 144 + groupLength;
}
