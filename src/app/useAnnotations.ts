// The current series' annotations as an undo/redo History: loaded from the store when the series changes, every
// committed change (an edit, an undo, a redo) written at once (annotationSaver.ts). A failed write is shown by name
// and retried with the next one; the in-memory list is never rolled back. UI thread.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Annotation } from '../teaching/model';
import { canRedo, canUndo, commit, redo, reset, startHistory, undo, type History } from '../teaching/history';
import { performAnnotation, type AnnotationAction } from '../teaching/annotationActions';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { AnnotationStore } from './annotationStore';
import { createAnnotationSaver } from './annotationSaver';

interface State { series: string | null; history: History<Annotation[]>; loading: boolean }

export interface Annotations {
  list: Annotation[];
  loading: boolean;
  perform(action: AnnotationAction): void;
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
  /** The last storage failure (load or save), null once a later write succeeds. */
  error: ErrorInfo | null;
}

export function useAnnotations(seriesInstanceUID: string | null, store: AnnotationStore): Annotations {
  const [state, setState] = useState<State>({ series: null, history: startHistory([]), loading: false });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const latest = useRef(state);
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: `step` reads and advances the current state synchronously
  latest.current = state;
  const saver = useMemo(() => createAnnotationSaver(store, setError), [store]);
  const save = saver.save;

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a new series starts empty and loading, before its stored annotations arrive
    setState({ series: seriesInstanceUID, history: startHistory([]), loading: seriesInstanceUID !== null });
    if (!seriesInstanceUID) return;
    let cancelled = false;
    store.load(seriesInstanceUID).then((stored) => {
      if (cancelled) return;
      setState((s) => {
        if (s.series !== seriesInstanceUID) return s;
        // Anything drawn while loading is kept after what was stored.
        const ids = new Set(stored.map((a) => a.id));
        return { ...s, loading: false, history: reset(s.history, [...stored, ...s.history.present.filter((a) => !ids.has(a.id))]) };
      });
    }).catch((e: unknown) => {
      if (cancelled) return;
      setError(toErrorInfo(e));
      setState((s) => (s.series === seriesInstanceUID ? { ...s, loading: false } : s));
    });
    return () => { cancelled = true; };
  }, [seriesInstanceUID, store]);

  /** Moves the history to `next` and writes the difference (nothing when the present did not change). */
  const step = useCallback((next: (h: History<Annotation[]>) => History<Annotation[]>) => {
    const s = latest.current;
    const h = next(s.history);
    if (h === s.history) return;
    latest.current = { ...s, history: h };
    setState(latest.current);
    if (h.present !== s.history.present) void save(s.history.present, h.present);
  }, [save]);

  const perform = useCallback((action: AnnotationAction) => {
    step((h) => commit(h, performAnnotation(h.present, action, Date.now())));
  }, [step]);

  return {
    list: state.history.present,
    loading: state.loading,
    perform,
    undo: useCallback(() => step(undo), [step]),
    redo: useCallback(() => step(redo), [step]),
    canUndo: canUndo(state.history),
    canRedo: canRedo(state.history),
    error,
  };
}
