// v2 → v3: a v2 database made by hand (the v2 layout and v2-shaped records, written with the raw IndexedDB API, not
// our code) opens as v3 with every record kept, the new attempts and learners stores empty and working, and the same
// layout as a fresh database.
import { describe, expect, it } from 'vitest';
import * as fake from 'fake-indexeddb';
import { DB_VERSION, openLucidDb } from '../../../src/storage/db';
import { MIGRATIONS } from '../../../src/storage/migrations';
import { annotationsForSeries } from '../../../src/storage/annotations';
import { casesOfSet } from '../../../src/storage/cases';
import { getImages, imagesOfSeries } from '../../../src/storage/images';
import { getOutput } from '../../../src/storage/outputs';
import { getSetting } from '../../../src/storage/settings';
import { listSets } from '../../../src/storage/sets';
import { attemptsAtCase, attemptsOf, importProgress, listLearners, putAttempt } from '../../../src/storage/attempts';
import { T0, attempt, learner } from '../../fixtures/attempts';
import { annotation, attachment, bytesOf, freshDb, image, makeCase, makeSet, output, done, layout } from './records';


// v2 records, as v2 stored them (the same shapes today's code writes for these stores).
const set = makeSet('s', ['a']);
const caseA = makeCase('a', 's', { 'ser-1': ['sop-1', 'sop-2'] }, [attachment('o', 'sop-1', 'ser-1')]);
const images = [image('sop-1', 'ser-1', 4, 1), image('sop-2', 'ser-1', 4, 2)];
const notes = [annotation('n1', 'sop-1', 'ser-1')];

async function createV2(factory: IDBFactory, name: string): Promise<void> {
  const open = factory.open(name, 2);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('sets', { keyPath: 'id' });
    db.createObjectStore('cases', { keyPath: 'id' }).createIndex('bySet', 'setId');
    db.createObjectStore('images', { keyPath: 'sopInstanceUID' }).createIndex('bySeries', 'seriesInstanceUID');
    const annotations = db.createObjectStore('annotations', { keyPath: 'id' });
    annotations.createIndex('bySop', 'image.sopInstanceUID');
    annotations.createIndex('bySeries', 'image.seriesInstanceUID');
    db.createObjectStore('settings', { keyPath: 'key' });
    db.createObjectStore('outputs', { keyPath: 'key' });
  };
  const db = await done(open);
  const stores = ['sets', 'cases', 'images', 'annotations', 'settings', 'outputs'];
  const tx = db.transaction(stores, 'readwrite');
  tx.objectStore('sets').put(set);
  tx.objectStore('cases').put(caseA);
  for (const i of images) tx.objectStore('images').put(i);
  for (const a of notes) tx.objectStore('annotations').put(a);
  tx.objectStore('settings').put({ key: 'window', value: { center: 40, width: 400 } });
  tx.objectStore('outputs').put(output('o'));
  await new Promise<void>((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onabort = () => reject(tx.error); });
  db.close();
}

describe('migration from v2 to v3', () => {
  it('v3 is the last step and adds the attempts (byLearner, byCase) and learners stores', async () => {
    expect(DB_VERSION).toBe(3);
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3]);
    const { db } = await freshDb();
    const stores = layout(db);
    expect(stores.find((s) => s.name === 'attempts')).toEqual({ name: 'attempts', keyPath: 'id', indexes: [
      { name: 'byCase', keyPath: 'caseId', unique: false }, { name: 'byLearner', keyPath: 'learnerId', unique: false }] });
    expect(stores.find((s) => s.name === 'learners')).toEqual({ name: 'learners', keyPath: 'id', indexes: [] });
  });

  it('opens a v2 database with data as v3, everything kept, the new stores working', async () => {
    const factory = new fake.IDBFactory();
    await createV2(factory, 'v2');
    const db = await openLucidDb('v2', factory);
    expect(db.version).toBe(3);
    expect(layout(db)).toEqual(layout((await freshDb()).db));

    expect(await listSets(db)).toEqual([set]);
    expect(await casesOfSet(db, 's')).toEqual([caseA]);
    expect(await db.get('images', 'sop-2')).toEqual(images[1]);
    expect(bytesOf((await getImages(db, ['sop-1'])).get('sop-1'))).toEqual([1, 1, 1, 1]);
    expect(await imagesOfSeries(db, 'ser-1')).toEqual(['sop-1', 'sop-2']);
    expect(await annotationsForSeries(db, 'ser-1')).toEqual(notes);
    expect(await getSetting(db, 'window')).toEqual({ center: 40, width: 400 });
    expect(await getOutput(db, 'o')).toEqual(output('o'));

    expect(await attemptsOf(db, 'L1')).toEqual([]);
    expect(await listLearners(db)).toEqual([]);
    const a = attempt({ id: 'x', caseId: 'a', at: T0 });
    await putAttempt(db, a);
    await importProgress(db, { format: 'lucid-progress', schemaVersion: 1, exportedAt: T0, learner: learner(), attempts: [attempt({ id: 'y', caseId: 'a', at: T0 + 1 })] });
    expect((await attemptsAtCase(db, 'a')).map((r) => r.id)).toEqual(['x', 'y']);
    expect(await listLearners(db)).toEqual([learner()]);

    // And it stays v3 with its attempts after a reload.
    db.close();
    const again = await openLucidDb('v2', factory);
    expect(again.version).toBe(3);
    expect((await attemptsOf(again, 'L1')).map((r) => r.id)).toEqual(['x', 'y']);
    expect(await casesOfSet(again, 's')).toEqual([caseA]);
  });
});
