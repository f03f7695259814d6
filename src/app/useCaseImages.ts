// Bridges open studies and stored cases by SOP Instance UID: the bytes of loaded instances for saving into a case
// (kept once in storage), and stored instances opened into the viewer when a case needs them. UI thread.
import { useCallback } from 'react';
import type { LucidDb, StoredImage } from '../storage/db';
import { getImages } from '../storage/images';
import type { PickedFile } from '../sources/localFiles';
import type { InstanceHeader } from '../shared/types';

interface Deps {
  db: () => Promise<LucidDb>;
  instanceOfSop: (sop: string) => string | undefined;
  header: (id: string) => InstanceHeader | undefined;
  file: (id: string) => Blob | undefined;
  load: (files: PickedFile[]) => Promise<unknown>;
}

export function useCaseImages({ db, instanceOfSop, header, file, load }: Deps) {
  /** Stored form of loaded instances; an instance that is not loaded (or lost its file) is skipped. */
  const imagesOf = useCallback(async (sops: string[]): Promise<StoredImage[]> => {
    const out: StoredImage[] = [];
    for (const sop of sops) {
      const id = instanceOfSop(sop);
      const h = id ? header(id) : undefined;
      const f = id ? file(id) : undefined;
      if (!h || !f) continue;
      out.push({ sopInstanceUID: sop, studyInstanceUID: h.studyInstanceUID, seriesInstanceUID: h.seriesInstanceUID, bytes: await f.arrayBuffer() });
    }
    return out;
  }, [instanceOfSop, header, file]);

  /** Opens, from storage, those of `sops` that are not loaded yet; resolves when they are (or are known bad). */
  const ensureLoaded = useCallback(async (sops: string[]): Promise<void> => {
    const missing = [...new Set(sops)].filter((s) => !instanceOfSop(s));
    if (missing.length === 0) return;
    const stored = await getImages(await db(), missing);
    const files: PickedFile[] = [...stored].map(([sop, bytes]) => ({ file: new File([bytes], `${sop}.dcm`), path: `stored/${sop}.dcm` }));
    await load(files);
  }, [db, instanceOfSop, load]);

  return { imagesOf, ensureLoaded };
}
