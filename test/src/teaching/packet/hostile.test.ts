// Corrupt, truncated and hostile packets: each gives one named packet error (never a stray TypeError/RangeError, never
// a hang), before anything could be stored. Zip bombs are built in code by streaming zeros through fflate's Deflate.
import { beforeAll, describe, expect, it } from 'vitest';
import { Deflate, unzipSync, zipSync, type Zippable } from 'fflate';
import { PACKET_ERROR_NAMES } from '../../../../src/shared/errors';
import { readPacket } from '../../../../src/teaching/packet/readPacket';
import { writePacket } from '../../../../src/teaching/packet/writePacket';
import { PACKET_LIMITS } from '../../../../src/teaching/packet/format';
import { crc32 } from '../../../../src/teaching/packet/digest';
import { makeContents } from '../../../fixtures/teachingPacket';
import { rawZip } from '../../../fixtures/rawZip';

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try { await p; } catch (e) { return e as Error; }
  throw new Error('expected the packet to be refused');
}

let packet: Uint8Array;
let manifestBytes: Uint8Array;
beforeAll(async () => {
  packet = await writePacket(makeContents(), { createdAt: 1 });
  manifestBytes = unzipSync(packet)['lucid-packet.json']!;
});

/** Streams `mib` MiB of zeros through Deflate: a ~1 KB-per-MiB stream, never holding the inflated bytes. */
function zeroBomb(mib: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const d = new Deflate({ level: 6 }, (c) => { chunks.push(c); });
  const zeros = new Uint8Array(1 << 20);
  for (let i = 0; i < mib; i++) d.push(zeros, false);
  d.push(new Uint8Array(0), true);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

describe('truncated and damaged packets', () => {
  it('a packet cut short anywhere is PacketCorruptError', async () => {
    const offsets = new Set<number>([0, 1, 4, 21, 22, 29, 30, 100, packet.length - 1, packet.length - 2, packet.length - 22, packet.length - 23]);
    for (let i = 1; i < 60; i++) offsets.add(Math.floor((packet.length * i) / 60));
    for (const n of offsets) {
      const e = await errorOf(readPacket(packet.slice(0, n)));
      expect(e.name, `cut at ${n}: ${e.message}`).toBe('PacketCorruptError');
    }
  });

  it('random byte flips give a named packet error, or (a harmless byte such as a timestamp) the same contents', async () => {
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
    const names = new Set<string>();
    const original = makeContents();
    for (let i = 0; i < 150; i++) {
      const bad = packet.slice();
      const at = Math.floor(rand() * bad.length);
      bad[at] = bad[at]! ^ (1 + Math.floor(rand() * 255));
      try {
        const back = await readPacket(bad);
        expect(back.cases).toEqual(original.cases);
        for (const [sop, bytes] of original.images) expect(Buffer.compare(back.images.get(sop)!, bytes)).toBe(0);
      } catch (e) {
        expect(PACKET_ERROR_NAMES as readonly string[], `flip at ${at}: ${(e as Error).name} ${(e as Error).message}`).toContain((e as Error).name);
        names.add((e as Error).name);
      }
    }
    expect(names.has('PacketCorruptError')).toBe(true);
  });

  it('not a zip at all, and an empty file', async () => {
    expect((await errorOf(readPacket(new TextEncoder().encode('hello, I am a text file')))).name).toBe('PacketCorruptError');
    expect((await errorOf(readPacket(new Uint8Array(0)))).name).toBe('PacketCorruptError');
  });

  it('manifest that is not JSON is PacketCorruptError', async () => {
    const e = await errorOf(readPacket(rawZip([{ name: 'lucid-packet.json', data: new TextEncoder().encode('{"format": "lucid-') }])));
    expect(e.name).toBe('PacketCorruptError');
    expect(e.message).toMatch(/not valid JSON/);
  });
});

describe('zip bombs', () => {
  let bomb64: Uint8Array;
  beforeAll(() => { bomb64 = zeroBomb(64); });

  it('an entry declaring 3 GB is refused from the directory alone', async () => {
    const t0 = performance.now();
    const e = await errorOf(readPacket(rawZip([
      { name: 'lucid-packet.json', data: manifestBytes },
      { name: 'dicom/0.dcm', data: bomb64, method: 8, size: 3_000_000_000 },
    ])));
    expect(e.name).toBe('PacketTooLargeError');
    expect(e.message).toMatch(/2.8 GB|per file/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a small stream that inflates far past its declared size is stopped early', async () => {
    const t0 = performance.now();
    const e = await errorOf(readPacket(rawZip([{ name: 'lucid-packet.json', data: bomb64, method: 8, size: 100_000 }])));
    expect(e.name).toBe('PacketTooLargeError');
    expect(e.message).toMatch(/more than the 97.7 KB it declares/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('an honest but absurd compression ratio is refused before inflating', async () => {
    const e = await errorOf(readPacket(rawZip([{ name: 'lucid-packet.json', data: bomb64, method: 8, size: 64 << 20 }])));
    expect(e.name).toBe('PacketTooLargeError');
    expect(e.message).toMatch(/compressed \d+ to 1/);
  });

  it('the total unpacked size is capped (message says how much)', async () => {
    const limits = { ...PACKET_LIMITS, maxTotalBytes: 2 * 1024 ** 3, maxEntryBytes: 4 * 1024 ** 3 - 1, maxCompressionRatio: Infinity };
    const entries = [0, 1, 2].map((n) => ({ name: `dicom/${n}.dcm`, data: bomb64, method: 8 as const, size: 1_000_000_000 }));
    const e = await errorOf(readPacket(rawZip([{ name: 'lucid-packet.json', data: manifestBytes }, ...entries]), limits));
    expect(e.name).toBe('PacketTooLargeError');
    expect(e.message).toBe('This packet would unpack to more than 2 GB, the most Lucid imports.');
  });

  it('too many files', async () => {
    const many = Array.from({ length: 50 }, (_, n) => ({ name: `models/${n}.md`, data: new Uint8Array(1) }));
    const e = await errorOf(readPacket(rawZip(many), { ...PACKET_LIMITS, maxEntries: 20 }));
    expect(e.name).toBe('PacketTooLargeError');
  });
});

describe('unsafe names', () => {
  for (const name of ['../x', '/etc/x', 'dicom/../../x', 'C:\\x', 'C:/x', 'dicom/0.dcm\0.txt', 'dicom\\0.dcm', 'evil.sh', 'dicom/', 'dicom/x.dcm', './lucid-packet.json']) {
    it(`refuses ${JSON.stringify(name)}`, async () => {
      const e = await errorOf(readPacket(rawZip([{ name: 'lucid-packet.json', data: manifestBytes }, { name, data: new Uint8Array(4) }])));
      expect(e.name).toBe('PacketUnsafePathError');
      expect(e.message).toContain('Lucid did not import it');
    });
  }
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests corrupt arbitrary fields of the parsed JSON
type RawManifest = any;

/** Unzip, change the manifest and/or files, zip again (with correct CRCs). */
function repack(edit: (manifest: RawManifest, files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(packet);
  const manifest = JSON.parse(new TextDecoder().decode(files['lucid-packet.json']));
  edit(manifest, files);
  const out: Zippable = { 'lucid-packet.json': new TextEncoder().encode(JSON.stringify(manifest)) };
  for (const [k, v] of Object.entries(files)) if (k !== 'lucid-packet.json') out[k] = [v, { level: 0 }];
  return zipSync(out);
}

describe('manifest version and schema', () => {
  it('a newer schemaVersion is PacketVersionError', async () => {
    const e = await errorOf(readPacket(repack((m) => { m.schemaVersion = 2; })));
    expect(e.name).toBe('PacketVersionError');
    expect(e.message).toMatch(/newer Lucid/);
  });
  it('an unknown older version, a missing version and a foreign format are PacketVersionError', async () => {
    for (const edit of [(m: RawManifest) => { m.schemaVersion = 0; }, (m: RawManifest) => { delete m.schemaVersion; }, (m: RawManifest) => { m.format = 'other'; }]) {
      expect((await errorOf(readPacket(repack(edit)))).name).toBe('PacketVersionError');
    }
  });
  it('10,000 cases is PacketTooLargeError, refused before validating them', async () => {
    const e = await errorOf(readPacket(repack((m) => { m.cases = Array.from({ length: 10_000 }, (_, i) => ({ ...m.cases[0], id: `c${i}` })); })));
    expect(e.name).toBe('PacketTooLargeError');
    expect(e.message).toMatch(/10000 cases; Lucid imports at most 2000/);
  });
  const schemaCases: [string, (m: RawManifest) => void, RegExp][] = [
    ['a point that is not a number', (m) => { m.cases[0].findings[0].region.point.x = 'NaN'; }, /cases\[0\]\.findings\[0\]\.region\.point\.x must be a finite number/],
    ['a null coordinate', (m) => { m.annotations[2].points[1].y = null; }, /annotations\[2\]\.points\[1\]\.y must be a finite number/],
    ['a negative frame', (m) => { m.cases[0].findings[1].image.frame = -1; }, /cases\[0\]\.findings\[1\]\.image\.frame must be a whole number/],
    ['a fractional frame', (m) => { m.annotations[0].image.frame = 0.5; }, /annotations\[0\]\.image\.frame/],
    ['difficulty 6', (m) => { m.cases[1].findings[0].difficulty = 6; }, /cases\[1\]\.findings\[0\]\.difficulty must be one of 1, 2, 3, 4, 5/],
    ['a duplicate case id', (m) => { m.cases[1].id = m.cases[0].id; }, /cases\[1\]\.id repeats the id/],
    ['a case of another set', (m) => { m.cases[2].setId = 'other'; }, /cases\[2\]\.setId must be the set's id/],
    ['a case not listed in the set', (m) => { m.set.caseIds.pop(); }, /cases\[2\]\.id is not listed in set\.caseIds/],
    ['a listed case that is missing', (m) => { m.set.caseIds.push('ghost'); }, /set\.caseIds\[3\] names a case/],
    ['an image no index lists', (m) => { m.annotations[0].image.sopInstanceUID = '1.2.3'; }, /annotations\[0\]\.image\.sopInstanceUID refers to an image \(1\.2\.3\)/],
    ['an indexed image nobody uses', (m) => { m.images.push({ ...m.images[0], sopInstanceUID: '1.2.3', path: 'dicom/2.dcm' }); }, /images\[2\] is an image \(1\.2\.3\) no case/],
    ['an arrow with 3 points', (m) => { m.annotations[5].points.push({ x: 1, y: 1 }); }, /annotations\[5\]\.points has 3 entries, more than 2/],
    ['an unknown field', (m) => { m.set.secret = 1; }, /set\.secret is not a field Lucid knows/],
    ['an attachment without its output', (m) => { m.cases[2].attachments[0].dataKey = 'nope'; }, /cases\[2\]\.attachments\[0\]\.dataKey refers to a model output/],
    ['an attachment without a model card', (m) => { m.modelCards = []; }, /modelCards lacks "anomaly"/],
  ];
  for (const [what, edit, message] of schemaCases) {
    it(`${what} is PacketSchemaError naming the JSON path`, async () => {
      const e = await errorOf(readPacket(repack(edit)));
      expect(e.name, e.message).toBe('PacketSchemaError');
      expect(e.message).toMatch(message);
    });
  }
  it('a file the manifest does not list is refused', async () => {
    const e = await errorOf(readPacket(repack((_m, files) => { files['models/7.md'] = new Uint8Array(3); })));
    expect(e.name).toBe('PacketSchemaError');
    expect(e.message).toMatch(/models\/7\.md, which its manifest does not list/);
  });
});

describe('checksums and DICOM identity', () => {
  it('a sha256 that does not match its file is PacketCorruptError', async () => {
    const e = await errorOf(readPacket(repack((m) => { m.images[1].sha256 = '0'.repeat(64); })));
    expect(e.name).toBe('PacketCorruptError');
    expect(e.message).toMatch(/dicom\/1\.dcm .* does not match its sha256/);
  });
  it('a file altered after export (zip CRC recomputed) is caught by its sha256', async () => {
    const e = await errorOf(readPacket(repack((_m, files) => { const f = files['dicom/0.dcm']!; f[f.length - 1] = f[f.length - 1]! ^ 1; })));
    expect(e.name).toBe('PacketCorruptError');
  });
  it('a CRC-32 mismatch is PacketCorruptError', async () => {
    const files = unzipSync(packet);
    const entries = Object.entries(files).map(([name, data]) => ({ name, data, crc: name === 'dicom/0.dcm' ? crc32(data) ^ 1 : undefined }));
    const e = await errorOf(readPacket(rawZip(entries)));
    expect(e.name).toBe('PacketCorruptError');
    expect(e.message).toMatch(/CRC-32/);
  });
  it('a DICOM file whose SOP Instance UID is not its index key is PacketSchemaError', async () => {
    const { sha256Hex } = await import('../../../../src/teaching/packet/digest');
    const files = unzipSync(packet);
    const other = files['dicom/1.dcm']!;
    const sha = await sha256Hex(other);
    const e = await errorOf(readPacket(repack((m, f) => { f['dicom/0.dcm'] = other.slice(); m.images[0].sha256 = sha; m.images[0].bytes = other.length; })));
    expect(e.name).toBe('PacketSchemaError');
    expect(e.message).toMatch(/images\[0\]\.sopInstanceUID is .* but dicom\/0\.dcm is the instance/);
  });
  it('a file that is not DICOM is PacketCorruptError', async () => {
    const { sha256Hex } = await import('../../../../src/teaching/packet/digest');
    const junk = new TextEncoder().encode('definitely not a DICOM file, just some words here and there');
    const sha = await sha256Hex(junk);
    const e = await errorOf(readPacket(repack((m, f) => { f['dicom/0.dcm'] = junk; m.images[0].sha256 = sha; m.images[0].bytes = junk.length; })));
    expect(e.name).toBe('PacketCorruptError');
    expect(e.message).toMatch(/not readable DICOM \(NotDicomError/);
  });
});
