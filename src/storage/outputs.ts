// The outputs store: Float32 values of model outputs attached to cases (ModelAttachment.dataKey), written with
// their case (saveCase, importSet) and deleted with the last case that names them. Reads here. UI thread.
import type { LucidDb, StoredOutput } from './db';

export type { StoredOutput } from './db';

export async function getOutput(db: LucidDb, key: string): Promise<StoredOutput | undefined> {
  return db.get('outputs', key);
}

/** The stored outputs among these keys (absent keys are not in the map). */
export async function getOutputs(db: LucidDb, keys: string[]): Promise<Map<string, StoredOutput>> {
  const tx = db.transaction('outputs', 'readonly');
  const found = await Promise.all([...new Set(keys)].map((key) => tx.store.get(key)));
  await tx.done;
  return new Map(found.filter((o) => o !== undefined).map((o) => [o.key, o]));
}
