// importSet writes a whole set (cases, annotations, images, outputs) in one transaction: everything is readable
// after, shared images are not rewritten, a re-import replaces the set, and any failure writes nothing at all.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as fake from 'fake-indexeddb';
import { annotationsForSeries } from '../../../src/storage/annotations';
import { casesOfSet, getCase, saveCase } from '../../../src/storage/cases';
import { getImages, toStoredImages } from '../../../src/storage/images';
import { importSet, type SetImport } from '../../../src/storage/importSet';
import { getOutput } from '../../../src/storage/outputs';
import { getSet, listSets } from '../../../src/storage/sets';
import type { LucidDb } from '../../../src/storage/db';
import { annotation, attachment, bytesOf, freshDb, image, makeCase, makeSet, output } from './records';

afterEach(() => { vi.restoreAllMocks(); });

function packet(): SetImport {
  const a = makeCase('a', 'p', { 'ser-1': ['sop-1', 'sop-2'] }, [attachment('o1', 'sop-1', 'ser-1')]);
  const b = makeCase('b', 'p', { 'ser-2': ['sop-3'] });
  return {
    set: makeSet('p', ['b', 'a']),
    cases: [a, b],
    annotations: [annotation('n1', 'sop-1', 'ser-1'), annotation('n2', 'sop-2', 'ser-1', 4100)],
    images: [image('sop-1', 'ser-1', 8, 1), image('sop-2', 'ser-1', 8, 2), image('sop-3', 'ser-2', 8, 3)],
    outputs: [output('o1', 0.25)],
  };
}

async function expectNothingOf(db: LucidDb, p: SetImport) {
  expect(await getSet(db, p.set.id)).toBeUndefined();
  for (const c of p.cases) expect(await getCase(db, c.id)).toBeUndefined();
  expect(await db.count('annotations')).toBe(0);
  expect(await db.count('outputs')).toBe(0);
}

describe('importSet', () => {
  it('stores the set, its cases in order, annotations, images and outputs', async () => {
    const { db } = await freshDb();
    const p = packet();
    await importSet(db, p);
    expect(await getSet(db, 'p')).toEqual(p.set);
    expect((await casesOfSet(db, 'p')).map((c) => c.id)).toEqual(['b', 'a']);
    expect((await annotationsForSeries(db, 'ser-1')).map((a) => a.id)).toEqual(['n1', 'n2']);
    expect(bytesOf((await getImages(db, ['sop-3'])).get('sop-3'))).toEqual(new Array(8).fill(3));
    expect((await getOutput(db, 'o1'))?.values[0]).toBe(0.25);
  });

  it('keeps an instance already stored by another set as it is (stored once)', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('mine', 'm', { 'ser-1': ['sop-1'] }), [image('sop-1', 'ser-1', 8, 7)], makeSet('m', ['mine']));
    await importSet(db, packet());
    expect(await db.count('images')).toBe(3);
    expect(bytesOf((await getImages(db, ['sop-1'])).get('sop-1'))).toEqual(new Array(8).fill(7));
  });

  it('re-importing a set replaces it, dropping the cases (and their images) it no longer has', async () => {
    const { db } = await freshDb();
    await importSet(db, packet());
    const p = packet();
    await importSet(db, { ...p, set: makeSet('p', ['a']), cases: [p.cases[0]!], images: p.images.slice(0, 2) });
    expect((await casesOfSet(db, 'p')).map((c) => c.id)).toEqual(['a']);
    expect(await getCase(db, 'b')).toBeUndefined();
    expect([...(await getImages(db, ['sop-1', 'sop-2', 'sop-3'])).keys()].sort()).toEqual(['sop-1', 'sop-2']);
    expect(await listSets(db)).toHaveLength(1);
  });

  it('writes nothing when a case needs an image that is neither given nor stored', async () => {
    const { db } = await freshDb();
    const p = packet();
    await expect(importSet(db, { ...p, images: p.images.slice(0, 2) })).rejects.toMatchObject({ name: 'StorageWriteError', message: /sop-3/ });
    await expectNothingOf(db, p);
    expect(await db.count('images')).toBe(0);
  });

  it('writes nothing when the quota runs out on the last image', async () => {
    const { db } = await freshDb();
    const p = packet();
    const add = (fake.IDBObjectStore.prototype as unknown as { add: (v: unknown) => IDBRequest }).add;
    vi.spyOn(fake.IDBObjectStore.prototype as unknown as { add: (v: unknown) => IDBRequest }, 'add').mockImplementation(function (this: IDBObjectStore, value: unknown) {
      if ((value as { sopInstanceUID?: string }).sopInstanceUID === 'sop-3') throw new DOMException('full', 'QuotaExceededError');
      return add.call(this, value);
    });
    await expect(importSet(db, p)).rejects.toMatchObject({ name: 'StorageQuotaError' });
    await expectNothingOf(db, p);
    expect(await db.count('images')).toBe(0);
  });

  it('rejects records that disagree before touching the database', async () => {
    const { db } = await freshDb();
    const p = packet();
    await expect(importSet(db, { ...p, set: makeSet('p', ['a']) })).rejects.toThrow(/caseIds/);
    await expect(importSet(db, { ...p, set: makeSet('p', ['a', 'b', 'c']) })).rejects.toThrow(/c not given/);
    await expect(importSet(db, { ...p, cases: [p.cases[0]!, { ...p.cases[1]!, setId: 'x' }] })).rejects.toThrow(/belongs to set x/);
    await expectNothingOf(db, p);
  });

  it('writes nothing when a case id is already stored in another set', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('a', 'other', {}), [], makeSet('other', ['a']));
    const p = packet();
    await expect(importSet(db, p)).rejects.toMatchObject({ name: 'StorageWriteError', message: /another set/ });
    expect(await getSet(db, 'p')).toBeUndefined();
    expect((await getCase(db, 'a'))?.setId).toBe('other');
  });
});

describe('toStoredImages', () => {
  it('takes UIDs from the cases, copies each file out of a larger buffer and leaves out files no case lists', () => {
    const big = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    const files = new Map([['sop-1', big.subarray(2, 5)], ['stray', big.subarray(0, 1)]]);
    const images = toStoredImages([makeCase('a', 'p', { 'ser-1': ['sop-1', 'sop-2'] })], files);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ sopInstanceUID: 'sop-1', seriesInstanceUID: 'ser-1' });
    expect(images[0]!.bytes.byteLength).toBe(3);
    expect(bytesOf(images[0]!.bytes)).toEqual([2, 3, 4]);
  });
});
