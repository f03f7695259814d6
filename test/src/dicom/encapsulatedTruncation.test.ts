// Encapsulated Pixel Data cut short (PS3.5 §A.4): no sequence delimiter or fewer fragments than frames is refused by
// name at load (workers/decodeApi load → validatePixelModule), never accepted with frames that cannot be read.
// Files built in code: 3-frame JPEG 2000 lossless, one fragment a frame, with and without a Basic Offset Table.
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { validatePixelModule } from '../../../src/dicom/validatePixelModule';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { createDecodeApi } from '../../../workers/decodeApi';
import { makeImage, pattern, type ImageSpec } from '../../fixtures/makeImage';

const spec: ImageSpec = { rows: 16, columns: 20, frames: 3, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(16, 20, 0, 4095, 3)) };

/** Byte offset of the n-th (0-based) item tag (FFFE,E000) after Pixel Data's header, counting the offset table as 0. */
function itemOffsets(b: Uint8Array): number[] {
  const out: number[] = [];
  let p = b.length;
  for (let i = 0; i + 12 <= b.length; i++) {
    if (b[i] === 0xe0 && b[i + 1] === 0x7f && b[i + 2] === 0x10 && b[i + 3] === 0x00 && b[i + 4] === 0x4f && b[i + 5] === 0x42) { p = i + 12; break; }
  }
  while (p + 8 <= b.length && b[p] === 0xfe && b[p + 1] === 0xff && b[p + 2] === 0x00 && b[p + 3] === 0xe0) {
    out.push(p);
    p += 8 + (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24));
  }
  return out;
}

/** The file without its Basic Offset Table entries (an empty table item). */
function withoutOffsetTable(b: Uint8Array): Uint8Array {
  const bot = itemOffsets(b)[0]!;
  const n = b[bot + 4]! | (b[bot + 5]! << 8);
  const out = new Uint8Array(b.length - n);
  out.set(b.subarray(0, bot + 4));
  out.set(b.subarray(bot + 8 + n), bot + 8);
  return out;
}

async function load(bytes: Uint8Array) {
  return createDecodeApi().load('x', bytes.slice().buffer);
}

describe('encapsulated pixel data cut short', async () => {
  const whole = await makeImage(spec, TS_UID.j2kLossless);
  for (const [label, file] of [['with a Basic Offset Table', whole], ['without an offset table', withoutOffsetTable(whole)]] as const) {
    it(`${label}: the whole file loads and decodes all 3 frames`, async () => {
      expect((await load(file)).ok).toBe(true);
      const parsed = parseInstance(file);
      for (let f = 0; f < 3; f++) expect(Array.from((await decodeFrame(parsed, f)).data)).toEqual(Array.from(spec.values.subarray(f * 320, (f + 1) * 320)));
    });
    it(`${label}: cut after 2 of 3 fragments (no delimiter) → TruncatedError at load`, async () => {
      const items = itemOffsets(file);
      expect(items).toHaveLength(4);
      const cut = file.subarray(0, items[3]!);
      const r = await load(cut);
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.error.name).toBe('TruncatedError');
      const parsed = parseInstance(cut);
      expect(() => validatePixelModule(parsed.header, parsed.dataSet)).toThrow(expect.objectContaining({ name: 'TruncatedError' }));
      await expect(decodeFrame(parsed, 2)).rejects.toMatchObject({ name: 'TruncatedError' });
    });
    it(`${label}: cut inside the last fragment → TruncatedError at load`, async () => {
      const r = await load(file.subarray(0, itemOffsets(file)[3]! + 20));
      expect(r.ok ? 'ok' : r.error.name).toBe('TruncatedError');
    });
    it(`${label}: delimiter removed only (all fragments present) → TruncatedError`, async () => {
      const r = await load(file.subarray(0, file.length - 8));
      expect(r.ok ? 'ok' : r.error.name).toBe('TruncatedError');
    });
  }
  it('2 fragments, delimiter present, 3 frames and no offset table → InconsistentPixelModuleError', async () => {
    const noBot = withoutOffsetTable(whole);
    const items = itemOffsets(noBot);
    const cut = new Uint8Array(items[3]! + 8);
    cut.set(noBot.subarray(0, items[3]!));
    cut.set([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0], items[3]!);
    const r = await load(cut);
    expect(r.ok ? 'ok' : r.error.name).toBe('InconsistentPixelModuleError');
  });
  it('a Basic Offset Table entry past the fragments → InconsistentPixelModuleError', async () => {
    const items = itemOffsets(whole);
    const cut = new Uint8Array(items[3]! + 8);
    cut.set(whole.subarray(0, items[3]!));
    cut.set([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0], items[3]!);
    const r = await load(cut);
    expect(r.ok ? 'ok' : r.error.name).toBe('InconsistentPixelModuleError');
  });
});
