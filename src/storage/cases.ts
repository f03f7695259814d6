// The cases store: one record per case, indexed bySet. A case is saved with its new images, its model outputs and
// (when its place changed) its set in ONE transaction, so a failure leaves the previous version whole; deleting a
// case also deletes the images and outputs no other case uses. UI thread; records are src/teaching/model shapes.
import { instancesOfCase, type Case, type TeachingSet } from '../teaching/model';
import type { LucidDb, StoredImage, StoredOutput, WriteTx } from './db';
import { addImagesOnce } from './images';
import { writeTx } from './writeTx';

export async function getCase(db: LucidDb, caseId: string): Promise<Case | undefined> {
  return db.get('cases', caseId);
}

/** The cases of a set in the set's order; cases the set does not list (should not happen) follow, oldest first. */
export async function casesOfSet(db: LucidDb, setId: string): Promise<Case[]> {
  const tx = db.transaction(['sets', 'cases'], 'readonly');
  const [set, cases] = await Promise.all([tx.objectStore('sets').get(setId), tx.objectStore('cases').index('bySet').getAll(setId)]);
  await tx.done;
  const rank = new Map((set?.caseIds ?? []).map((id, i) => [id, i]));
  const order = (c: Case) => rank.get(c.id) ?? Number.MAX_SAFE_INTEGER;
  return cases.sort((a, b) => order(a) - order(b) || a.createdAt - b.createdAt);
}

/**
 * Stores `c` with, in the same transaction: those of `images` it uses that are not stored yet, the `outputs` its
 * attachments name (anything it does not use is ignored: everything stored belongs to a case), and `set` when
 * given (it must be c's set and list c). Images and outputs only the previous version used are deleted; a case
 * moved to another set leaves the old set's list. Rejects with StorageQuotaError or StorageWriteError.
 */
export async function saveCase(db: LucidDb, c: Case, images: StoredImage[], set?: TeachingSet, outputs: StoredOutput[] = []): Promise<void> {
  if (set && (set.id !== c.setId || !set.caseIds.includes(c.id))) {
    throw new Error(`saveCase: set ${set.id} is not the set of case ${c.id} or does not list it`);
  }
  const used = new Set(instancesOfCase(c));
  const keys = new Set(c.attachments.map((a) => a.dataKey));
  await writeTx(db, ['cases', 'images', 'sets', 'outputs'], `save the case "${c.title}"`, async (tx) => {
    const before = await tx.objectStore('cases').get(c.id);
    await addImagesOnce(tx, images.filter((image) => used.has(image.sopInstanceUID)));
    for (const output of outputs) if (keys.has(output.key)) await tx.objectStore('outputs').put(output);
    await tx.objectStore('cases').put(c);
    if (set) await tx.objectStore('sets').put(set);
    if (!before) return;
    if (before.setId !== c.setId) await unlistCase(tx, before.setId, c.id);
    await dropUnused(tx, [before]);
  });
}

/** Deletes the case, drops it from its set's caseIds and deletes images and outputs only it used (absent: no-op). */
export async function deleteCase(db: LucidDb, caseId: string): Promise<void> {
  await writeTx(db, ['cases', 'images', 'sets', 'outputs'], 'delete the case', async (tx) => {
    const c = await tx.objectStore('cases').get(caseId);
    if (!c) return;
    await unlistCase(tx, c.setId, c.id);
    await removeCases(tx, [c]);
  });
}

/** In `tx`: deletes these cases, then the images and outputs they used that no remaining case uses. */
export async function removeCases(tx: WriteTx, cases: Case[]): Promise<void> {
  const store = tx.objectStore('cases');
  for (const c of cases) await store.delete(c.id);
  await dropUnused(tx, cases);
}

/**
 * In `tx`: deletes the images and outputs `formerly` used that no case in the store (as `tx` now sees it) uses.
 * Cases are small records: reading them all is cheaper and safer than keeping reference counts consistent
 * (duplicated cases share their images and their attachments' outputs).
 */
export async function dropUnused(tx: WriteTx, formerly: Case[]): Promise<void> {
  const sops = new Set(formerly.flatMap(instancesOfCase));
  const keys = new Set(formerly.flatMap((c) => c.attachments.map((a) => a.dataKey)));
  if (sops.size === 0 && keys.size === 0) return;
  for (const c of await tx.objectStore('cases').getAll()) {
    for (const uid of instancesOfCase(c)) sops.delete(uid);
    for (const a of c.attachments) keys.delete(a.dataKey);
  }
  for (const uid of sops) await tx.objectStore('images').delete(uid);
  for (const key of keys) await tx.objectStore('outputs').delete(key);
}

/** In `tx`: the set stops listing the case (its updatedAt is left alone: the set's own fields did not change). */
async function unlistCase(tx: WriteTx, setId: string, caseId: string): Promise<void> {
  const set = await tx.objectStore('sets').get(setId);
  if (set?.caseIds.includes(caseId)) await tx.objectStore('sets').put({ ...set, caseIds: set.caseIds.filter((id) => id !== caseId) });
}
