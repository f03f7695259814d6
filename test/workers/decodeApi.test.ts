// Contract of the decode worker API (run in-process): load gives header or named error, decode returns frames,
// unknown ids fail by name.
import { describe, expect, it } from 'vitest';
import { createDecodeApi } from '../../workers/decodeApi';
import { makeImage, pattern } from '../fixtures/makeImage';
import { TS_UID } from '../../src/dicom/transferSyntax';

describe('decode worker API', () => {
  it('loads, decodes and releases; corrupt compressed data is refused at load', async () => {
    const api = createDecodeApi();
    const values = Uint16Array.from(pattern(16, 16, 0, 4000));
    const good = await makeImage({ rows: 16, columns: 16, bitsAllocated: 16, values }, TS_UID.jpegLS);
    const res = await api.load('a', new Blob([good.slice().buffer]));
    expect(res).toMatchObject({ ok: true, id: 'a', header: { rows: 16, columns: 16 } });
    expect(Array.from((await api.decode('a', 0)).data)).toEqual(Array.from(values));
    const corrupt = good.slice();
    corrupt.fill(0xff, corrupt.length - 120, corrupt.length - 12);
    const bad = await api.load('b', corrupt.buffer);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.name).toBe('CorruptPixelDataError');
    await expect(api.decode('b', 0)).rejects.toMatchObject({ name: 'NotLoadedError' });
    // A file over the size limit is refused without being read.
    let read = false;
    const huge = { size: 3 * 1024 ** 3, arrayBuffer: async () => { read = true; return new ArrayBuffer(0); } } as unknown as Blob;
    expect(await api.load('c', huge)).toMatchObject({ ok: false, error: { name: 'LimitExceededError' } });
    expect(read).toBe(false);
    api.release(['a']);
    expect(api.count()).toBe(0);
  });
});

describe('decode worker API: packets and SR', () => {
  it('exports a packet only when every image says it is de-identified, and reads back what it wrote', async () => {
    const { makeContents, instanceBytes } = await import('../fixtures/teachingPacket');
    const api = createDecodeApi();
    const contents = makeContents();
    const bytes = await api.exportPacket(contents);
    const back = await api.importPacket(bytes);
    expect(back.cases).toEqual(contents.cases);
    expect([...back.images.keys()].sort()).toEqual([...contents.images.keys()].sort());
    // The same set with one image whose header lacks Patient Identity Removed: refused by the file's own header.
    const identified = instanceBytes(0, (els) => els.filter((e) => e.tag !== 0x00120062));
    contents.images.set(identified.sop, identified.bytes);
    await expect(api.exportPacket(contents)).rejects.toMatchObject({ name: 'IdentifiedDataError' });
  });

  it('writes an SR from loaded instances (statistics from the decoded frame) and refuses identified sources', async () => {
    const { makeContents, instanceBytes } = await import('../fixtures/teachingPacket');
    const dicomParser = (await import('dicom-parser')).default;
    const api = createDecodeApi();
    const contents = makeContents();
    const [sopA, bytesA] = [...contents.images][0]!;
    await api.load('a', bytesA.slice().buffer);
    const ellipse = contents.annotations.find((a) => a.kind === 'ellipse' && a.image.sopInstanceUID === sopA)
      ?? { ...contents.annotations.find((a) => a.kind === 'ellipse')!, image: { ...contents.annotations[0]!.image, sopInstanceUID: sopA } };
    const sr = await api.exportSr([ellipse], { [sopA]: 'a' });
    const ds = dicomParser.parseDicom(sr);
    expect(ds.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.88.33');
    expect(ds.string('x00100010') ?? '').toBe('PHANTOM^SYNTHETIC');
    await expect(api.exportSr([ellipse], {})).rejects.toMatchObject({ name: 'NotLoadedError' });
    const identified = instanceBytes(0, (els) => els.filter((e) => e.tag !== 0x00120062));
    const api2 = createDecodeApi();
    await api2.load('b', identified.bytes.slice().buffer);
    await expect(api2.exportSr([{ ...ellipse, image: { ...ellipse.image, sopInstanceUID: identified.sop } }], { [identified.sop]: 'b' })).rejects.toMatchObject({ name: 'IdentifiedDataError' });
  });
});
