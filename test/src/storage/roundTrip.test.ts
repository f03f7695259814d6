// Every store round-trips its records, and closing and re-opening the database (a reload) keeps all of them.
import { describe, expect, it } from 'vitest';
import { annotationsForInstances, annotationsForSeries, deleteAnnotations, putAnnotations } from '../../../src/storage/annotations';
import { casesOfSet, getCase, saveCase } from '../../../src/storage/cases';
import { getImages, hasImages, imagesOfSeries, missingImages } from '../../../src/storage/images';
import { getOutput, getOutputs } from '../../../src/storage/outputs';
import { getSet, listSets, saveSet } from '../../../src/storage/sets';
import { deleteSetting, getSetting, putSetting } from '../../../src/storage/settings';
import type { LucidDb } from '../../../src/storage/db';
import { annotation, attachment, bytesOf, freshDb, image, makeCase, makeSet, output } from './records';

/** One set with two cases (listed in the opposite order to their creation), images, annotations, outputs, settings. */
async function fill(db: LucidDb) {
  const set = makeSet('set-1', ['case-b', 'case-a']);
  const a = makeCase('case-a', 'set-1', { 'ser-1': ['sop-1', 'sop-2'] });
  const b = { ...makeCase('case-b', 'set-1', { 'ser-2': ['sop-3'] }, [attachment('out-1', 'sop-3', 'ser-2')]), createdAt: 2500 };
  await saveCase(db, a, [image('sop-1', 'ser-1', 32, 1), image('sop-2', 'ser-1', 48, 2)], makeSet('set-1', ['case-a']));
  await saveCase(db, b, [image('sop-3', 'ser-2', 16, 3)], set, [output('out-1')]);
  await putAnnotations(db, [annotation('an-2', 'sop-2', 'ser-1', 4002), annotation('an-1', 'sop-1', 'ser-1', 4001), annotation('an-3', 'sop-3', 'ser-2')]);
  await putSetting(db, 'window', { center: 40, width: 400 });
  return { set, a, b };
}

async function expectAll(db: LucidDb, { set, a, b }: Awaited<ReturnType<typeof fill>>) {
  expect(await getSet(db, 'set-1')).toEqual(set);
  expect(await getCase(db, 'case-a')).toEqual(a);
  expect((await casesOfSet(db, 'set-1')).map((c) => c.id)).toEqual(['case-b', 'case-a']);
  expect(await casesOfSet(db, 'set-1')).toEqual([b, a]);
  const images = await getImages(db, ['sop-1', 'sop-2', 'sop-3', 'sop-9']);
  expect([...images.keys()].sort()).toEqual(['sop-1', 'sop-2', 'sop-3']);
  expect(bytesOf(images.get('sop-2'))).toEqual(new Array(48).fill(2));
  expect(bytesOf(images.get('sop-3'))).toEqual(new Array(16).fill(3));
  expect(await imagesOfSeries(db, 'ser-1')).toEqual(['sop-1', 'sop-2']);
  const out = await getOutput(db, 'out-1');
  expect(out?.values).toBeInstanceOf(Float32Array);
  expect([...(out?.values ?? [])]).toEqual([0.5, 1, 2, 3, 4, 5]);
  expect(out?.rows).toBe(2);
  expect((await annotationsForSeries(db, 'ser-1')).map((x) => x.id)).toEqual(['an-1', 'an-2']);
  expect(await annotationsForInstances(db, ['sop-3'])).toEqual([annotation('an-3', 'sop-3', 'ser-2')]);
  expect(await getSetting(db, 'window')).toEqual({ center: 40, width: 400 });
}

describe('storage round trip', () => {
  it('reads back what every store was given', async () => {
    const { db } = await freshDb();
    await expectAll(db, await fill(db));
  });

  it('keeps everything when the database is closed and opened again (reload)', async () => {
    const t = await freshDb();
    const records = await fill(t.db);
    const again = await t.reopen();
    await expectAll(again, records);
  });

  it('lists sets most recently changed first', async () => {
    const { db } = await freshDb();
    await saveSet(db, makeSet('old', [], 1000));
    await saveSet(db, makeSet('new', [], 3000));
    await saveSet(db, makeSet('mid', [], 2000));
    expect((await listSets(db)).map((s) => s.id)).toEqual(['new', 'mid', 'old']);
  });

  it('finds annotations by instance and by series, and deletes them by id', async () => {
    const { db } = await freshDb();
    await putAnnotations(db, [annotation('x', 'sop-1', 'ser-1'), annotation('y', 'sop-2', 'ser-1'), annotation('z', 'sop-5', 'ser-9')]);
    expect((await annotationsForInstances(db, ['sop-2', 'sop-5', 'sop-2'])).map((a) => a.id).sort()).toEqual(['y', 'z']);
    expect((await annotationsForSeries(db, 'ser-9')).map((a) => a.id)).toEqual(['z']);
    await putAnnotations(db, [{ ...annotation('x', 'sop-1', 'ser-1'), label: 'edited' }]);
    expect((await annotationsForInstances(db, ['sop-1']))[0]?.label).toBe('edited');
    await deleteAnnotations(db, ['y', 'unknown']);
    expect((await annotationsForSeries(db, 'ser-1')).map((a) => a.id)).toEqual(['x']);
  });

  it('tells which images are stored', async () => {
    const { db } = await freshDb();
    await saveCase(db, makeCase('c', 's', { 'ser-1': ['sop-1', 'sop-2'] }), [image('sop-1', 'ser-1')]);
    expect(await hasImages(db, ['sop-1'])).toBe(true);
    expect(await hasImages(db, ['sop-1', 'sop-2'])).toBe(false);
    expect(await missingImages(db, ['sop-2', 'sop-1', 'sop-2'])).toEqual(['sop-2']);
  });

  it('gets several outputs and deletes a setting', async () => {
    const { db } = await freshDb();
    const c = makeCase('c', 's', { 'ser-1': ['sop-1'] }, [attachment('k1', 'sop-1', 'ser-1'), attachment('k2', 'sop-1', 'ser-1')]);
    await saveCase(db, c, [image('sop-1', 'ser-1')], undefined, [output('k1', 7), output('k2', 8), output('unused', 9)]);
    const outs = await getOutputs(db, ['k1', 'k2', 'unused']);
    expect([...outs.keys()].sort()).toEqual(['k1', 'k2']);
    expect(outs.get('k2')?.values[0]).toBe(8);
    await putSetting(db, 'theme', 'dark');
    await deleteSetting(db, 'theme');
    expect(await getSetting(db, 'theme')).toBeUndefined();
  });
});
