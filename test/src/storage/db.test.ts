// The schema: a fresh database has every store and index; a v1 database made by hand (the v1 layout and v1-shaped
// records, written with the raw IndexedDB API, not our code) is migrated to the current shape with nothing lost;
// a failing migration leaves v1 as it was; a newer database or a missing IndexedDB gives StorageUnavailableError.
import { describe, expect, it } from 'vitest';
import * as fake from 'fake-indexeddb';
import { DB_VERSION, openLucidDb } from '../../../src/storage/db';
import { MIGRATIONS } from '../../../src/storage/migrations';
import { annotationsForSeries } from '../../../src/storage/annotations';
import { casesOfSet, saveCase } from '../../../src/storage/cases';
import { getImages, imagesOfSeries } from '../../../src/storage/images';
import { getOutput } from '../../../src/storage/outputs';
import { getSetting } from '../../../src/storage/settings';
import { listSets, saveSet } from '../../../src/storage/sets';
import { annotation, attachment, bytesOf, freshDb, image, makeCase, makeSet, output, done, layout } from './records';


// v1 records, as v1 stored them: images had no study/series UIDs.
const set = makeSet('s', ['a', 'b']);
const caseA = makeCase('a', 's', { 'ser-1': ['sop-1', 'sop-2'] });
const caseB = makeCase('b', 's', { 'ser-2': ['sop-3'] });
const v1Image = (sop: string, fill: number) => ({ sopInstanceUID: sop, bytes: new Uint8Array(4).fill(fill).buffer });
const notes = [annotation('n1', 'sop-1', 'ser-1'), annotation('n3', 'sop-3', 'ser-2')];

/** Writes a v1 database by hand: the v1 layout and v1-shaped records (plus `extraCases`, for a broken one). */
async function createV1(factory: IDBFactory, name: string, extraCases: unknown[] = []): Promise<void> {
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('sets', { keyPath: 'id' });
    db.createObjectStore('cases', { keyPath: 'id' }).createIndex('bySet', 'setId');
    db.createObjectStore('images', { keyPath: 'sopInstanceUID' });
    db.createObjectStore('annotations', { keyPath: 'id' }).createIndex('bySop', 'image.sopInstanceUID');
    db.createObjectStore('settings', { keyPath: 'key' });
  };
  const db = await done(open);
  const tx = db.transaction(['sets', 'cases', 'images', 'annotations', 'settings'], 'readwrite');
  tx.objectStore('sets').put(set);
  for (const c of [caseA, caseB, ...extraCases]) tx.objectStore('cases').put(c);
  for (const [sop, fill] of [['sop-1', 1], ['sop-2', 2], ['sop-3', 3], ['orphan', 9]] as const) tx.objectStore('images').put(v1Image(sop, fill));
  for (const a of notes) tx.objectStore('annotations').put(a);
  tx.objectStore('settings').put({ key: 'window', value: { center: 40, width: 400 } });
  await new Promise<void>((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onabort = () => reject(tx.error); });
  db.close();
}

describe('schema', () => {
  it('DB_VERSION is the last migration step, and the steps run 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
    expect(DB_VERSION).toBe(3);
  });

  it('creates every store and index in a fresh database', async () => {
    const { db } = await freshDb();
    expect(db.version).toBe(DB_VERSION);
    expect(layout(db)).toEqual([
      { name: 'annotations', keyPath: 'id', indexes: [
        { name: 'bySeries', keyPath: 'image.seriesInstanceUID', unique: false }, { name: 'bySop', keyPath: 'image.sopInstanceUID', unique: false }] },
      { name: 'attempts', keyPath: 'id', indexes: [
        { name: 'byCase', keyPath: 'caseId', unique: false }, { name: 'byLearner', keyPath: 'learnerId', unique: false }] },
      { name: 'cases', keyPath: 'id', indexes: [{ name: 'bySet', keyPath: 'setId', unique: false }] },
      { name: 'images', keyPath: 'sopInstanceUID', indexes: [{ name: 'bySeries', keyPath: 'seriesInstanceUID', unique: false }] },
      { name: 'learners', keyPath: 'id', indexes: [] },
      { name: 'outputs', keyPath: 'key', indexes: [] },
      { name: 'sets', keyPath: 'id', indexes: [] },
      { name: 'settings', keyPath: 'key', indexes: [] },
    ]);
  });
});

describe('migration from v1', () => {
  it('opens a v1 database in the current layout with every record, images backfilled with their UIDs', async () => {
    const factory = new fake.IDBFactory();
    await createV1(factory, 'old');
    const db = await openLucidDb('old', factory);
    expect(db.version).toBe(DB_VERSION);
    expect(layout(db)).toEqual(layout((await freshDb()).db));

    expect(await listSets(db)).toEqual([set]);
    expect(await casesOfSet(db, 's')).toEqual([caseA, caseB]);
    expect(await getSetting(db, 'window')).toEqual({ center: 40, width: 400 });
    expect(await db.get('images', 'sop-3')).toEqual({ ...image('sop-3', 'ser-2', 4, 3) });
    expect(bytesOf((await getImages(db, ['sop-1'])).get('sop-1'))).toEqual([1, 1, 1, 1]);
    expect(await imagesOfSeries(db, 'ser-1')).toEqual(['sop-1', 'sop-2']);
    // An image no case used keeps its bytes, with empty UIDs (never dropped by a migration).
    expect(await db.get('images', 'orphan')).toMatchObject({ studyInstanceUID: '', seriesInstanceUID: '' });
    expect(bytesOf((await getImages(db, ['orphan'])).get('orphan'))).toEqual([9, 9, 9, 9]);
    // What v2 added works on the migrated data.
    expect(await annotationsForSeries(db, 'ser-2')).toEqual([notes[1]]);
    const withOutput = { ...caseB, attachments: [attachment('o', 'sop-3', 'ser-2')] };
    await saveCase(db, withOutput, [], undefined, [output('o')]);
    expect((await getOutput(db, 'o'))?.rows).toBe(2);
  });

  it('a migration step that fails leaves the v1 database exactly as it was', async () => {
    const factory = new fake.IDBFactory();
    // A damaged v1 case (series is not a list) makes the v2 backfill throw.
    await createV1(factory, 'broken', [{ ...makeCase('bad', 's', {}), series: null }]);
    await expect(openLucidDb('broken', factory)).rejects.toMatchObject({ name: 'StorageUnavailableError' });
    const raw = await done(factory.open('broken'));
    expect(raw.version).toBe(1);
    expect(Array.from(raw.objectStoreNames)).toEqual(['annotations', 'cases', 'images', 'sets', 'settings']);
    expect(Array.from(raw.transaction('annotations').objectStore('annotations').indexNames)).toEqual(['bySop']);
    expect(await done(raw.transaction('images').objectStore('images').get('sop-1'))).toEqual(v1Image('sop-1', 1));
    raw.close();
  });
});

describe('opening', () => {
  it('refuses a database written by a newer version', async () => {
    const factory = new fake.IDBFactory();
    (await done(factory.open('newer', DB_VERSION + 1))).close();
    await expect(openLucidDb('newer', factory)).rejects.toMatchObject({ name: 'StorageUnavailableError', message: /newer version/ });
  });

  it('names a missing IndexedDB', async () => {
    await expect(openLucidDb('x', undefined)).rejects.toMatchObject({ name: 'StorageUnavailableError' });
  });

  it('steps aside for a newer version opened elsewhere; its own later writes ask for a reload', async () => {
    const { factory, db } = await freshDb('shared');
    const newer = await done(factory.open('shared', DB_VERSION + 1)); // would wait forever if db stayed open
    expect(newer.version).toBe(DB_VERSION + 1);
    newer.close();
    await expect(saveSet(db, makeSet('s', []))).rejects.toMatchObject({ name: 'StorageWriteError', message: /reload the page/ });
  });
});
