// The per-set de-identification secret (PS3.15 engine, src/dicom/deidentify/pseudonyms.ts), kept in the settings
// store so a set exported twice gets the same UIDs and date offset. Never exported. Worker or UI thread.
import { newDeidSecret, secretFromHex, secretToHex } from '../dicom/deidentify/pseudonyms';
import type { LucidDb } from './db';
import { getSetting, putSetting } from './settings';

/** The secret for `scope` ('set:<id>', or 'review' for exports from the viewer), made and stored on first use. */
export async function deidSecret(db: LucidDb, scope: string): Promise<Uint8Array> {
  const key = `deid-secret:${scope}`;
  const stored = await getSetting(db, key);
  if (typeof stored === 'string') return secretFromHex(stored);
  const secret = newDeidSecret();
  await putSetting(db, key, secretToHex(secret));
  return secret;
}
