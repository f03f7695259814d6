// The attempts store (every answered case, byLearner and byCase) and the small learners store next to it: a learner
// and their attempts are read, deleted and imported together, so both live in this one module. A progress import
// is one transaction (all or nothing). Records are src/teaching shapes, checked by readProgress before they come here.
import type { Attempt } from '../teaching/practiceModel';
import type { Learner, ProgressFile } from '../teaching/progressFile';
import type { LucidDb } from './db';
import { writeTx } from './writeTx';

export async function putAttempt(db: LucidDb, attempt: Attempt): Promise<void> {
  await writeTx(db, ['attempts'], 'save your answer to your profile', async (tx) => {
    await tx.objectStore('attempts').put(attempt);
  });
}

/** Oldest first: by submittedAt, then id (so equal times still give one order). */
function chronological(a: Attempt, b: Attempt): number {
  return a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Every attempt of a learner, oldest first. */
export async function attemptsOf(db: LucidDb, learnerId: string): Promise<Attempt[]> {
  return (await db.getAllFromIndex('attempts', 'byLearner', learnerId)).sort(chronological);
}

/** Every attempt at one case, by any learner on this device, oldest first. */
export async function attemptsAtCase(db: LucidDb, caseId: string): Promise<Attempt[]> {
  return (await db.getAllFromIndex('attempts', 'byCase', caseId)).sort(chronological);
}

/** Deletes a learner's attempts (the learner record stays); resolves to how many were deleted. */
export async function deleteAttemptsOf(db: LucidDb, learnerId: string): Promise<number> {
  return writeTx(db, ['attempts'], "delete the learner's attempts", async (tx) => {
    const ids = await tx.objectStore('attempts').index('byLearner').getAllKeys(learnerId);
    for (const id of ids) await tx.objectStore('attempts').delete(id);
    return ids.length;
  });
}

export async function putLearner(db: LucidDb, learner: Learner): Promise<void> {
  await writeTx(db, ['learners'], `save the learner "${learner.name}"`, async (tx) => {
    await tx.objectStore('learners').put(learner);
  });
}

export async function getLearner(db: LucidDb, id: string): Promise<Learner | undefined> {
  return db.get('learners', id);
}

/** Every learner on this device, oldest first. */
export async function listLearners(db: LucidDb): Promise<Learner[]> {
  return (await db.getAll('learners')).sort((a, b) => a.createdAt - b.createdAt);
}

/** Deletes a learner and all their attempts in one transaction. */
export async function deleteLearner(db: LucidDb, id: string): Promise<void> {
  await writeTx(db, ['attempts', 'learners'], 'delete the learner', async (tx) => {
    for (const key of await tx.objectStore('attempts').index('byLearner').getAllKeys(id)) await tx.objectStore('attempts').delete(key);
    await tx.objectStore('learners').delete(id);
  });
}

export interface ProgressImport {
  /** The learner as stored after the import (an existing learner keeps the name given on this device). */
  learner: Learner;
  added: number;
  /** Attempts whose id was already stored (importing the same file twice adds nothing). */
  alreadyStored: number;
}

/**
 * Stores a progress file read by readProgress, in ONE transaction: the learner if new, and each attempt not stored
 * yet. Stored attempts are never overwritten (an attempt is final once submitted; an id that another learner's
 * attempt already has is refused, and then nothing is imported). Rejects with StorageQuotaError or StorageWriteError.
 */
export async function importProgress(db: LucidDb, file: ProgressFile): Promise<ProgressImport> {
  return writeTx(db, ['attempts', 'learners'], `import the progress of "${file.learner.name}"`, async (tx) => {
    const learners = tx.objectStore('learners');
    const attempts = tx.objectStore('attempts');
    let learner = await learners.get(file.learner.id);
    if (!learner) {
      learner = file.learner;
      await learners.put(learner);
    }
    let added = 0;
    let alreadyStored = 0;
    for (const a of file.attempts) {
      const before = await attempts.get(a.id);
      if (!before) {
        await attempts.put(a);
        added += 1;
      } else if (before.learnerId === a.learnerId) {
        alreadyStored += 1;
      } else {
        throw new Error(`attempt ${a.id} is already stored for another learner`);
      }
    }
    return { learner, added, alreadyStored };
  });
}
