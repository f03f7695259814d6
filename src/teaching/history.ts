// Undo/redo as a pure value: past states, the present, undone states. Used for annotations and case edits.
// Pure and thread-neutral; states are immutable snapshots (records are small: ids, points, text).

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
}

/** How many steps back a user can go; older states are dropped. */
export const HISTORY_LIMIT = 200;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/** A new present after a user action; clears the redo stack. Same object → no step recorded. */
export function commit<T>(h: History<T>, next: T): History<T> {
  if (next === h.present) return h;
  const past = [...h.past, h.present];
  return { past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past, present: next, future: [] };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1]!, future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0]!, future: h.future.slice(1) };
}

/** Replace the present without an undo step (state loaded from storage, not a user action). */
export function reset<T>(h: History<T>, present: T): History<T> {
  return { past: [], present, future: [] };
}

export const canUndo = <T>(h: History<T>) => h.past.length > 0;
export const canRedo = <T>(h: History<T>) => h.future.length > 0;
