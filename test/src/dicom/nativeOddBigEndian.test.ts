// Explicit VR Big Endian 8-bit data of odd length: the pad byte never takes a sample's place (PS3.5 §7.3, §8.1.1).
// Files built in code: 8-bit RGB 3 × 3 (27 bytes + pad) in OB (never swapped) and in OW swapped in 16-bit words
// over the whole value, pad included (as pydicom's SC_rgb_small_odd_big_endian.dcm).
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { writeDicom } from '../../../src/dicom/writeDicom';
import { imageElements, type ImageSpec } from '../../fixtures/makeImage';

/** Values 1..n (never 0, so a pad byte in a sample's place shows). */
function ramp(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => 1 + (i * 7) % 250);
}

/** The value's bytes (pad included) swapped in 16-bit words, as a big endian writer of OW does. */
function swapWords(v: Uint8Array): Uint8Array {
  const out = new Uint8Array(v.length + (v.length % 2));
  out.set(v);
  for (let i = 0; i + 1 < out.length; i += 2) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  return out;
}

function file(spec: ImageSpec, vr: 'OB' | 'OW'): Uint8Array {
  const value = vr === 'OW' ? swapWords(spec.values as Uint8Array) : (spec.values as Uint8Array);
  const els = imageElements(spec, value).map((e) => (e.tag === 0x7fe00010 ? { ...e, vr } : e));
  return writeDicom(els, { transferSyntaxUID: TS_UID.explicitBE });
}

async function decodeAll(bytes: Uint8Array): Promise<number[]> {
  const parsed = parseInstance(bytes);
  const out: number[] = [];
  for (let f = 0; f < parsed.header.frames; f++) out.push(...Array.from((await decodeFrame(parsed, f)).data));
  return out;
}

describe('explicit VR big endian, 8-bit RGB of odd length', () => {
  const rgb3x3: ImageSpec = { rows: 3, columns: 3, samples: 3, bitsAllocated: 8, values: ramp(27) };
  for (const vr of ['OB', 'OW'] as const) {
    it(`3 × 3 RGB in ${vr}: all 27 samples, the last one included`, async () => {
      const bytes = file(rgb3x3, vr);
      const values = await decodeAll(bytes);
      expect(values).toEqual(Array.from(rgb3x3.values));
      expect(values[26]).toBe(rgb3x3.values[26]);
    });
    it(`3 frames of 3 × 3 RGB in ${vr} (odd frame offsets)`, async () => {
      const spec: ImageSpec = { ...rgb3x3, frames: 3, values: ramp(81) };
      expect(await decodeAll(file(spec, vr))).toEqual(Array.from(spec.values));
    });
    it(`3 × 3 monochrome 8-bit in ${vr}`, async () => {
      const spec: ImageSpec = { rows: 3, columns: 3, bitsAllocated: 8, values: ramp(9) };
      expect(await decodeAll(file(spec, vr))).toEqual(Array.from(spec.values));
    });
  }
  it('16-bit big endian of odd sample count still swaps each value', async () => {
    const spec: ImageSpec = { rows: 3, columns: 3, bitsAllocated: 16, values: Uint16Array.from({ length: 9 }, (_, i) => 0x0102 * (i + 1)) };
    const bytes = writeDicom(imageElements(spec, spec.values), { transferSyntaxUID: TS_UID.explicitBE });
    expect(await decodeAll(bytes)).toEqual(Array.from(spec.values));
  });
});
