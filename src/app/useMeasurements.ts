// Measurements in the review view: the series' annotations (useAnnotations) tied to the viewport (by SOP Instance
// UID and frame ↔ imageId), our numbers for the panel, selection, keyboard placement and shortcuts. UI thread; keeps
// ReviewView small. Points stay in SOURCE-IMAGE PIXELS throughout; zoom and pan never reach them.
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { newId, type AnnotationKind, type ImageRef } from '../teaching/model';
import { defaultPoints, makeAnnotation } from '../teaching/annotationActions';
import { movePoint } from '../teaching/regions';
import { measure, spacingOf } from '../shared/measure';
import type { InstanceHeader } from '../shared/types';
import type { ViewportHandle } from '../viewer/Viewport';
import { parseImageId, type LeftTool } from '../viewer/cornerstoneSetup';
import { isAnnotationKind } from '../viewer/annotationData';
import type { AnnotationLayer } from '../viewer/useAnnotationLayer';
import { useMeasurePixels } from '../viewer/measurePixels';
import { MEASURE_TOOLS, POINTER_KEY } from '../components/ToolPicker';
import type { MeasurementRow } from '../components/MeasurementPanel';
import { lucidAnnotationStore, type AnnotationStore } from './annotationStore';
import { useAnnotations } from './useAnnotations';
import { useStableCallback } from './useStableCallback';

interface Options {
  imageIds: string[];
  header: (instanceId: string) => InstanceHeader | undefined;
  viewport: RefObject<ViewportHandle | null>;
  /** The imageId on screen. */
  current: string | null;
  tool: LeftTool;
  setTool: (t: LeftTool) => void;
  store?: AnnotationStore;
}

const refKey = (sop: string, frame: number) => `${sop}\n${frame}`;
const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || t.matches('input, textarea, select'));

export function useMeasurements({ imageIds, header, viewport, current, tool, setTool, store = lucidAnnotationStore }: Options) {
  // imageId ↔ image reference by UIDs, and the slice index of each imageId, for the stack on screen.
  const stack = useMemo(() => {
    const refOf = new Map<string, ImageRef>(), idOf = new Map<string, string>(), indexOf = new Map<string, number>();
    imageIds.forEach((id, index) => {
      const { instanceId, frame } = parseImageId(id);
      const h = header(instanceId);
      if (!h) return;
      refOf.set(id, { studyInstanceUID: h.studyInstanceUID, seriesInstanceUID: h.seriesInstanceUID, sopInstanceUID: h.sopInstanceUID, frame });
      idOf.set(refKey(h.sopInstanceUID, frame), id);
      indexOf.set(id, index);
    });
    return { refOf, idOf, indexOf };
  }, [imageIds, header]);
  const imageIdOf = useCallback((r: ImageRef) => stack.idOf.get(refKey(r.sopInstanceUID, r.frame)), [stack]);
  const imageRefOf = useCallback((id: string) => stack.refOf.get(id), [stack]);
  const seriesUID = imageIds[0] ? stack.refOf.get(imageIds[0])?.seriesInstanceUID ?? null : null;

  const ann = useAnnotations(seriesUID, store);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editTextId, setEditTextId] = useState<string | null>(null);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- a selection belongs to one series; a new series clears it
  useEffect(() => { setSelectedId(null); }, [seriesUID]);

  const headerOf = useCallback((imageId: string | undefined) => (imageId ? header(parseImageId(imageId).instanceId) : undefined), [header]);
  const pixels = useMeasurePixels(useMemo(() => ann.list.flatMap((a) => imageIdOf(a.image) ?? []), [ann.list, imageIdOf]));
  const rows = useMemo<MeasurementRow[]>(() => ann.list.map((a) => {
    const imageId = imageIdOf(a.image);
    const spacing = spacingOf(headerOf(imageId)?.pixelSpacing);
    const index = imageId !== undefined ? stack.indexOf.get(imageId) : undefined;
    return { id: a.id, kind: a.kind, label: a.label, text: a.text, slice: index !== undefined ? index + 1 : null, points: a.points.length, measurement: measure(a.kind, a.points, spacing, (imageId && pixels.get(imageId)) || null) };
  }).sort((x, y) => (x.slice ?? Infinity) - (y.slice ?? Infinity)),
  [ann.list, imageIdOf, pixels, stack, headerOf]);
  const currentHeader = headerOf(current ?? undefined);
  const note = currentHeader && !spacingOf(currentHeader.pixelSpacing) ? 'No pixel spacing: measurements in px.' : null;

  const { perform } = ann;
  const kind: AnnotationKind | null = isAnnotationKind(tool) ? tool : null;
  const place = useStableCallback(() => {
    const ref = current ? imageRefOf(current) : undefined;
    const at = viewport.current?.placement();
    if (!kind || !ref || !at) return;
    const a = makeAnnotation(newId(), kind, ref, defaultPoints(kind, at.centre, at.size), Date.now());
    perform({ type: 'add', annotation: a });
    setSelectedId(a.id);
  });
  const remove = useCallback((id: string) => {
    perform({ type: 'remove', id });
    setSelectedId((s) => (s === id ? null : s));
  }, [perform]);

  // Shortcuts: tools, Enter to place, Delete, undo/redo. Text fields keep their own keys (and their own Ctrl+Z).
  const keys = useRef({ place, remove, selectedId, setTool, undo: ann.undo, redo: ann.redo, kind });
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: handlers registered once read the current callbacks and selection
  keys.current = { place, remove, selectedId, setTool, undo: ann.undo, redo: ann.redo, kind };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.altKey) return;
      const k = keys.current, key = e.key.toLowerCase();
      if (e.ctrlKey || e.metaKey) {
        if (key === 'z') { e.preventDefault(); if (e.shiftKey) k.redo(); else k.undo(); }
        if (key === 'y') { e.preventDefault(); k.redo(); }
        return;
      }
      const onControl = e.target instanceof HTMLElement && e.target.closest('button, a, [role=button], summary');
      const pick = MEASURE_TOOLS.find((t) => t.key === key);
      if (pick) k.setTool(k.kind === pick.kind ? 'wwwc' : pick.kind);
      else if (key === POINTER_KEY) k.setTool('wwwc');
      else if (e.key === 'Enter' && k.kind && !onControl) k.place();
      else if (e.key === 'Delete' && k.selectedId) k.remove(k.selectedId);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const layer: AnnotationLayer = {
    annotations: ann.list, selectedId, imageIdOf, imageRefOf,
    onAdd: (a) => { perform({ type: 'add', annotation: a }); setSelectedId(a.id); },
    onChange: (id, points) => perform({ type: 'update', id, patch: { points } }),
    onRemove: remove,
    onEditText: (id) => { setSelectedId(id); setEditTextId(id); },
  };
  // The panel's and picker's callbacks keep their identity across renders (the panels are memoised).
  const onSelect = useStableCallback((id: string) => {
    setSelectedId(id);
    const slice = rows.find((r) => r.id === id)?.slice;
    if (slice) viewport.current?.scrollTo(slice - 1);
  });
  const onMove = useStableCallback((id: string, dx: number, dy: number) => {
    setSelectedId(id);
    const a = ann.list.find((x) => x.id === id);
    const h = a && headerOf(imageIdOf(a.image));
    perform({ type: 'move', id, dx, dy, bounds: h ? { rows: h.rows, columns: h.columns } : undefined });
  });
  const onMoveHandle = useStableCallback((id: string, handle: number, dx: number, dy: number) => {
    setSelectedId(id);
    const a = ann.list.find((x) => x.id === id);
    if (a) perform({ type: 'update', id, patch: { points: movePoint(a.points, handle, dx, dy) } });
  });
  const onEdit = useStableCallback((id: string, patch: { label?: string; text?: string }) => { perform({ type: 'update', id, patch }); setEditTextId(null); });
  const panel = {
    rows, note, selectedId, editTextId, loading: ann.loading, error: ann.error,
    canUndo: ann.canUndo, canRedo: ann.canRedo, onUndo: ann.undo, onRedo: ann.redo, onDelete: remove,
    onSelect, onMove, onMoveHandle, onEdit,
  };
  const onTool = useStableCallback((k: AnnotationKind | null) => setTool(k ?? 'wwwc'));
  const picker = { tool: kind, onTool, onPlace: place };
  return { layer, panel, picker, annotations: ann.list };
}
