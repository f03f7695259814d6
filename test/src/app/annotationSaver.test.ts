// Saving annotation changes: the difference is written in commit order; a failing store reports the error by name,
// keeps nothing half-known, and the next successful write catches up with everything that was missed.
import { describe, expect, it } from 'vitest';
import { createAnnotationSaver } from '../../../src/app/annotationSaver';
import type { AnnotationStore } from '../../../src/app/annotationStore';
import { makeAnnotation, performAnnotation } from '../../../src/teaching/annotationActions';
import type { Annotation, ImageRef } from '../../../src/teaching/model';
import type { ErrorInfo } from '../../../src/shared/errors';

const img: ImageRef = { studyInstanceUID: 'st', seriesInstanceUID: 'se', sopInstanceUID: 'se.1', frame: 0 };
const a = (id: string) => makeAnnotation(id, 'probe', img, [{ x: 1, y: 2 }], 0);

/** An in-memory store that can be told to fail, like IndexedDB with a full quota. */
function fakeStore() {
  const rows = new Map<string, Annotation>();
  const calls: string[] = [];
  let failing: string | null = null;
  const store: AnnotationStore = {
    load: async () => [...rows.values()],
    put: async (list) => {
      calls.push(`put ${list.map((x) => x.id).join(',')}`);
      if (failing) { const e = new Error('no space'); e.name = failing; throw e; }
      for (const x of list) rows.set(x.id, x);
    },
    remove: async (ids) => {
      calls.push(`remove ${ids.join(',')}`);
      for (const id of ids) rows.delete(id);
    },
  };
  return { store, rows, calls, fail: (name: string | null) => { failing = name; } };
}

describe('createAnnotationSaver', () => {
  it('writes only what changed, in order, one write at a time', async () => {
    const f = fakeStore();
    const results: (ErrorInfo | null)[] = [];
    const saver = createAnnotationSaver(f.store, (e) => results.push(e));
    const l1 = [a('x'), a('y')];
    await saver.save([], l1);
    expect(f.calls).toEqual(['put x,y', 'remove ']);
    const l2 = performAnnotation(l1, { type: 'update', id: 'y', patch: { label: 'Y' } }, 1);
    const l3 = performAnnotation(l2, { type: 'remove', id: 'x' }, 2);
    // Two commits before the queue runs are written together, as their net effect.
    void saver.save(l1, l2);
    await saver.save(l2, l3);
    expect(f.calls.slice(2)).toEqual(['put y', 'remove x']);
    expect([...f.rows.values()]).toEqual(l3);
    expect(results).toEqual([null, null]);
  });

  it('reports a failed write by name and catches up on the next success', async () => {
    const f = fakeStore();
    const results: (ErrorInfo | null)[] = [];
    const saver = createAnnotationSaver(f.store, (e) => results.push(e));
    const l1 = [a('x')];
    f.fail('StorageQuotaError');
    await saver.save([], l1);
    expect(results).toEqual([{ name: 'StorageQuotaError', message: 'no space' }]);
    expect(f.rows.size).toBe(0);
    // The user keeps working; the next write carries the one that failed.
    f.fail(null);
    const l2 = [...l1, a('y')];
    await saver.save(l1, l2);
    expect(results.at(-1)).toBeNull();
    expect([...f.rows.keys()].sort()).toEqual(['x', 'y']);
  });

  it('a removal after a failed add writes nothing stale', async () => {
    const f = fakeStore();
    const saver = createAnnotationSaver(f.store, () => {});
    f.fail('StorageWriteError');
    await saver.save([], [a('x')]);
    f.fail(null);
    await saver.save([a('x')], []);
    expect(f.rows.size).toBe(0);
    expect(f.calls.at(-2)).toBe('put ');
  });
});
