// How much each store holds, for the storage panel and the storage benchmark: records and bytes per store.
// Binary data (image files, output values) counts its byteLength; everything else the length of its JSON
// (characters, close to bytes for the ASCII records we keep). UI thread; walks each store with a cursor.
import type { LucidDb, StoreName } from './db';
import { STORE_NAMES } from './db';

export interface StoreStats { records: number; bytes: number }
export interface StorageStats { stores: Record<StoreName, StoreStats>; totalBytes: number }

/** Size of one record: byteLength of its binary parts plus the JSON length of the rest. */
export function recordBytes(value: unknown): number {
  let binary = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
      binary += v.byteLength;
      return null;
    }
    return v;
  });
  return binary + (json?.length ?? 0);
}

export async function storageStats(db: LucidDb): Promise<StorageStats> {
  const stores = {} as Record<StoreName, StoreStats>;
  let totalBytes = 0;
  for (const name of STORE_NAMES) {
    const stats: StoreStats = { records: 0, bytes: 0 };
    // One record at a time: the images store may be far larger than the memory we want to hold at once.
    for (let cursor = await db.transaction(name).store.openCursor(); cursor; cursor = await cursor.continue()) {
      stats.records += 1;
      stats.bytes += recordBytes(cursor.value);
    }
    stores[name] = stats;
    totalBytes += stats.bytes;
  }
  return { stores, totalBytes };
}
