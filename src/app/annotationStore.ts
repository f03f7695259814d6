// Where useAnnotations loads and saves a series' annotations: a small interface (tests and other views pass their
// own) and its IndexedDB implementation over src/storage. UI thread. Errors are storage's named errors
// (StorageQuotaError, StorageWriteError, StorageUnavailableError); callers show them and keep what is in memory.
import type { Annotation } from '../teaching/model';
import { openLucidDb, type LucidDb } from '../storage/db';
import { annotationsForSeries, deleteAnnotations, putAnnotations } from '../storage/annotations';

export interface AnnotationStore {
  load(seriesInstanceUID: string): Promise<Annotation[]>;
  put(list: Annotation[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
}

/** The store over a database connection getter (App's shared one, opened on first use). */
export function annotationStoreOf(db: () => Promise<LucidDb>): AnnotationStore {
  return {
    load: async (uid) => annotationsForSeries(await db(), uid),
    put: async (list) => putAnnotations(await db(), list),
    remove: async (ids) => deleteAnnotations(await db(), ids),
  };
}

let connection: Promise<LucidDb> | undefined;
/** A page-wide connection of its own, for views that are not given one; a failed open is retried on next use. */
export const lucidAnnotationStore: AnnotationStore = annotationStoreOf(() => (connection ??= openLucidDb().catch((e: unknown) => {
  connection = undefined;
  throw e;
})));
