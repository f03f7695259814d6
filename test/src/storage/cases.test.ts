// Cases and sets: images are stored once however many cases use them and deleted with the last case using them;
// deleting a case or a set cascades in one transaction; saving a case cleans up what only its old version used.
import { describe, expect, it } from 'vitest';
import { annotationsForInstances, putAnnotations } from '../../../src/storage/annotations';
import { casesOfSet, deleteCase, getCase, saveCase } from '../../../src/storage/cases';
import { getImages } from '../../../src/storage/images';
import { getOutput } from '../../../src/storage/outputs';
import { deleteSet, getSet, listSets } from '../../../src/storage/sets';
import type { LucidDb } from '../../../src/storage/db';
import { annotation, attachment, bytesOf, freshDb, image, makeCase, makeSet, output } from './records';

const count = (db: LucidDb, store: 'images' | 'cases' | 'outputs') => db.count(store);

describe('images kept once', () => {
  it('stores a shared image once, never rewrites it, and deletes it only with the last case using it', async () => {
    const { db } = await freshDb();
    const a = makeCase('a', 's', { 'ser-1': ['sop-1', 'sop-2'] });
    const b = makeCase('b', 's', { 'ser-1': ['sop-2'], 'ser-2': ['sop-3'] });
    await saveCase(db, a, [image('sop-1', 'ser-1', 8, 1), image('sop-2', 'ser-1', 8, 2)], makeSet('s', ['a']));
    // b brings other bytes for sop-2: the stored file of that UID stays the first one.
    await saveCase(db, b, [image('sop-2', 'ser-1', 8, 9), image('sop-3', 'ser-2', 8, 3)], makeSet('s', ['a', 'b']));
    expect(await count(db, 'images')).toBe(3);
    expect(bytesOf((await getImages(db, ['sop-2'])).get('sop-2'))).toEqual(new Array(8).fill(2));

    await deleteCase(db, 'a');
    expect([...(await getImages(db, ['sop-1', 'sop-2', 'sop-3'])).keys()].sort()).toEqual(['sop-2', 'sop-3']);
    expect((await getSet(db, 's'))?.caseIds).toEqual(['b']);

    await deleteCase(db, 'b');
    expect(await count(db, 'images')).toBe(0);
    expect((await getSet(db, 's'))?.caseIds).toEqual([]);
  });

  it('ignores images the case does not use (nothing stored belongs to no case) and an image given twice', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('a', 's', { 'ser-1': ['sop-1'] }), [image('sop-1', 'ser-1'), image('stray', 'ser-1'), image('sop-1', 'ser-1')]);
    expect([...(await getImages(db, ['sop-1', 'stray'])).keys()]).toEqual(['sop-1']);
  });

  it('drops images only the previous version of a case used', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('a', 's', { 'ser-1': ['sop-1'], 'ser-2': ['sop-2'] }), [image('sop-1', 'ser-1'), image('sop-2', 'ser-2')]);
    await saveCase(db, makeCase('b', 's', { 'ser-1': ['sop-1'] }), []);
    // a loses both series: sop-2 goes, sop-1 stays for b.
    await saveCase(db, makeCase('a', 's', {}), []);
    expect([...(await getImages(db, ['sop-1', 'sop-2'])).keys()]).toEqual(['sop-1']);
  });

  it('keeps an output a duplicated case shares until the last case naming it goes', async () => {
    const { db } = await freshDb();
    const att = attachment('out-1', 'sop-1', 'ser-1');
    await saveCase(db, makeCase('a', 's', { 'ser-1': ['sop-1'] }, [att]), [image('sop-1', 'ser-1')], undefined, [output('out-1')]);
    await saveCase(db, makeCase('copy', 's', { 'ser-1': ['sop-1'] }, [{ ...att, id: 'other' }]), []);
    await deleteCase(db, 'a');
    expect(await getOutput(db, 'out-1')).toBeDefined();
    await deleteCase(db, 'copy');
    expect(await getOutput(db, 'out-1')).toBeUndefined();
    expect(await count(db, 'images')).toBe(0);
  });
});

describe('cases and sets', () => {
  it('rejects a set that is not the case\'s or does not list it, writing nothing', async () => {
    const { db } = await freshDb();
    const c = makeCase('a', 's', { 'ser-1': ['sop-1'] });
    await expect(saveCase(db, c, [image('sop-1', 'ser-1')], makeSet('other', ['a']))).rejects.toThrow(/not the set/);
    await expect(saveCase(db, c, [image('sop-1', 'ser-1')], makeSet('s', []))).rejects.toThrow(/does not list/);
    expect(await getCase(db, 'a')).toBeUndefined();
    expect(await count(db, 'images')).toBe(0);
  });

  it('a case moved to another set leaves the old set\'s list', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('a', 's1', {}), [], makeSet('s1', ['a']));
    await saveCase(db, makeCase('a', 's2', {}), [], makeSet('s2', ['a']));
    expect((await getSet(db, 's1'))?.caseIds).toEqual([]);
    expect((await casesOfSet(db, 's2')).map((c) => c.id)).toEqual(['a']);
    expect(await casesOfSet(db, 's1')).toEqual([]);
  });

  it('deleteSet removes the set, its cases and the images only they use; other sets and annotations stay', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('a', 's1', { 'ser-1': ['sop-1', 'shared'] }, [attachment('o1', 'sop-1', 'ser-1')]),
      [image('sop-1', 'ser-1'), image('shared', 'ser-1')], makeSet('s1', ['a']), [output('o1')]);
    await saveCase(db, makeCase('b', 's1', { 'ser-2': ['sop-2'] }), [image('sop-2', 'ser-2')], makeSet('s1', ['a', 'b']));
    await saveCase(db, makeCase('c', 's2', { 'ser-1': ['shared'] }), [], makeSet('s2', ['c']));
    await putAnnotations(db, [annotation('an', 'sop-1', 'ser-1')]);

    await deleteSet(db, 's1');
    expect((await listSets(db)).map((s) => s.id)).toEqual(['s2']);
    expect(await getCase(db, 'a')).toBeUndefined();
    expect(await getCase(db, 'b')).toBeUndefined();
    expect(await getCase(db, 'c')).toBeDefined();
    expect([...(await getImages(db, ['sop-1', 'sop-2', 'shared'])).keys()]).toEqual(['shared']);
    expect(await getOutput(db, 'o1')).toBeUndefined();
    // Annotations belong to images (which may be opened again from files), not to cases.
    expect((await annotationsForInstances(db, ['sop-1'])).map((x) => x.id)).toEqual(['an']);
  });

  it('deleting what is not there changes nothing', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('a', 's', { 'ser-1': ['sop-1'] }), [image('sop-1', 'ser-1')], makeSet('s', ['a']));
    await deleteCase(db, 'nope');
    await deleteSet(db, 'nope');
    expect(await count(db, 'cases')).toBe(1);
    expect(await count(db, 'images')).toBe(1);
    expect((await getSet(db, 's'))?.caseIds).toEqual(['a']);
  });
});
