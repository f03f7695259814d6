// A write that fails part-way (an uncloneable record, the page going away, the quota running out) rejects with a
// named error and leaves the previous version of everything intact: no half-written case, no stray image.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as fake from 'fake-indexeddb';
import { casesOfSet, deleteCase, getCase, saveCase } from '../../../src/storage/cases';
import { getImages } from '../../../src/storage/images';
import { recordBytes, storageStats } from '../../../src/storage/storageStats';
import { getSet } from '../../../src/storage/sets';
import type { LucidDb } from '../../../src/storage/db';
import type { Case } from '../../../src/teaching/model';
import { freshDb, image, makeCase, makeSet } from './records';

afterEach(() => { vi.restoreAllMocks(); });

type Put = (this: IDBObjectStore, value: unknown, key?: IDBValidKey) => IDBRequest;
const storeProto = fake.IDBObjectStore.prototype as unknown as { put: Put; add: Put };

/** Calls `after(store, request)` after every put/add into object stores (the real operation still runs first). */
function afterWrites(after: (store: IDBObjectStore, request: IDBRequest, value: unknown) => void) {
  for (const method of ['put', 'add'] as const) {
    const original = storeProto[method];
    vi.spyOn(storeProto, method).mockImplementation(function (this: IDBObjectStore, value, key) {
      const request = original.call(this, value, key);
      after(this, request, value);
      return request;
    });
  }
}

/**
 * A small quota of `limit` bytes for what is stored (records as storageStats counts them, measured when the quota is
 * installed) plus what is written after. Once a write passes it, either the write throws QuotaExceededError itself
 * ('request') or it succeeds and then the transaction aborts with QuotaExceededError as its error ('transaction',
 * how Chromium and Firefox report a full origin: at commit, on the transaction).
 */
async function fakeQuota(db: LucidDb, limit: number, how: 'request' | 'transaction') {
  let used = (await storageStats(db)).totalBytes;
  for (const method of ['put', 'add'] as const) {
    const original = storeProto[method];
    vi.spyOn(storeProto, method).mockImplementation(function (this: IDBObjectStore, value, key) {
      used += recordBytes(value);
      if (used <= limit) return original.call(this, value, key);
      if (how === 'request') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      const request = original.call(this, value, key);
      const tx = this.transaction as unknown as { _abort(name: string): void };
      request.addEventListener('success', () => tx._abort('QuotaExceededError'));
      return request;
    });
  }
}

/** Version 1 of case "a" in set "s", with two 1 kB images: the state every test below must find intact. */
async function firstVersion(db: LucidDb) {
  const set = makeSet('s', ['a']);
  const a = makeCase('a', 's', { 'ser-1': ['sop-1', 'sop-2'] });
  await saveCase(db, a, [image('sop-1', 'ser-1', 1000, 1), image('sop-2', 'ser-1', 1000, 2)], set);
  return { set, a };
}

async function expectFirstVersion(db: LucidDb, { set, a }: Awaited<ReturnType<typeof firstVersion>>) {
  expect(await getSet(db, 's')).toEqual(set);
  expect(await getCase(db, 'a')).toEqual(a);
  expect(await casesOfSet(db, 's')).toEqual([a]);
  expect([...(await getImages(db, ['sop-1', 'sop-2', 'sop-3', 'sop-4'])).keys()].sort()).toEqual(['sop-1', 'sop-2']);
  expect(await db.count('images')).toBe(2);
}

/** Bytes the fake quota allows: the first version (two 1 kB images and two small records) and one more image. */
const QUOTA = 3500;

/** Version 2 of "a" adds a series with a new image; "b" is a new case with two new images. */
const secondVersion = (): Case => makeCase('a', 's', { 'ser-1': ['sop-1', 'sop-2'], 'ser-2': ['sop-3'] });
const newCase = (): Case => makeCase('b', 's', { 'ser-3': ['sop-3', 'sop-4'] });

describe('a write that fails part-way', () => {
  it('leaves the previous case when the case record cannot be stored (after its new image was put)', async () => {
    const { db } = await freshDb();
    const before = await firstVersion(db);
    const broken = { ...secondVersion(), discussion: (() => 'not cloneable') as unknown as string };
    const err = await saveCase(db, broken, [image('sop-3', 'ser-2', 1000, 3)]).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StorageWriteError', cause: { name: 'DataCloneError' } });
    await expectFirstVersion(db, before);
  });

  it('leaves the previous case when the last record (the set) fails after the case was put', async () => {
    const { db } = await freshDb();
    const before = await firstVersion(db);
    const set = { ...makeSet('s', ['a']), vocabulary: [Symbol('x')] as unknown as string[] };
    await expect(saveCase(db, secondVersion(), [image('sop-3', 'ser-2', 1000, 3)], set)).rejects.toMatchObject({ name: 'StorageWriteError' });
    await expectFirstVersion(db, before);
  });

  it('leaves the previous case when the transaction is aborted mid-way (the page closing), after a reload', async () => {
    const t = await freshDb();
    const before = await firstVersion(t.db);
    // Browsers abort unfinished transactions when the page goes away: here, right after the case record is put.
    afterWrites((store) => { if (store.name === 'cases') store.transaction.abort(); });
    const err = await saveCase(t.db, secondVersion(), [image('sop-3', 'ser-2', 1000, 3)], makeSet('s', ['a'])).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StorageWriteError' });
    vi.restoreAllMocks();
    await expectFirstVersion(await t.reopen(), before);
  });
});

describe('quota exhausted', () => {
  for (const how of ['request', 'transaction'] as const) {
    it(`names the error, keeps everything saved before and writes nothing of the new case (${how})`, async () => {
      const t = await freshDb();
      const before = await firstVersion(t.db);
      await fakeQuota(t.db, QUOTA, how);
      const err = await saveCase(t.db, newCase(), [image('sop-3', 'ser-3', 1000, 3), image('sop-4', 'ser-3', 1000, 4)], makeSet('s', ['a', 'b']))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('StorageQuotaError');
      expect((err as Error).message).toMatch(/delete teaching sets/);
      expect((err as Error).message).toMatch(/export them/);
      expect((err as Error).message).toMatch(/free disk space/);
      expect((err as Error).message).toMatch(/persistent storage/);
      vi.restoreAllMocks();
      const db = await t.reopen();
      await expectFirstVersion(db, before);
      expect(await getCase(db, 'b')).toBeUndefined();

      // Doing what the message says works: delete a case, and the same save fits in the same quota.
      await deleteCase(db, 'a');
      await fakeQuota(db, QUOTA, how);
      await saveCase(db, newCase(), [image('sop-3', 'ser-3', 1000, 3), image('sop-4', 'ser-3', 1000, 4)], makeSet('s', ['b']));
      expect((await getSet(db, 's'))?.caseIds).toEqual(['b']);
      expect([...(await getImages(db, ['sop-1', 'sop-3', 'sop-4'])).keys()].sort()).toEqual(['sop-3', 'sop-4']);
    });
  }

  it('also names an update of an existing case that runs out of room', async () => {
    const { db } = await freshDb();
    const before = await firstVersion(db);
    await fakeQuota(db, QUOTA, 'transaction');
    // a's new version needs a fourth and fifth 1 kB image.
    const big = makeCase('a', 's', { 'ser-1': ['sop-1', 'sop-2'], 'ser-2': ['sop-3', 'sop-4'] });
    await expect(saveCase(db, big, [image('sop-3', 'ser-2', 1000, 3), image('sop-4', 'ser-2', 1000, 4)])).rejects.toMatchObject({ name: 'StorageQuotaError' });
    vi.restoreAllMocks();
    await expectFirstVersion(db, before);
  });
});
