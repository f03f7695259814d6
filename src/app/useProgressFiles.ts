// Progress as files: the learner exports theirs (and imports it on another device: attempts merged, never
// overwritten), and an educator opens several learners' files into a group table — read in memory, not stored, no
// server. UI thread; the file format and its validation are src/teaching/progressFile.ts.
import { useCallback, useState } from 'react';
import { readProgress, writeProgress, type Learner, type ProgressFile } from '../teaching/progressFile';
import type { Attempt } from '../teaching/practiceModel';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { LucidDb } from '../storage/db';
import { getLearner, importProgress, putLearner } from '../storage/attempts';
import { downloadBytes } from './download';

async function learnerOf(db: LucidDb, id: string): Promise<Learner> {
  const stored = await getLearner(db, id);
  if (stored) return stored;
  const learner = { id, name: 'Me', createdAt: Date.now() };
  await putLearner(db, learner);
  return learner;
}

export function useProgressFiles({ db, learnerId, attempts, onImported }: { db: () => Promise<LucidDb>; learnerId: string; attempts: Attempt[]; onImported: () => void }) {
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [group, setGroup] = useState<ProgressFile[]>([]);

  const exportMine = useCallback(async () => {
    try {
      const learner = await learnerOf(await db(), learnerId);
      const name = learner.name.replace(/[^\p{L}\p{N}]+/gu, '-') || 'learner';
      downloadBytes(writeProgress(learner, attempts), `lucid-progress-${name}.json.gz`, 'application/gzip');
      setError(null);
    } catch (e) { setError(toErrorInfo(e)); }
  }, [db, learnerId, attempts]);

  const importMine = useCallback(async (file: File) => {
    try {
      const result = await importProgress(await db(), readProgress(new Uint8Array(await file.arrayBuffer())));
      setStatus(`Imported ${result.added} answer${result.added === 1 ? '' : 's'} (${result.alreadyStored} already here).`);
      setError(null);
      onImported();
    } catch (e) { setError(toErrorInfo(e)); }
  }, [db, onImported]);

  /** An educator's view of several learners' files, validated, kept in memory only. */
  const openGroup = useCallback(async (files: File[]) => {
    try {
      const read = await Promise.all(files.map(async (f) => readProgress(new Uint8Array(await f.arrayBuffer()))));
      setGroup(read);
      setError(null);
    } catch (e) { setError(toErrorInfo(e)); }
  }, []);

  return { error, status, group, exportMine, importMine, openGroup };
}
