// Writes an imported teaching set (packet import) in ONE transaction across every store: the set, its cases,
// their annotations, images (kept once: instances already stored are not rewritten) and model outputs. If anything
// fails, nothing is written. Checks here are about consistency of what is stored, not packet validation. UI thread.
import { instancesOfCase, type Annotation, type Case, type TeachingSet } from '../teaching/model';
import type { LucidDb, StoredImage, StoredOutput } from './db';
import { addImagesOnce } from './images';
import { dropUnused, removeCases } from './cases';
import { writeTx } from './writeTx';

export interface SetImport {
  set: TeachingSet;
  cases: Case[];
  annotations: Annotation[];
  images: StoredImage[];
  outputs: StoredOutput[];
}

/**
 * Stores the set and everything with it. A stored set with the same id is replaced, cases of it the import does not
 * contain included. Rejects before writing when the records disagree (a case of another set, a set listing a case
 * not given); aborts, writing nothing, when a case id is stored in another set or a case needs an image or output
 * that is neither given nor stored.
 */
export async function importSet(db: LucidDb, data: SetImport): Promise<void> {
  const { set, cases, annotations, images, outputs } = data;
  const ids = new Set(cases.map((c) => c.id));
  const stray = cases.find((c) => c.setId !== set.id);
  if (stray) throw new Error(`importSet: case ${stray.id} belongs to set ${stray.setId}, not ${set.id}`);
  const unlisted = set.caseIds.find((id) => !ids.has(id));
  if (unlisted !== undefined || ids.size !== set.caseIds.length) {
    throw new Error(`importSet: the set's caseIds and the cases given differ${unlisted ? ` (${unlisted} not given)` : ''}`);
  }
  const used = new Set(cases.flatMap(instancesOfCase));
  const keys = new Set(cases.flatMap((c) => c.attachments.map((a) => a.dataKey)));
  await writeTx(db, ['sets', 'cases', 'annotations', 'images', 'outputs'], `import the set "${set.title}"`, async (tx) => {
    const replaced = (await tx.objectStore('cases').index('bySet').getAll(set.id)).filter((c) => !ids.has(c.id));
    await removeCases(tx, replaced);
    await addImagesOnce(tx, images.filter((image) => used.has(image.sopInstanceUID)));
    for (const output of outputs) if (keys.has(output.key)) await tx.objectStore('outputs').put(output);
    const before = (await Promise.all(cases.map((c) => tx.objectStore('cases').get(c.id)))).filter((c) => c !== undefined);
    const taken = before.find((c) => c.setId !== set.id);
    if (taken) throw new Error(`importSet: case ${taken.id} is already stored in another set (${taken.setId})`);
    for (const c of cases) await tx.objectStore('cases').put(c);
    await tx.objectStore('sets').put(set);
    for (const a of annotations) await tx.objectStore('annotations').put(a);
    await dropUnused(tx, before);
    const imageStore = tx.objectStore('images');
    const outputStore = tx.objectStore('outputs');
    const absent = [
      ...(await Promise.all([...used].map(async (uid) => ((await imageStore.getKey(uid)) === undefined ? `image ${uid}` : null)))),
      ...(await Promise.all([...keys].map(async (key) => ((await outputStore.getKey(key)) === undefined ? `output ${key}` : null)))),
    ].filter((x) => x !== null);
    if (absent.length > 0) throw new Error(`importSet: ${absent.slice(0, 3).join(', ')} neither in the import nor stored`);
  });
}
