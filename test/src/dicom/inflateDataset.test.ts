// Deflate bombs against inflateDataset (through parseInstance): refused with LimitExceededError as soon as the header
// shows the file cannot need that much, and, near the cap, in one buffer whose memory and time are printed.
// Bombs are built in code with a streaming deflater, so the test never holds the inflated bytes itself.
import { inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { LIMITS } from '../../../src/shared/limits';
import { bombImageHeader as image, deflatedFile, deflatedZeroImage, elementHeader as header, zeros } from '../../fixtures/deflateBombs';

const MiB = 1 << 20;
/** Where the dataset starts: after the meta group, whose length (0002,0000) follows "DICM" (PS3.10 §7.1). */
function metaEnd(file: Uint8Array): number {
  return 144 + new DataView(file.buffer, file.byteOffset).getUint32(140, true);
}

function refusal(file: Uint8Array): { name: string; ms: number } {
  const t0 = performance.now();
  try {
    parseInstance(file);
    return { name: 'ok', ms: performance.now() - t0 };
  } catch (e) {
    return { name: (e as Error).name, ms: performance.now() - t0 };
  }
}

describe('deflate bombs at the real cap (LIMITS.maxInflatedBytes)', () => {
  const bombs: [string, () => Uint8Array][] = [
    ['a private OB declaring 4 GiB', () => deflatedFile([image(4, 4), header(0x00091010, 'OB', 0xfffffff0), ...zeros(64 * MiB)])],
    ['Pixel Data declaring 512 MiB for a 512 × 512 × 16-bit image', () => deflatedFile([image(512, 512), header(0x7fe00010, 'OW', 512 * MiB), ...zeros(64 * MiB)])],
    ['zeros after a complete image (not data elements)', () => deflatedFile([image(4, 4), header(0x7fe00010, 'OW', 32), new Uint8Array(32), ...zeros(256 * MiB)])],
    ['zeros after a header without pixel data', () => deflatedFile([image(4, 4), ...zeros(256 * MiB)])],
    ['300,000 empty private elements', () => deflatedFile([image(4, 4), ...Array.from({ length: 300 }, () => { const b = new Uint8Array(8000); for (let i = 0; i < b.length; i += 8) b.set(header(0x00091011, 'LO', 0), i); return b; })])],
  ];
  for (const [what, build] of bombs) {
    it(`${what}: LimitExceededError after a small fraction of the inflating`, () => {
      const file = build();
      const { name, ms } = refusal(file);
      // Wall time depends on the machine's load, so it is compared with inflating the whole bomb on the same machine.
      const t0 = performance.now();
      const whole = inflateSync(file.subarray(metaEnd(file))).length;
      const wholeMs = performance.now() - t0;
      console.log(`bomb "${what}": ${file.length} bytes compressed, ${name} in ${ms.toFixed(0)} ms; inflating all ${(whole / MiB).toFixed(0)} MiB takes ${wholeMs.toFixed(0)} ms`);
      expect(name).toBe('LimitExceededError');
      if (whole >= 64 * MiB) expect(ms).toBeLessThan(0.25 * wholeMs); // else it is refused by count, not by size
      expect(ms).toBeLessThan(5000);
    });
  }
});

describe('deflate near the cap: one buffer, memory and time measured', () => {
  const CAP = 128 * MiB;
  function withCap<T>(f: () => T): T {
    const saved = LIMITS.maxInflatedBytes;
    (LIMITS as { maxInflatedBytes: number }).maxInflatedBytes = CAP;
    try { return f(); } finally { (LIMITS as { maxInflatedBytes: number }).maxInflatedBytes = saved; }
  }
  function measure(label: string, file: Uint8Array): { name: string; ms: number; arrayBuffers: number } {
    const before = process.memoryUsage();
    const maxRssBefore = process.resourceUsage().maxRSS;
    const r = withCap(() => refusal(file));
    const after = process.memoryUsage();
    const arrayBuffers = after.arrayBuffers - before.arrayBuffers;
    console.log(`${label}: ${file.length} bytes compressed → ${r.name} in ${r.ms.toFixed(0)} ms; ` +
      `arrayBuffers +${(arrayBuffers / MiB).toFixed(0)} MiB, rss +${((after.rss - before.rss) / MiB).toFixed(0)} MiB, ` +
      `max rss +${((process.resourceUsage().maxRSS - maxRssBefore) / 1024).toFixed(0)} MiB (cap ${CAP / MiB} MiB)`);
    return { ...r, arrayBuffers };
  }

  it('one Pixel Data value just under the cap inflates in one allocation; just over is refused before inflating', () => {
    const px = 4096 * 4096 * 2 * 3; // 96 MiB of 16-bit pixels
    const under = measure('near-cap image (96 MiB)', deflatedZeroImage(4096, 4096, 3));
    expect(under.name).toBe('ok');
    // The old chunk list + final copy held 2× the pixels; one buffer holds them once (plus fflate's collectable chunks).
    expect(under.arrayBuffers).toBeLessThan(px * 1.6);
    const over = measure('over-cap image (192 MiB declared)', deflatedFile([image(8192, 8192), header(0x00280008, 'IS', 2), new TextEncoder().encode('1 '), header(0x7fe00010, 'OW', 2 * px), ...zeros(2 * px)]));
    expect(over.name).toBe('LimitExceededError');
    expect(over.ms).toBeLessThan(1000);
  });

  it('many 7.5 MiB values running past the cap are refused at the cap, in at most ~1.5× its memory', () => {
    const piece = (i: number) => [header(0x00091010 + i, 'OB', 7.5 * MiB), ...zeros(7.5 * MiB)];
    const file = deflatedFile([image(4, 4), ...Array.from({ length: 18 }, (_, i) => piece(i)).flat()]);
    const r = measure('bomb of 18 × 7.5 MiB values', file);
    expect(r.name).toBe('LimitExceededError');
    expect(r.arrayBuffers).toBeLessThan(CAP * 2);
    expect(r.ms).toBeLessThan(30000); // a hang guard only: the time is printed, and depends on the machine's load
  });
});
