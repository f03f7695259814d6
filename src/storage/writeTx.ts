// Every write goes through writeTx: one read-write transaction over all the stores it touches, committed only when
// the whole body succeeded, aborted (so IndexedDB rolls every put back) otherwise. Failures come out as
// StorageQuotaError (quota used up, wherever the browser reported it) or StorageWriteError with the cause.
import { StorageError, StorageQuotaError, StorageWriteError, toErrorInfo } from '../shared/errors';
import type { LucidDb, StoreName, WriteTx } from './db';

/** Names browsers give a full quota: the standard one and Firefox's legacy one. */
const QUOTA_ERROR_NAMES = ['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED'];

export function isQuotaError(err: unknown): boolean {
  return err instanceof Object && 'name' in err && QUOTA_ERROR_NAMES.includes(String(err.name));
}

/**
 * Maps any failure of a write to our named errors. The quota may surface as the request's error, as the
 * transaction's abort error (Chromium reports it at commit) or as the rejection of `tx.done`: all are checked.
 */
export function toStorageError(what: string, ...errors: unknown[]): StorageError {
  if (errors.some(isQuotaError)) return new StorageQuotaError();
  const first = errors.find((e) => e !== null && e !== undefined);
  if (first instanceof StorageError) return first;
  const { name, message } = toErrorInfo(first);
  const hint = name === 'InvalidStateError' ? ' The database was closed (another tab may have upgraded it): reload the page.' : '';
  return new StorageWriteError(`Could not ${what} (${name}: ${message}). Nothing was changed.${hint}`, first);
}

/**
 * Runs `body` in one read-write transaction over `stores` and resolves once it is committed. `body` must only
 * await requests of `tx` (awaiting anything else lets IndexedDB commit early, and a later throw could no longer
 * be rolled back). If `body` throws or any request fails, the transaction is aborted and nothing it wrote stays.
 */
export async function writeTx<T>(db: LucidDb, stores: StoreName[], what: string, body: (tx: WriteTx) => Promise<T>): Promise<T> {
  let tx: WriteTx;
  try {
    tx = db.transaction(stores, 'readwrite');
  } catch (err) {
    throw toStorageError(what, err);
  }
  try {
    const result = await body(tx);
    await tx.done;
    return result;
  } catch (err) {
    try { tx.abort(); } catch { /* already aborted by IndexedDB, or finished */ }
    const ended = await tx.done.then(() => null, (e: unknown) => e);
    throw toStorageError(what, err, tx.error, ended);
  }
}
