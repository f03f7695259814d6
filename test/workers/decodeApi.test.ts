// Contract of the decode worker API (run in-process): load gives header or named error, decode returns frames,
// unknown ids fail by name.
import 'fake-indexeddb/auto';
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

  it('writes an SR from loaded instances (statistics from the decoded frame), de-identified unless identity is kept', async () => {
    const { makeContents } = await import('../fixtures/teachingPacket');
    const dicomParser = (await import('dicom-parser')).default;
    const api = createDecodeApi();
    const contents = makeContents();
    const [sopA, bytesA] = [...contents.images][0]!;
    await api.load('a', bytesA.slice().buffer);
    const ellipse = contents.annotations.find((a) => a.kind === 'ellipse' && a.image.sopInstanceUID === sopA)
      ?? { ...contents.annotations.find((a) => a.kind === 'ellipse')!, image: { ...contents.annotations[0]!.image, sopInstanceUID: sopA } };
    const kept = dicomParser.parseDicom(await api.exportSr([ellipse], { [sopA]: 'a' }, {}, { options: {}, keepIdentity: true }));
    expect(kept.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.88.33');
    expect(kept.string('x00100010') ?? '').toBe('PHANTOM^SYNTHETIC');
    const sr = await api.exportSr([ellipse], { [sopA]: 'a' });
    const ds = dicomParser.parseDicom(sr);
    expect(ds.string('x00120062')).toBe('YES');
    expect(ds.string('x00100010')).toMatch(/^ANON-/);
    expect(Buffer.from(sr).includes(sopA)).toBe(false); // the image reference is mapped too
    // The browser's review secret is kept: a second export maps the same image to the same UID.
    const again = await api.exportSr([ellipse], { [sopA]: 'a' });
    // Current Requested Procedure Evidence > Referenced Series > Referenced SOP > Referenced SOP Instance UID.
    const refOf = (b: Uint8Array) => {
      const item = (d: ReturnType<typeof dicomParser.parseDicom>, key: string) => d.elements[key]!.items![0]!.dataSet!;
      return item(item(item(dicomParser.parseDicom(b), 'x0040a375'), 'x00081115'), 'x00081199').string('x00081155');
    };
    expect(refOf(sr)).toMatch(/^2\.25\./);
    expect(refOf(again)).toBe(refOf(sr));
    await expect(api.exportSr([ellipse], {})).rejects.toMatchObject({ name: 'NotLoadedError' });
  });

  it('writes enhanced slices as a zipped derived series: de-identified by default, the model named, identity kept on request', async () => {
    const { makeContents } = await import('../fixtures/teachingPacket');
    const { unzipSync } = await import('fflate');
    const { parseInstance } = await import('../../src/dicom/parseInstance');
    const api = createDecodeApi();
    const [, bytesA] = [...makeContents().images][0]!;
    await api.load('a', bytesA.slice().buffer);
    const slice = { id: 'a', values: Float32Array.from({ length: 64 * 64 }, (_, i) => (i % 64) * 10 - 300), rows: 64, columns: 64 };
    const model = { modelId: 'denoise', modelTitle: 'Denoise', sha256: 'cd'.repeat(32), scale: 1 };
    const open = async (blob: Blob) => Object.values(unzipSync(new Uint8Array(await blob.arrayBuffer()))).map((b) => parseInstance(b));
    const [deid] = await open(await api.exportDerived([slice], model, { options: {} }));
    expect(deid!.header.patientIdentityRemoved).toBe(true);
    expect(deid!.header.patientName).toMatch(/^ANON-/);
    expect(deid!.dataSet.string('x00082111')).toContain('cd'.repeat(32));
    expect(deid!.header.imageType).toEqual(['DERIVED', 'SECONDARY']);
    const [kept] = await open(await api.exportDerived([slice], model, { options: {}, keepIdentity: true }));
    expect(kept!.dataSet.string('x00100010')).toBe('PHANTOM^SYNTHETIC');
    await expect(api.exportDerived([{ ...slice, id: 'missing' }], model, { options: {} })).rejects.toMatchObject({ name: 'NotLoadedError' });
  });

  it('exports a stored set de-identified: every UID mapped the same way in cases, marks and images', async () => {
    const { makeContents } = await import('../fixtures/teachingPacket');
    const { openLucidDb } = await import('../../src/storage/db');
    const { storePacket } = await import('../../src/storage/packetStore');
    const contents = makeContents();
    const db = await openLucidDb();
    await storePacket(db, contents);
    db.close();
    const api = createDecodeApi();
    expect(await api.checkStoredSet(contents.set.id)).toEqual([]);
    const zip = new Uint8Array(await (await api.exportStoredSet(contents.set.id, { options: {} })).arrayBuffer());
    const back = await api.importPacket(zip);
    const oldSops = [...contents.images.keys()];
    const newSops = [...back.images.keys()];
    expect(newSops.filter((s) => oldSops.includes(s))).toEqual([]);
    for (const c of back.cases) for (const f of c.findings) expect(newSops).toContain(f.image.sopInstanceUID);
    for (const a of back.annotations) expect(newSops).toContain(a.image.sopInstanceUID);
    expect(back.cases.map((c) => c.findings.map((f) => f.region))).toEqual(contents.cases.map((c) => c.findings.map((f) => f.region)));
    for (const bytes of back.images.values()) expect(Buffer.from(bytes).includes('PHANTOM')).toBe(false);
    // Exported again: the set's secret is kept, so the same UIDs.
    const twice = await api.importPacket(new Uint8Array(await (await api.exportStoredSet(contents.set.id, { options: {} })).arrayBuffer()));
    expect([...twice.images.keys()].sort()).toEqual(newSops.sort());
  });

  it('refuses to export a set with images that may carry burned-in text until that is acknowledged', async () => {
    const { makeContents, instanceBytes } = await import('../fixtures/teachingPacket');
    const { openLucidDb } = await import('../../src/storage/db');
    const { storePacket } = await import('../../src/storage/packetStore');
    const contents = makeContents();
    contents.set = { ...contents.set, id: 'set-us' };
    contents.cases = contents.cases.map((c) => ({ ...c, id: `${c.id}-us`, setId: 'set-us' }));
    contents.set.caseIds = contents.cases.map((c) => c.id);
    const us = instanceBytes(0, (els) => els.map((e) => (e.tag === 0x00080060 ? { ...e, value: 'US' } : e.tag === 0x00080018 ? { ...e, value: `${String(e.value)}.99` } : e)));
    const usSop = `${us.sop}.99`;
    contents.images.set(usSop, us.bytes);
    contents.cases[0]!.series = contents.cases[0]!.series.map((s) => ({ ...s, sopInstanceUIDs: [...s.sopInstanceUIDs, usSop] }));
    const db = await openLucidDb();
    await storePacket(db, contents);
    db.close();
    const api = createDecodeApi();
    const warnings = await api.checkStoredSet('set-us');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.reasons).toContain('modality');
    await expect(api.exportStoredSet('set-us', { options: {} })).rejects.toMatchObject({ name: 'BurnedInTextError' });
    expect((await api.exportStoredSet('set-us', { options: {}, acknowledgedBurnedIn: true })).size).toBeGreaterThan(0);
  });
});
