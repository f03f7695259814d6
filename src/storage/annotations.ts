// The annotations store: measurements and annotations drawn on images, keyed by id and found by the image they
// are on (bySop) or its series (bySeries). They belong to images, not cases, so deleting a case leaves them;
// they may also be on instances that are not stored at all (opened from local files). UI thread.
import type { Annotation } from '../teaching/model';
import type { LucidDb } from './db';
import { writeTx } from './writeTx';

/** Stores (adds or replaces by id) the annotations, all or none. */
export async function putAnnotations(db: LucidDb, list: Annotation[]): Promise<void> {
  if (list.length === 0) return;
  await writeTx(db, ['annotations'], 'save the annotations', async (tx) => {
    for (const a of list) await tx.objectStore('annotations').put(a);
  });
}

/** Deletes these annotations (unknown ids are ignored), all or none. */
export async function deleteAnnotations(db: LucidDb, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await writeTx(db, ['annotations'], 'delete the annotations', async (tx) => {
    for (const id of ids) await tx.objectStore('annotations').delete(id);
  });
}

/** Every annotation on any instance of the series, oldest first. */
export async function annotationsForSeries(db: LucidDb, seriesInstanceUID: string): Promise<Annotation[]> {
  return byAge(await db.getAllFromIndex('annotations', 'bySeries', seriesInstanceUID));
}

/** Every annotation on any of these instances (any frame), oldest first. */
export async function annotationsForInstances(db: LucidDb, sopUIDs: string[]): Promise<Annotation[]> {
  const tx = db.transaction('annotations', 'readonly');
  const index = tx.store.index('bySop');
  const found = await Promise.all([...new Set(sopUIDs)].map((uid) => index.getAll(uid)));
  await tx.done;
  return byAge(found.flat());
}

function byAge(list: Annotation[]): Annotation[] {
  return list.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
