// Retired progressive JPEG syntaxes (PS3.5 Annex A, 1.2.840.10008.1.2.4.53 and .55): 8-bit SOF2 decodes through
// libjpeg-turbo; 12-bit progressive is refused by name. The 8-bit stream was made once with Pillow 9.4
// (progressive=True, quality 95; no encoder here writes SOF2) from the 16 × 16 pattern below; Pillow's own decode
// was within 6 levels of the source, sum 32322.
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { TRANSFER_SYNTAX, TS_UID } from '../../../src/dicom/transferSyntax';
import { encodeJpegDct } from '../../fixtures/encoders/encodeJpegDct';
import { encapsulate, writeDicom } from '../../../src/dicom/writeDicom';
import { imageElements } from '../../fixtures/makeImage';

const PROGRESSIVE_16x16 = Uint8Array.from(Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/wgALCAAQABABAREA/8QAFwAAAwEAAAAAAAAAAAAAAAAABAYHCP/aAAgBAQAAAAGJ6AHcP//EABsQAAICAwEAAAAAAAAAAAAAAAAGAwQHERYX/9oACAEBAAEFAlKLYpReLilF0Q444vWk3//EACcQAAADBwIHAQAAAAAAAAAAAAECAwAEBRESExUxUgYUIkFxkqHx/9oACAEBAAY/Asgk5eS1tkEnLJZLUtdm3b9pzr+NkEnKzZ1LXVOf4x+H4fGLCcTeEzPY8sBqiJdQE13CUZhsl3b/xAAgEAACAQIHAQAAAAAAAAAAAAABEQBhsSExQVGBkdHh/9oACAEBAAE/IeIfqUpCXQXSrc8KQl0kF6mbWraiiWDfwI1Ac//aAAgBAQAAABD/AP/EABwQAAEEAwEAAAAAAAAAAAAAAAEAESFBUZGhYf/aAAgBAQABPxCG1btEd6ULd6RHvFKiFulEjHPovg00xifPCt2ZAaP/2Q==', 'base64'));

function source(): Uint8Array {
  const g = new Uint8Array(256);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) g[y * 16 + x] = (Math.floor(x / 4) + Math.floor(y / 4)) % 2 ? (x * 16 + y * 5) % 256 : 40 + 10 * y;
  return g;
}

function file(frame: Uint8Array, tsUID: string, bits: number): Uint8Array {
  const values = bits > 8 ? new Uint16Array(256) : new Uint8Array(256);
  return writeDicom(imageElements({ rows: 16, columns: 16, bitsAllocated: bits > 8 ? 16 : 8, bitsStored: bits, values }, encapsulate([frame])), { transferSyntaxUID: tsUID });
}

describe('progressive JPEG (retired processes 6/8 and 10/12)', () => {
  it('both syntaxes are known and lossy', () => {
    expect(TRANSFER_SYNTAX[TS_UID.jpegSpectralSelection]?.lossy).toBe(true);
    expect(TRANSFER_SYNTAX[TS_UID.jpegFullProgression]?.lossy).toBe(true);
  });

  it('8-bit SOF2 decodes close to the source (was UnsupportedTransferSyntaxError)', async () => {
    expect(PROGRESSIVE_16x16[PROGRESSIVE_16x16.indexOf(0xc2) - 1]).toBe(0xff); // really SOF2
    const src = source();
    // The stream is full progression; the same SOF2 decoder serves spectral-selection-only (process 6) streams.
    for (const ts of [TS_UID.jpegFullProgression, TS_UID.jpegSpectralSelection]) {
      const { data } = await decodeFrame(parseInstance(file(PROGRESSIVE_16x16, ts, 8)), 0);
      let max = 0, sum = 0;
      for (let i = 0; i < 256; i++) { max = Math.max(max, Math.abs(data[i]! - src[i]!)); sum += data[i]!; }
      expect(max, ts).toBeLessThanOrEqual(8);
      expect(Math.abs(sum - 32322), ts).toBeLessThan(256); // Pillow's decode: sum 32322
    }
  });

  it('12-bit progressive (process 12) is refused by name', async () => {
    const seq = encodeJpegDct(new Uint16Array(256).fill(1000), 16, 16, 12, 1);
    const sof = seq.findIndex((b, i) => b === 0xff && seq[i + 1] === 0xc1);
    expect(sof).toBeGreaterThan(0);
    const prog = seq.slice();
    prog[sof + 1] = 0xc2;
    await expect(decodeFrame(parseInstance(file(prog, TS_UID.jpegFullProgression, 12)), 0)).rejects.toMatchObject({ name: 'UnsupportedPixelFormatError' });
  });
});
