// Authoring state: the sets in storage, the open set and its cases, the open case with undo/redo. Every step is a
// pure action (src/teaching) whose result is saved at once, in one transaction with any new images (src/storage).
// UI thread. A failed save is shown with its named error and the edit stays on screen, marked unsaved; the next save
// writes the whole case again, so nothing typed is lost and nothing half-written is stored.
import { useCallback, useEffect, useRef, useState } from 'react';
import { emptyCase, emptySet, instancesOfCase, newId, type Case, type TeachingSet } from '../teaching/model';
import { performCase, type CaseAction } from '../teaching/caseActions';
import { duplicateCase, duplicateSet, performSet, relabelCase, type SetAction } from '../teaching/setActions';
import { importSet } from '../storage/importSet';
import { canRedo, canUndo, commit, redo, reset, startHistory, undo, type History } from '../teaching/history';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { LucidDb, StoredOutput } from '../storage/db';
import { missingImages, type StoredImage } from '../storage/images';
import { deleteSet as dbDeleteSet, listSets, saveSet } from '../storage/sets';
import { casesOfSet, deleteCase as dbDeleteCase, saveCase } from '../storage/cases';

/** Typing in one field within this many ms is one undo step, not one per key. */
const COALESCE_MS = 1500;

export interface TeachingDeps {
  db: () => Promise<LucidDb>;
  /** Bytes and UIDs of loaded instances, for a series being added to a case (kept once, by SOP Instance UID). */
  imagesOf: (sopUIDs: string[]) => Promise<StoredImage[]>;
}

export function useTeaching({ db, imagesOf }: TeachingDeps) {
  const [sets, setSets] = useState<TeachingSet[]>([]);
  const [setId, setSetId] = useState<string | null>(null);
  const [cases, setCases] = useState<Case[]>([]);
  const [edit, setEdit] = useState<History<Case> | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [unsaved, setUnsaved] = useState(false);
  /** Authoring steps still being stored: the editor says "Saving…" until every one is written, never "Saved" early. */
  const [saving, setSaving] = useState(0);
  const last = useRef<{ key: string; at: number } | null>(null);
  /** Images of series added to the open case that have not been stored yet (retried with the next save). */
  const pendingImages = useRef(new Map<string, StoredImage>());
  /** Model output values attached to the open case and not stored yet (same rule as images). */
  const pendingOutputs = useRef(new Map<string, StoredOutput>());
  /** Every output attached in this session, so an undo that brings an attachment back can store its values again. */
  const knownOutputs = useRef(new Map<string, StoredOutput>());

  const activeSet = sets.find((s) => s.id === setId) ?? null;

  const refresh = useCallback(async (selectSet?: string | null) => {
    const d = await db();
    const all = await listSets(d);
    setSets(all);
    const id = selectSet === undefined ? setId : selectSet;
    const pick = all.find((s) => s.id === id) ?? null;
    setSetId(pick?.id ?? null);
    setCases(pick ? await casesOfSet(d, pick.id) : []);
  }, [db, setId]);

  useEffect(() => { refresh().catch((e) => setError(toErrorInfo(e))); }, []); // eslint-disable-line react-hooks/exhaustive-deps, react-hooks/set-state-in-effect -- once, on mount; refresh sets state only after awaiting storage

  /** Runs a storage write; a failure is shown, never thrown into React. */
  const guard = useCallback(async (what: () => Promise<void>): Promise<boolean> => {
    try { await what(); setError(null); return true; } catch (e) { setError(toErrorInfo(e)); return false; }
  }, []);

  const storeSet = useCallback(async (next: TeachingSet) => {
    if (await guard(async () => saveSet(await db(), next))) setSets((all) => all.map((s) => (s.id === next.id ? next : s)));
  }, [db, guard]);

  const createSet = useCallback(async () => {
    const s = emptySet(Date.now());
    if (await guard(async () => saveSet(await db(), s))) { setSets((all) => [s, ...all]); setSetId(s.id); setCases([]); setEdit(null); }
  }, [db, guard]);

  const openSet = useCallback(async (id: string | null) => {
    setEdit(null);
    await guard(() => refresh(id));
  }, [guard, refresh]);

  const updateSet = useCallback(async (action: SetAction) => {
    if (!activeSet) return;
    const next = performSet(activeSet, action, Date.now());
    if (next === activeSet) return;
    await storeSet(next);
    if (action.type === 'rename-label') {
      // Findings follow a renamed label; each changed case is saved on its own (each write is atomic).
      const d = await db();
      for (const c of cases) {
        const r = relabelCase(c, action.from, action.to);
        if (r !== c) await guard(() => saveCase(d, r, []));
      }
      await guard(() => refresh());
    }
  }, [activeSet, cases, db, guard, refresh, storeSet]);

  /** A copy of the open set and all its cases, in one transaction (images and outputs are shared, not copied). */
  const copySet = useCallback(async () => {
    if (!activeSet) return;
    const { set, cases: copies } = duplicateSet(activeSet, cases, newId, Date.now());
    if (await guard(async () => importSet(await db(), { set, cases: copies, annotations: [], images: [], outputs: [] }))) {
      setEdit(null);
      await guard(() => refresh(set.id));
    }
  }, [activeSet, cases, db, guard, refresh]);

  const removeSet = useCallback(async (id: string) => {
    if (await guard(async () => dbDeleteSet(await db(), id))) { setEdit(null); await guard(() => refresh(id === setId ? null : setId)); }
  }, [db, guard, refresh, setId]);

  /** Saves the open case (and any images still pending) with the set; returns whether it was stored. */
  const persistCase = useCallback(async (c: Case, set: TeachingSet | null) => {
    const images = [...pendingImages.current.values()], outputs = [...pendingOutputs.current.values()];
    setSaving((n) => n + 1);
    const ok = await guard(async () => saveCase(await db(), c, images, set ?? undefined, outputs)).finally(() => setSaving((n) => n - 1));
    if (ok) {
      pendingImages.current.clear();
      pendingOutputs.current.clear();
      setCases((all) => (all.some((x) => x.id === c.id) ? all.map((x) => (x.id === c.id ? c : x)) : [...all, c]));
      if (set) setSets((all) => all.map((s) => (s.id === set.id ? set : s)));
    }
    setUnsaved(!ok);
    return ok;
  }, [db, guard]);

  /** Closes the open case before a new one is stored and opened: typing in the meantime must not edit the old one. */
  const closeEditor = useCallback(() => {
    pendingImages.current.clear();
    pendingOutputs.current.clear();
    last.current = null;
    setEdit(null);
  }, []);

  const createCase = useCallback(async () => {
    if (!activeSet) return;
    const c = emptyCase(activeSet.id, Date.now());
    const set = performSet(activeSet, { type: 'add-case', caseId: c.id }, Date.now());
    closeEditor();
    if (await persistCase(c, set)) setEdit(startHistory(c));
  }, [activeSet, closeEditor, persistCase]);

  const openCase = useCallback((id: string | null) => {
    const c = cases.find((x) => x.id === id);
    closeEditor();
    if (c) setEdit(startHistory(c));
  }, [cases, closeEditor]);

  /** One authoring step; `outputs` carries the values of a model output being attached (saved with the case). */
  const editCase = useCallback(async (action: CaseAction, outputs: StoredOutput[] = []) => {
    if (!edit) return;
    setSaving((n) => n + 1);
    try {
      const next = performCase(edit.present, action, Date.now());
      if (next === edit.present) return;
      for (const o of outputs) { pendingOutputs.current.set(o.key, o); knownOutputs.current.set(o.key, o); }
      if (action.type === 'add-series') {
        for (const img of await imagesOf(action.series.sopInstanceUIDs)) pendingImages.current.set(img.sopInstanceUID, img);
      }
      const key = action.type === 'set-field' ? `field:${action.field}` : action.type === 'update-finding' ? `finding:${action.id}:${Object.keys(action.patch).join()}` : '';
      const now = Date.now();
      const coalesce = key !== '' && last.current?.key === key && now - last.current.at < COALESCE_MS;
      last.current = { key, at: now };
      setEdit((h) => (h ? (coalesce ? { ...h, present: next } : commit(h, next)) : h));
      await persistCase(next, null);
    } finally {
      setSaving((n) => n - 1);
    }
  }, [edit, imagesOf, persistCase]);

  const step = useCallback(async (dir: 'undo' | 'redo') => {
    if (!edit) return;
    const h = dir === 'undo' ? undo(edit) : redo(edit);
    if (h === edit) return;
    last.current = null;
    setEdit(h);
    // Saving a case deletes images and outputs only its previous version used, so a step that brings a series or an
    // attachment back must store them again: images from the open studies, outputs from this session's values.
    const c = h.present;
    const missing = await missingImages(await db(), instancesOfCase(c)).catch(() => []);
    if (missing.length) {
      const found = await imagesOf(missing);
      for (const img of found) pendingImages.current.set(img.sopInstanceUID, img);
      if (found.length < missing.length) setError({ name: 'StorageMissingImageError', message: `${missing.length - found.length} image(s) of this case are no longer open or stored; open their study again, then save.` });
    }
    for (const a of c.attachments) { const o = knownOutputs.current.get(a.dataKey); if (o) pendingOutputs.current.set(a.dataKey, o); }
    await persistCase({ ...c, updatedAt: Date.now() }, null);
  }, [db, edit, imagesOf, persistCase]);

  const duplicate = useCallback(async (id: string) => {
    const c = cases.find((x) => x.id === id);
    if (!activeSet || !c) return;
    const { set, copy } = duplicateCase(activeSet, c, newId, Date.now());
    closeEditor();
    if (await persistCase(copy, set)) setEdit(startHistory(copy));
  }, [activeSet, cases, closeEditor, persistCase]);

  const removeCase = useCallback(async (id: string) => {
    if (!(await guard(async () => dbDeleteCase(await db(), id)))) return;
    if (edit?.present.id === id) setEdit(null);
    await guard(() => refresh());
  }, [db, edit, guard, refresh]);

  const moveCase = useCallback((id: string, to: number) => updateSet({ type: 'move-case', caseId: id, to }), [updateSet]);

  return {
    sets, activeSet, cases, error, unsaved, saving: saving > 0,
    openCase: edit?.present ?? null,
    canUndo: edit ? canUndo(edit) : false,
    canRedo: edit ? canRedo(edit) : false,
    createSet, openSet, updateSet, removeSet, copySet, createCase, selectCase: openCase, editCase,
    undo: () => step('undo'), redo: () => step('redo'), duplicate, removeCase, moveCase, refresh,
    /** After an import or an external change: reload from storage and drop the open case's history. */
    reload: async (selectSet?: string | null) => { setEdit((h) => (h ? reset(h, h.present) : h)); await guard(() => refresh(selectSet)); },
    dismissError: () => setError(null),
  };
}
export type Teaching = ReturnType<typeof useTeaching>;
