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
