// The settings store: user preferences by key (structured-cloneable values). Readers narrow the unknown value
// themselves, since a stored value may predate the code reading it. UI thread.
import type { LucidDb } from './db';
import { writeTx } from './writeTx';

export async function getSetting(db: LucidDb, key: string): Promise<unknown> {
  return (await db.get('settings', key))?.value;
}

export async function putSetting(db: LucidDb, key: string, value: unknown): Promise<void> {
  await writeTx(db, ['settings'], `save the setting "${key}"`, async (tx) => {
    await tx.objectStore('settings').put({ key, value });
  });
}

export async function deleteSetting(db: LucidDb, key: string): Promise<void> {
  await writeTx(db, ['settings'], `delete the setting "${key}"`, async (tx) => {
    await tx.objectStore('settings').delete(key);
  });
}
