// The images store: DICOM file bytes kept once per SOP Instance UID, however many cases show them. Images are
// written only together with a case (cases.ts, importSet.ts) and deleted when the last case using them goes
// (cases.ts: dropUnused), so every stored image belongs to some case. UI thread.
import type { Case } from '../teaching/model';
import type { LucidDb, StoredImage, WriteTx } from './db';

export type { StoredImage } from './db';

/** The stored bytes of those instances that are present (absent UIDs are simply not in the map). */
export async function getImages(db: LucidDb, sopUIDs: string[]): Promise<Map<string, ArrayBuffer>> {
  const tx = db.transaction('images', 'readonly');
  const unique = [...new Set(sopUIDs)];
  const found = await Promise.all(unique.map((uid) => tx.store.get(uid)));
  await tx.done;
  const out = new Map<string, ArrayBuffer>();
  for (const image of found) if (image) out.set(image.sopInstanceUID, image.bytes);
  return out;
}

/** Which of these instances are not stored (in the order given, each once). */
export async function missingImages(db: LucidDb, sopUIDs: string[]): Promise<string[]> {
  const tx = db.transaction('images', 'readonly');
  const unique = [...new Set(sopUIDs)];
  const keys = await Promise.all(unique.map((uid) => tx.store.getKey(uid)));
  await tx.done;
  return unique.filter((_, i) => keys[i] === undefined);
}

/** True when every one of these instances is stored. */
export async function hasImages(db: LucidDb, sopUIDs: string[]): Promise<boolean> {
  return (await missingImages(db, sopUIDs)).length === 0;
}

/** SOP Instance UIDs of the stored instances of one series (by the bySeries index; no bytes are read). */
export async function imagesOfSeries(db: LucidDb, seriesInstanceUID: string): Promise<string[]> {
  return db.getAllKeysFromIndex('images', 'bySeries', seriesInstanceUID);
}

/** In `tx`: adds the images not stored yet; a stored one is never rewritten (the bytes of one UID are one file). */
export async function addImagesOnce(tx: WriteTx, images: Iterable<StoredImage>): Promise<void> {
  const store = tx.objectStore('images');
  const unique = [...new Map([...images].map((image) => [image.sopInstanceUID, image])).values()];
  // All requests issued at once: IndexedDB runs them in order, without a round trip per image (500-image series).
  // Async callbacks: a request that throws as it is made (DataCloneError, a quota error) becomes a rejection inside
  // Promise.all, so the requests made before it, which fail when the transaction aborts, are never left unhandled.
  const stored = await Promise.all(unique.map(async (image) => store.getKey(image.sopInstanceUID)));
  await Promise.all(unique.filter((_, i) => stored[i] === undefined).map(async (image) => store.add(image)));
}

/**
 * Images for saveCase/importSet from files keyed by SOP Instance UID (a packet's dicom/ entries): study and series
 * UIDs come from the cases' series; files no case lists are left out. Bytes are copied into a buffer of their own
 * (an unzipped entry is often a view into a larger one, which must not be stored whole).
 */
export function toStoredImages(cases: Case[], files: ReadonlyMap<string, Uint8Array>): StoredImage[] {
  const out = new Map<string, StoredImage>();
  for (const s of cases.flatMap((c) => c.series)) {
    for (const sop of s.sopInstanceUIDs) {
      const file = files.get(sop);
      if (!file || out.has(sop)) continue;
      const bytes = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
      out.set(sop, { sopInstanceUID: sop, studyInstanceUID: s.studyInstanceUID, seriesInstanceUID: s.seriesInstanceUID, bytes });
    }
  }
  return [...out.values()];
}
