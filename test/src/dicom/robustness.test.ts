// Robustness: every fixture truncated at many offsets and with random byte flips goes through the loader.
// Zero uncaught exceptions, zero hangs (each file is bounded in time), every failure a named error.
import { describe, expect, it } from 'vitest';
import { inspectBytes } from '../../../src/dicom/inspectFile';
import { DICOM_ERROR_NAMES } from '../../../src/shared/errors';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { writeDicom, type WriteElement } from '../../../src/dicom/writeDicom';
import { makeRandom } from '../../../src/dicom/synthetic/random';
import { robustnessCorpus as fixtures } from '../../fixtures/robustnessCorpus';

const NAMED = new Set<string>(DICOM_ERROR_NAMES);

async function check(name: string, bytes: Uint8Array): Promise<void> {
  const t0 = performance.now();
  const { record } = await inspectBytes(name, bytes, { allFrames: true }); // must not throw
  const ms = performance.now() - t0;
  if (!record.ok) expect(NAMED.has(record.error!.name), `${name}: ${record.error!.name}: ${record.error!.message}`).toBe(true);
  expect(ms, `${name} took ${ms} ms`).toBeLessThan(5000);
}

describe('robustness', () => {
  it('truncation at many offsets gives ok or a named error, never a throw or hang', async () => {
    for (const f of await fixtures()) {
      const cuts = new Set<number>([0, 1, 4, 127, 128, 131, 132, 140, 200]);
      for (let k = 1; k < 24; k++) cuts.add(Math.floor((f.bytes.length * k) / 24));
      for (let k = 1; k <= 8; k++) cuts.add(f.bytes.length - k);
      for (const cut of cuts) if (cut < f.bytes.length) await check(`${f.name} cut at ${cut}`, f.bytes.slice(0, cut));
    }
  });

  it('random byte flips give ok or a named error, never a throw or hang', async () => {
    const rand = makeRandom(2026);
    for (const f of await fixtures()) {
      for (let trial = 0; trial < 40; trial++) {
        const b = f.bytes.slice();
        const flips = 1 + Math.floor(rand() * 8);
        for (let k = 0; k < flips; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        await check(`${f.name} flip trial ${trial}`, b);
      }
    }
  });

  it('a file without meta group length cut inside the 32-bit length of an OB meta element is a TruncatedError', async () => {
    // Found by scripts/fuzz.ts (seed 1, cases 7330, 31919, 38310): metaEnd read the length past the end (RangeError).
    const b = new Uint8Array(142);
    b.set([0x44, 0x49, 0x43, 0x4d, 0x02, 0x00, 0x01, 0x00, 0x4f, 0x42, 0, 0, 2, 0], 128); // DICM, (0002,0001) OB, 2 of 4 length bytes
    expect((await inspectBytes('cut in meta OB length', b)).record.error?.name).toBe('TruncatedError');
  });

  it('hostile values: absurd sizes, deep nesting, a deflate bomb are refused with named errors', async () => {
    const base: WriteElement[] = [
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
      { tag: 0x00280002, vr: 'US', value: 1 }, { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280100, vr: 'US', value: 16 }, { tag: 0x00280101, vr: 'US', value: 16 }, { tag: 0x00280102, vr: 'US', value: 15 },
      { tag: 0x00280103, vr: 'US', value: 0 },
    ];
    const px = (n: number): WriteElement => ({ tag: 0x7fe00010, vr: 'OW', value: new Uint16Array(n) });
    const huge = writeDicom([...base, { tag: 0x00280010, vr: 'US', value: 65535 }, { tag: 0x00280011, vr: 'US', value: 65535 }, px(16)], { transferSyntaxUID: TS_UID.explicitLE });
    expect((await inspectBytes('huge', huge)).record.error?.name).toBe('LimitExceededError');
    const zero = writeDicom([...base, { tag: 0x00280010, vr: 'US', value: 0 }, { tag: 0x00280011, vr: 'US', value: 4 }, px(16)], { transferSyntaxUID: TS_UID.explicitLE });
    expect((await inspectBytes('zero', zero)).record.error?.name).toBe('InconsistentPixelModuleError');
    const frames = writeDicom([...base, { tag: 0x00280010, vr: 'US', value: 4 }, { tag: 0x00280011, vr: 'US', value: 4 }, { tag: 0x00280008, vr: 'IS', value: -3 }, px(16)], { transferSyntaxUID: TS_UID.explicitLE });
    expect((await inspectBytes('frames', frames)).record.error?.name).toBe('InconsistentPixelModuleError');
    const spp = writeDicom([...base.filter((e) => e.tag !== 0x00280002), { tag: 0x00280002, vr: 'US', value: 4 }, { tag: 0x00280010, vr: 'US', value: 4 }, { tag: 0x00280011, vr: 'US', value: 4 }, px(64)], { transferSyntaxUID: TS_UID.explicitLE });
    expect((await inspectBytes('spp', spp)).record.error?.name).toBe('UnsupportedPixelFormatError');

    // Sequences nested 40 deep.
    let nested: WriteElement = { tag: 0x00081115, vr: 'SQ', value: [[{ tag: 0x00100010, vr: 'PN', value: 'X' }]] };
    for (let d = 0; d < 40; d++) nested = { tag: 0x00081115, vr: 'SQ', value: [[nested]] };
    const deep = writeDicom([...base, nested, { tag: 0x00280010, vr: 'US', value: 2 }, { tag: 0x00280011, vr: 'US', value: 2 }, px(4)], { transferSyntaxUID: TS_UID.explicitLE });
    expect((await inspectBytes('deep', deep)).record.error?.name).toBe('LimitExceededError');

    // A patient name of 1 MB (implicit VR allows 32-bit lengths) is capped in the header, not carried whole.
    const longName = writeDicom([...base, { tag: 0x00100010, vr: 'PN', value: 'A'.repeat(1 << 20) }, { tag: 0x00280010, vr: 'US', value: 2 }, { tag: 0x00280011, vr: 'US', value: 2 }, px(4)], { transferSyntaxUID: TS_UID.implicitLE });
    const { parseInstance } = await import('../../../src/dicom/parseInstance');
    expect((await inspectBytes('long', longName)).record.ok).toBe(true);
    expect(parseInstance(longName).header.patientName.length).toBeLessThanOrEqual(256);
  });

  it('the inflate cap refuses a deflate bomb', async () => {
    const { LIMITS } = await import('../../../src/shared/limits');
    const saved = LIMITS.maxInflatedBytes;
    (LIMITS as { maxInflatedBytes: number }).maxInflatedBytes = 1 << 20; // 1 MiB for the test
    try {
      const bomb = writeDicom([
        { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
        { tag: 0x00091010, vr: 'OB', value: new Uint8Array(8 << 20) }, // 8 MiB of zeros deflates to a few KiB
      ], { transferSyntaxUID: TS_UID.deflatedLE });
      expect(bomb.length).toBeLessThan(64 * 1024);
      expect((await inspectBytes('bomb', bomb)).record.error?.name).toBe('LimitExceededError');
    } finally {
      (LIMITS as { maxInflatedBytes: number }).maxInflatedBytes = saved;
    }
  });
});
