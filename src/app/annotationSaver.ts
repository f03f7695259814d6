// Writes annotation changes to an AnnotationStore one after another, in commit order, as the difference between two
// lists. A failed write is reported (by the error's name) and what it did not write is carried into the next one,
// so a later success catches up; the in-memory list is never touched. UI thread, no React.
import type { Annotation } from '../teaching/model';
import { diffAnnotations } from '../teaching/annotationActions';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { AnnotationStore } from './annotationStore';

export interface AnnotationSaver {
  /** Queues the writes that take storage from `before` to `after`; resolves when this write has been tried. */
  save(before: readonly Annotation[], after: readonly Annotation[]): Promise<void>;
}

/** `onResult(null)` after a write that succeeded, `onResult(error)` after one that failed. */
export function createAnnotationSaver(store: AnnotationStore, onResult: (error: ErrorInfo | null) => void): AnnotationSaver {
  let queue: Promise<void> = Promise.resolve();
  const pending = { put: new Map<string, Annotation>(), remove: new Set<string>() };
  return {
    save(before, after) {
      const diff = diffAnnotations(before, after);
      for (const a of diff.put) { pending.put.set(a.id, a); pending.remove.delete(a.id); }
      for (const id of diff.remove) { pending.put.delete(id); pending.remove.add(id); }
      queue = queue.then(async () => {
        const put = [...pending.put.values()], remove = [...pending.remove];
        if (put.length === 0 && remove.length === 0) return;
        try {
          await store.put(put);
          await store.remove(remove);
          // Only what was written is cleared: a newer version queued meanwhile stays pending.
          for (const a of put) if (pending.put.get(a.id) === a) pending.put.delete(a.id);
          for (const id of remove) pending.remove.delete(id);
          onResult(null);
        } catch (e) {
          onResult(toErrorInfo(e));
        }
      });
      return queue;
    },
  };
}
