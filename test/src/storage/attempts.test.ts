// The attempts and learners stores: attempts by learner and by case (oldest first), deleting a learner's attempts,
// and importing a progress file in one transaction: idempotent, never overwriting, all or nothing.
import { describe, expect, it } from 'vitest';
import {
  attemptsAtCase, attemptsOf, deleteAttemptsOf, deleteLearner, getLearner, importProgress, listLearners, putAttempt, putLearner,
} from '../../../src/storage/attempts';
import { readProgress, writeProgress, type ProgressFile } from '../../../src/teaching/progressFile';
import { T0, attempt, learner } from '../../fixtures/attempts';
import { freshDb } from './records';

const a1 = attempt({ id: 'a1', caseId: 'c1', at: T0 + 2000 });
const a2 = attempt({ id: 'a2', caseId: 'c2', at: T0 + 1000, hits: 0, misses: 1 });
const a3 = attempt({ id: 'a3', caseId: 'c1', at: T0 + 1000 });
const b1 = attempt({ id: 'b1', caseId: 'c1', learnerId: 'L2', at: T0 });

const fileOf = (l = learner(), list = [a1, a2, a3]): ProgressFile => ({ format: 'lucid-progress', schemaVersion: 1, exportedAt: T0, learner: l, attempts: list });

describe('attempts', () => {
  it('are stored, survive a reload, and come back per learner and per case, oldest first (ties by id)', async () => {
    const { db: first, reopen } = await freshDb();
    for (const a of [a1, a2, a3, b1]) await putAttempt(first, a);
    const db = await reopen();
    expect(await attemptsOf(db, 'L1')).toEqual([a2, a3, a1]);
    expect(await attemptsOf(db, 'L2')).toEqual([b1]);
    expect(await attemptsOf(db, 'nobody')).toEqual([]);
    expect(await attemptsAtCase(db, 'c1')).toEqual([b1, a3, a1]);
  });

  it("deleteAttemptsOf deletes one learner's attempts and says how many", async () => {
    const { db } = await freshDb();
    for (const a of [a1, a2, b1]) await putAttempt(db, a);
    await putLearner(db, learner());
    expect(await deleteAttemptsOf(db, 'L1')).toBe(2);
    expect(await attemptsOf(db, 'L1')).toEqual([]);
    expect(await attemptsOf(db, 'L2')).toEqual([b1]);
    expect(await getLearner(db, 'L1')).toEqual(learner()); // the learner stays
    expect(await deleteAttemptsOf(db, 'L1')).toBe(0);
  });
});

describe('learners', () => {
  it('put, get, list (oldest first), delete with their attempts', async () => {
    const { db } = await freshDb();
    const bob = { ...learner('L2', 'Bob'), createdAt: T0 - 5 };
    await putLearner(db, learner());
    await putLearner(db, bob);
    await putAttempt(db, a1);
    await putAttempt(db, b1);
    expect(await listLearners(db)).toEqual([learner(), bob]);
    await deleteLearner(db, 'L1');
    expect(await listLearners(db)).toEqual([bob]);
    expect(await attemptsOf(db, 'L1')).toEqual([]);
    expect(await attemptsOf(db, 'L2')).toEqual([b1]);
  });
});

describe('importProgress', () => {
  it('stores the learner and attempts; importing the same file again adds nothing', async () => {
    const { db } = await freshDb();
    expect(await importProgress(db, fileOf())).toEqual({ learner: learner(), added: 3, alreadyStored: 0 });
    expect(await importProgress(db, fileOf())).toEqual({ learner: learner(), added: 0, alreadyStored: 3 });
    expect(await attemptsOf(db, 'L1')).toEqual([a2, a3, a1]);
    expect(await listLearners(db)).toEqual([learner()]);
  });

  it('keeps the name a learner has on this device and never overwrites a stored attempt', async () => {
    const { db } = await freshDb();
    await putLearner(db, learner('L1', 'Ada L.'));
    await putAttempt(db, a1);
    const changed = { ...a1, submittedAt: 1 };
    expect(await importProgress(db, fileOf(learner(), [changed, a2]))).toMatchObject({ learner: { name: 'Ada L.' }, added: 1, alreadyStored: 1 });
    expect(await attemptsOf(db, 'L1')).toEqual([a2, a1]);
  });

  it("is all or nothing: an attempt id another learner already has refuses the whole file", async () => {
    const { db } = await freshDb();
    await putAttempt(db, b1);
    const clash = { ...b1, learnerId: 'L1' };
    await expect(importProgress(db, fileOf(learner(), [a1, a2, clash]))).rejects.toMatchObject({ name: 'StorageWriteError', message: /another learner/ });
    expect(await attemptsOf(db, 'L1')).toEqual([]);
    expect(await listLearners(db)).toEqual([]);
    expect(await attemptsOf(db, 'L2')).toEqual([b1]);
  });

  it('export from one device, import on another: the same records', async () => {
    const { db: here } = await freshDb('here');
    await putLearner(here, learner());
    for (const a of [a1, a2, a3]) await putAttempt(here, a);
    const bytes = writeProgress((await getLearner(here, 'L1'))!, await attemptsOf(here, 'L1'));
    const { db: there } = await freshDb('there');
    await importProgress(there, readProgress(bytes));
    expect(await attemptsOf(there, 'L1')).toEqual(await attemptsOf(here, 'L1'));
    expect(await getLearner(there, 'L1')).toEqual(learner());
  });
});
