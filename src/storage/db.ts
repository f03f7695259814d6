// The IndexedDB database: typed schema (idb's DBSchema), version, opening. UI thread; only storage/ imports idb.
// History (steps in migrations.ts): v1 sets, cases (bySet), images {sopInstanceUID, bytes}, annotations (bySop),
// settings. v2 images gain study/series UIDs (backfilled from the cases' series) and a bySeries index, annotations
// a bySeries index, and the outputs store keeps model outputs (Case.attachments[].dataKey). v3 adds attempts
// (byLearner, byCase) and learners for practice.
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Annotation, Case, TeachingSet } from '../teaching/model';
import type { Attempt } from '../teaching/practiceModel';
import type { Learner } from '../teaching/progressFile';
import { StorageUnavailableError, toErrorInfo } from '../shared/errors';
import { DB_VERSION, runMigrations } from './migrations';

export { DB_VERSION } from './migrations';

/** One DICOM instance's file bytes, stored once per SOP Instance UID however many cases use it. */
export interface StoredImage {
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  /** The Part 10 file as loaded (ArrayBuffer, not Blob: it structured-clones everywhere, Node tests included). */
  bytes: ArrayBuffer;
}

/** Values of one model output frame, row-major, `rows × columns` (modality units or anomaly scores). */
export interface StoredOutput {
  /** ModelAttachment.dataKey. */
  key: string;
  values: Float32Array;
  rows: number;
  columns: number;
}

/** One user preference; `value` is any structured-cloneable value, narrowed by whoever reads it. */
export interface SettingRecord {
  key: string;
  value: unknown;
}

export interface LucidSchema extends DBSchema {
  sets: { key: string; value: TeachingSet };
  cases: { key: string; value: Case; indexes: { bySet: string } };
  images: { key: string; value: StoredImage; indexes: { bySeries: string } };
  annotations: { key: string; value: Annotation; indexes: { bySop: string; bySeries: string } };
  outputs: { key: string; value: StoredOutput };
  settings: { key: string; value: SettingRecord };
  attempts: { key: string; value: Attempt; indexes: { byLearner: string; byCase: string } };
  learners: { key: string; value: Learner };
}

export type LucidDb = IDBPDatabase<LucidSchema>;
export type StoreName = StoreNames<LucidSchema>;
/** A read-write transaction over some stores (the scope is checked by IndexedDB at run time, not by the type). */
export type WriteTx = IDBPTransaction<LucidSchema, StoreName[], 'readwrite'>;

export const STORE_NAMES: readonly StoreName[] = ['sets', 'cases', 'images', 'annotations', 'outputs', 'settings', 'attempts', 'learners'];

/**
 * Opens (creating or migrating step by step) the database `name` at DB_VERSION. `factory` defaults to the page's
 * indexedDB; tests pass a fresh fake-indexeddb IDBFactory. When another tab opens a newer version this connection
 * closes itself so that upgrade is not blocked; this page's next write then fails and asks for a reload.
 */
export async function openLucidDb(name = 'lucid', factory: IDBFactory | undefined = globalThis.indexedDB): Promise<LucidDb> {
  if (!factory) throw new StorageUnavailableError('This browser offers no IndexedDB, so Lucid cannot keep teaching sets here.');
  let request: IDBOpenDBRequest;
  try {
    request = factory.open(name, DB_VERSION);
  } catch (err) {
    throw new StorageUnavailableError(`The browser refused to open Lucid's database (${toErrorInfo(err).message}).`, err);
  }
  let migrationError: unknown = null;
  request.addEventListener('upgradeneeded', (event) => {
    const tx = request.transaction;
    if (!tx) return;
    const db = wrap(request.result) as IDBPDatabase<unknown>;
    const wrappedTx = wrap(tx) as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
    wrappedTx.done.catch(() => { /* a failed upgrade is reported by the open request below */ });
    runMigrations(db, wrappedTx, event.oldVersion).catch((err: unknown) => {
      // A failed step must not leave a half-migrated database: aborting the upgrade keeps the old version.
      migrationError = err;
      try { tx.abort(); } catch { /* already finished */ }
    });
  });
  try {
    const db = (await wrap(request)) as LucidDb;
    db.addEventListener('versionchange', () => db.close());
    return db;
  } catch (err) {
    const cause = migrationError ?? err;
    const { name: errName, message } = toErrorInfo(cause);
    if (errName === 'VersionError') {
      throw new StorageUnavailableError('This database was written by a newer version of Lucid: reload the page to get it.', cause);
    }
    throw new StorageUnavailableError(`Lucid's database could not be opened or upgraded (${errName}: ${message}); it was left as it was.`, cause);
  }
}
