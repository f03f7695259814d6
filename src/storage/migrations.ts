// Schema migrations: an ordered list of steps, each taking the database from version − 1 to its version inside
// the versionchange transaction, so any older database is walked up one step at a time. Steps only await requests
// of that transaction (anything else would let it commit half-way). Each step describes the shape it found: never
// import today's record types here, the stored data is older than they are.
import type { IDBPDatabase, IDBPTransaction } from 'idb';

type UpgradeDb = IDBPDatabase<unknown>;
type UpgradeTx = IDBPTransaction<unknown, string[], 'versionchange'>;

export interface Migration {
  /** The version this step produces. */
  version: number;
  /** What the step adds, and why. */
  summary: string;
  upgrade: (db: UpgradeDb, tx: UpgradeTx) => Promise<void> | void;
}

/** v1 stored an image as {sopInstanceUID, bytes}; v2 adds the study and series UIDs. */
interface ImageV1 { sopInstanceUID: string; bytes: ArrayBuffer }
/** The part of a v1 case the v2 backfill reads (SeriesRef was the same in v1). */
interface CaseV1 { series: { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUIDs: string[] }[] }

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: 'First layout: sets, cases (bySet), images by SOP Instance UID, annotations (bySop), settings.',
    upgrade(db) {
      db.createObjectStore('sets', { keyPath: 'id' });
      db.createObjectStore('cases', { keyPath: 'id' }).createIndex('bySet', 'setId');
      db.createObjectStore('images', { keyPath: 'sopInstanceUID' });
      db.createObjectStore('annotations', { keyPath: 'id' }).createIndex('bySop', 'image.sopInstanceUID');
      db.createObjectStore('settings', { keyPath: 'key' });
    },
  },
  {
    version: 2,
    summary:
      'Model outputs attached to cases need their Float32 values stored (outputs store); the viewer loads a whole ' +
      "series' annotations at once (bySeries index); images carry their study and series UIDs, indexed bySeries, so a " +
      "series' stored instances are found without its cases (backfilled from the cases' series lists).",
    async upgrade(db, tx) {
      db.createObjectStore('outputs', { keyPath: 'key' });
      tx.objectStore('annotations').createIndex('bySeries', 'image.seriesInstanceUID');
      const owner = new Map<string, { studyInstanceUID: string; seriesInstanceUID: string }>();
      for (const c of (await tx.objectStore('cases').getAll()) as CaseV1[]) {
        for (const s of c.series) {
          for (const sop of s.sopInstanceUIDs) owner.set(sop, { studyInstanceUID: s.studyInstanceUID, seriesInstanceUID: s.seriesInstanceUID });
        }
      }
      let cursor = await tx.objectStore('images').openCursor();
      while (cursor) {
        const old = cursor.value as ImageV1;
        // v1 deleted an image with its last case, so every image has an owner; an orphan keeps empty UIDs rather
        // than being dropped (its bytes still hold them, and deleting user data in a migration is never right).
        const uids = owner.get(old.sopInstanceUID) ?? { studyInstanceUID: '', seriesInstanceUID: '' };
        await cursor.update({ sopInstanceUID: old.sopInstanceUID, ...uids, bytes: old.bytes });
        cursor = await cursor.continue();
      }
      tx.objectStore('images').createIndex('bySeries', 'seriesInstanceUID');
    },
  },
  {
    version: 3,
    summary:
      "Practice: every answered case is kept (attempts store, byLearner and byCase indexes) for the learner's profile " +
      'and the scheduler, and the trainees on this device (learners store). New stores only: nothing older is touched.',
    upgrade(db) {
      const attempts = db.createObjectStore('attempts', { keyPath: 'id' });
      attempts.createIndex('byLearner', 'learnerId');
      attempts.createIndex('byCase', 'caseId');
      db.createObjectStore('learners', { keyPath: 'id' });
    },
  },
];

/** The version this code writes: the last step's. */
export const DB_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Runs every step above `oldVersion`, in order. Rejects (and the caller aborts the upgrade) if any step fails. */
export async function runMigrations(db: UpgradeDb, tx: UpgradeTx, oldVersion: number): Promise<void> {
  for (const step of MIGRATIONS) {
    if (step.version > oldVersion) await step.upgrade(db, tx);
  }
}
