// The sets store: teaching sets, their cases listed in teaching order (TeachingSet.caseIds). Deleting a set deletes
// its cases and the images and outputs no other case uses, in one transaction. UI thread.
import type { TeachingSet } from '../teaching/model';
import type { LucidDb } from './db';
import { removeCases } from './cases';
import { writeTx } from './writeTx';

/** Stores the set record alone (title, vocabulary, order of caseIds); its cases are saved with saveCase. */
export async function saveSet(db: LucidDb, set: TeachingSet): Promise<void> {
  await writeTx(db, ['sets'], `save the set "${set.title}"`, async (tx) => {
    await tx.objectStore('sets').put(set);
  });
}

export async function getSet(db: LucidDb, setId: string): Promise<TeachingSet | undefined> {
  return db.get('sets', setId);
}

/** Every set, most recently changed first (updatedAt, then createdAt, both descending). */
export async function listSets(db: LucidDb): Promise<TeachingSet[]> {
  const sets = await db.getAll('sets');
  return sets.sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
}

/** Deletes the set, its cases (listed or not) and whatever images and outputs only they used. Absent: no-op. */
export async function deleteSet(db: LucidDb, setId: string): Promise<void> {
  await writeTx(db, ['sets', 'cases', 'images', 'outputs'], 'delete the set', async (tx) => {
    const cases = await tx.objectStore('cases').index('bySet').getAll(setId);
    await tx.objectStore('sets').delete(setId);
    await removeCases(tx, cases);
  });
}
