// The storage budget helpers (absent in Node, read from navigator.storage when present) and storageStats' sizes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPersisted, requestPersistence, storageEstimate } from '../../../src/storage/quota';
import { recordBytes, storageStats } from '../../../src/storage/storageStats';
import { saveCase } from '../../../src/storage/cases';
import { putAnnotations } from '../../../src/storage/annotations';
import { STORAGE_ERROR_NAMES, StorageQuotaError } from '../../../src/shared/errors';
import { annotation, attachment, freshDb, image, makeCase, makeSet, output } from './records';

afterEach(() => { vi.unstubAllGlobals(); });

describe('storage budget', () => {
  it('gives null, not an exception, where navigator.storage is absent', async () => {
    vi.stubGlobal('navigator', undefined);
    expect(await storageEstimate()).toBeNull();
    expect(await requestPersistence()).toBeNull();
    expect(await isPersisted()).toBeNull();
  });

  it('reports the estimate and the persistence the browser grants', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 1234, quota: 99_000 }), persist, persisted: async () => false } });
    expect(await storageEstimate()).toEqual({ usage: 1234, quota: 99_000 });
    expect(await isPersisted()).toBe(false);
    expect(persist).not.toHaveBeenCalled(); // only requestPersistence asks, never a read
    expect(await requestPersistence()).toBe(true);
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('turns a failing storage API into null', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => { throw new Error('x'); }, persist: async () => { throw new Error('y'); } } });
    expect(await storageEstimate()).toBeNull();
    expect(await requestPersistence()).toBeNull();
    expect(await isPersisted()).toBeNull();
  });

  it('names the quota error and tells the user what to do', () => {
    const err = new StorageQuotaError();
    expect(err.name).toBe('StorageQuotaError');
    expect(STORAGE_ERROR_NAMES).toContain(err.name);
    expect(err.message).toMatch(/delete teaching sets.*export them.*free disk space.*persistent storage/s);
  });
});

describe('storageStats', () => {
  it('counts records and bytes per store: binary by byteLength, the rest by JSON length', async () => {
    const { db } = await freshDb();
    const set = makeSet('s', ['a']);
    const c = makeCase('a', 's', { 'ser-1': ['sop-1', 'sop-2'] }, [attachment('o', 'sop-1', 'ser-1')]);
    const images = [image('sop-1', 'ser-1', 1000), image('sop-2', 'ser-1', 500)];
    await saveCase(db, c, images, set, [output('o')]);
    await putAnnotations(db, [annotation('n', 'sop-1', 'ser-1')]);
    const stats = await storageStats(db);
    const meta = (i: (typeof images)[number]) => JSON.stringify({ ...i, bytes: null }).length;
    expect(stats.stores.images).toEqual({ records: 2, bytes: 1500 + meta(images[0]!) + meta(images[1]!) });
    expect(stats.stores.outputs).toEqual({ records: 1, bytes: 6 * 4 + JSON.stringify({ key: 'o', rows: 2, columns: 3, values: null }).length });
    expect(stats.stores.cases).toEqual({ records: 1, bytes: JSON.stringify(c).length });
    expect(stats.stores.sets).toEqual({ records: 1, bytes: JSON.stringify(set).length });
    expect(stats.stores.annotations.records).toBe(1);
    expect(stats.stores.settings).toEqual({ records: 0, bytes: 0 });
    const sum = Object.values(stats.stores).reduce((n, s) => n + s.bytes, 0);
    expect(stats.totalBytes).toBe(sum);
  });

  it('recordBytes counts typed-array views by their own length, not their buffer', () => {
    const view = new Uint8Array(100).subarray(0, 10);
    expect(recordBytes({ v: view })).toBe(10 + '{"v":null}'.length);
  });
});
