// Author: an educator builds a teaching set from the studies on this machine — sets and cases on the left, the
// viewer with the case's findings in the middle, the case editor (or the trainee preview) on the right. UI thread;
// state changes are pure actions (src/teaching), saved at once (src/storage); images come from storage when a case's
// series is not loaded.
import { seriesKey } from '../components/SeriesBrowser';
import { forwardRef, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useCaseViewer, type CaseViewerDeps } from './useCaseViewer';
import { newId, type Region, type RegionKind, type SeriesRef } from '../teaching/model';
import { makeFinding } from '../teaching/caseActions';
import type { Finding } from '../teaching/model';
import { regionAt } from '../teaching/regions';
import { isReady, validateCase } from '../teaching/validateCase';
import { PacsSendPanel } from '../components/PacsSendPanel';
import { Viewport, type ViewportHandle } from '../viewer/Viewport';
import { paintRegions, useRegionDrawing, viewCentre, viewportIn, type PaintedRegion } from '../viewer/regionDrawing';
import { paintOverlay } from '../viewer/paintOverlay';
import { CaseEditor } from '../components/CaseEditor';
import { SetPanel } from '../components/SetPanel';
import { CasePreview } from '../components/CasePreview';
import { StorageStatus } from '../components/StorageStatus';
import { ExportPrivacyDialog } from '../components/ExportPrivacyDialog';
import type { Teaching } from './useTeaching';
import { usePacket } from './usePacket';
import { attachedHeatmap, useAttachments } from './useAttachments';
import type { useInference } from './useInference';
import { AttachmentList } from '../components/AttachmentList';
import { getOutputs } from '../storage/outputs';
import type { LucidDb } from '../storage/db';

interface Props extends CaseViewerDeps {
  teaching: Teaching;
  teachingSafe: boolean;
  onError: (imageId: string, err: Error) => void;
  packet: ReturnType<typeof usePacket>;
  inference: ReturnType<typeof useInference>;
  db: () => Promise<LucidDb>;
  /** The case's study came from a PACS: its key can be stored back there as an SR and a SEG (answered by a sentence). */
  sendKey?: { to: string; send: (findings: Finding[]) => Promise<string> };
}

const FINDING_COLOUR = '#ffb74d', DRAFT_COLOUR = '#80deea';

export const AuthorView = forwardRef<ViewportHandle, Props>(function AuthorView({ teaching: t, series, allSeries, header, onSelectSeries, ensureLoaded, teachingSafe, onError, packet, inference, db, sendKey }, ref) {
  const { viewport, setRefs, sync, setSync, imageIds, current, currentHeader, currentRef, goTo, openImagesOf } =
    useCaseViewer({ series, allSeries, header, onSelectSeries, ensureLoaded }, ref);
  const container = useRef<HTMLDivElement>(null);
  const [drawKind, setDrawKind] = useState<RegionKind | null>(null);
  const [draft, setDraft] = useState<Region | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [preview, setPreview] = useState(false);
  const c = t.openCase;

  const seriesRef: SeriesRef | null = series ? {
    studyInstanceUID: series.studyInstanceUID, seriesInstanceUID: series.seriesInstanceUID, modality: series.modality,
    description: series.description, sopInstanceUIDs: series.instances.map((i) => i.header.sopInstanceUID),
  } : null;
  const sizeOf = useCallback((sop: string) => {
    for (const s of allSeries) for (const i of s.instances) if (i.header.sopInstanceUID === sop) return { rows: i.header.rows, columns: i.header.columns };
    return undefined;
  }, [allSeries]);
  const attachments = useAttachments(inference, t, current ?? null, currentRef);
  const [showAi, setShowAi] = useState(true);
  // Values of the open case's attached outputs, read from storage (an import or a reload brings no others).
  const [outputs, setOutputs] = useState(new Map<string, Float32Array>());
  const outputKeys = c?.attachments.map((a) => a.dataKey).join() ?? '';
  useEffect(() => {
    let live = true;
    const keys = outputKeys ? outputKeys.split(',') : [];
    void db().then((d) => getOutputs(d, keys)).then((m) => { if (live) setOutputs(new Map([...m].map(([k, o]) => [k, o.values]))); }, () => undefined);
    return () => { live = false; };
  }, [db, outputKeys]);
  const heat = useMemo(() => (showAi && !preview ? attachedHeatmap(c, currentRef, (k) => outputs.get(k), series?.modality ?? '') : null),
    [showAi, preview, c, currentRef, outputs, series?.modality]);
  const problems = useMemo(() => (c ? validateCase(c, t.activeSet, sizeOf) : []), [c, t.activeSet, sizeOf]);

  const openCase = useCallback(async (id: string) => {
    t.selectCase(id);
    setSelected(null);
    const found = t.cases.find((x) => x.id === id);
    if (found) await openImagesOf(found);
  }, [t, openImagesOf]);

  const addFinding = useCallback((region: Region) => {
    if (!c || !currentRef || !t.activeSet || !c.series.some((s) => s.seriesInstanceUID === currentRef.seriesInstanceUID)) return;
    const f = makeFinding(newId(), currentRef, region, t.activeSet.vocabulary[0] ?? '');
    void t.editCase({ type: 'add-finding', finding: f });
    setSelected(f.id);
  }, [c, currentRef, t]);
  useRegionDrawing(container, preview || !series ? null : drawKind, addFinding, setDraft, viewportIn);
  const place = useCallback((kind: RegionKind) => {
    const centre = viewCentre(container.current);
    const spacing = currentHeader?.pixelSpacing?.[1];
    if (centre) addFinding(regionAt(kind, centre, spacing ? 20 / spacing : 32)); // 20 mm across, else 32 px
  }, [addFinding, currentHeader]);

  // Findings on the slice in view (never in the trainee preview) and the region being drawn.
  const painted = useMemo<PaintedRegion[]>(() => {
    const out: PaintedRegion[] = [];
    if (c && currentRef && !preview) {
      for (const f of c.findings) {
        if (f.image.sopInstanceUID === currentRef.sopInstanceUID && f.image.frame === currentRef.frame) out.push({ region: f.region, label: f.label, colour: FINDING_COLOUR, selected: f.id === selected });
      }
    }
    if (draft) out.push({ region: draft, label: '', colour: DRAFT_COLOUR });
    return out;
  }, [c, currentRef, preview, selected, draft]);
  const paint = useCallback((el: HTMLElement, ctx: CanvasRenderingContext2D) => {
    if (heat) paintOverlay(el, ctx, { heatmap: heat });
    paintRegions(el, ctx, painted);
  }, [painted, heat]);
  useEffect(() => { viewport.current?.redraw(); }, [paint, viewport]);

  // Author shortcuts: P/B/E/D choose a region (Shift places it at the centre), K key image, Ctrl+Z / Ctrl+Shift+Z.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLInputElement && el.type !== 'checkbox')) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') { e.preventDefault(); void (e.shiftKey ? t.redo() : t.undo()); return; }
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'y') { e.preventDefault(); void t.redo(); return; }
      if (e.ctrlKey || e.metaKey || e.altKey || preview || !c) return;
      const kind = ({ p: 'point', b: 'box', e: 'ellipse', d: 'freehand' } as Record<string, RegionKind>)[e.key.toLowerCase()];
      if (kind) { e.preventDefault(); if (e.shiftKey) place(kind); else setDrawKind((k) => (k === kind ? null : kind)); }
      else if (e.key.toLowerCase() === 'k' && currentRef) { e.preventDefault(); void t.editCase({ type: 'toggle-key-image', image: currentRef }); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [t, c, preview, place, currentRef]);

  const ready = useCallback((x: typeof c & object) => isReady(validateCase(x, t.activeSet, sizeOf)), [t.activeSet, sizeOf]);

  return (
    <div className="author" data-testid="author-view">
      <div className="author-sets">
        <SetPanel sets={t.sets} active={t.activeSet} cases={t.cases} openCaseId={c?.id ?? null} ready={ready} busy={packet.busy}
          onCreateSet={() => void t.createSet()} onOpenSet={(id) => void t.openSet(id)}
          onSetField={(field, value) => void t.updateSet({ type: 'set-field', field, value })} onDeleteSet={(id) => void t.removeSet(id)} onDuplicateSet={() => void t.copySet()}
          onCreateCase={() => void t.createCase()} onOpenCase={(id) => void openCase(id)} onMoveCase={(id, to) => void t.moveCase(id, to)}
          onDuplicateCase={(id) => void t.duplicate(id)} onDeleteCase={(id) => void t.removeCase(id)} onLabel={(op) => void t.updateSet(op)}
          onExport={() => void packet.exportSet()} onImport={(f) => void packet.importFile(f)} />
        <StorageStatus changed={t.cases} />
        {packet.dialog && (
          <ExportPrivacyDialog title="Export teaching packet" allowKeepIdentity={false} burnedIn={packet.dialog.burnedIn} busy={!!packet.busy}
            onExport={(choice) => void packet.confirmExport(choice)} onCancel={packet.cancelExport} />
        )}
        {(t.error || packet.error) && (
          <div className="warning" role="alert" data-testid="teaching-error">
            <strong>{(t.error ?? packet.error)!.name}</strong>: {(t.error ?? packet.error)!.message}
            {' '}<button className="link" onClick={() => { t.dismissError(); packet.dismissError(); }}>dismiss</button>
          </div>
        )}
      </div>
      <div className="views" ref={container}>
        {series ? (
          <Viewport ref={setRefs} imageIds={imageIds} seriesLabel={series.description || `Series ${series.seriesNumber ?? ''}`} seriesId={seriesKey(series)} modality={series.modality}
            header={header} teachingSafe={teachingSafe} onError={onError} onViewChange={setSync} paint={paint} />
        ) : <div className="empty">Open a study, or a case whose images are stored.</div>}
      </div>
      <div className="side">
        {c && t.activeSet ? (
          <>
            <div className="row">
              <button aria-pressed={!preview} onClick={() => setPreview(false)} data-testid="edit-mode">Edit</button>
              <button aria-pressed={preview} onClick={() => { setPreview(true); setDrawKind(null); }} data-testid="preview-mode">Preview as trainee</button>
            </div>
            {preview ? <CasePreview value={c} /> : (
              <CaseEditor value={c} set={t.activeSet} problems={problems}
                inView={seriesRef && currentRef ? { series: seriesRef, image: currentRef, slice: (sync?.index ?? 0) + 1 } : null}
                drawKind={drawKind} onDrawKind={setDrawKind} onPlace={place} selected={selected} onSelect={setSelected}
                onGoTo={(r) => void goTo(r)} onAction={(a) => void t.editCase(a)}
                canUndo={t.canUndo} canRedo={t.canRedo} onUndo={() => void t.undo()} onRedo={() => void t.redo()} unsaved={t.unsaved} saving={t.saving} />
            )}
            {!preview && (
              <AttachmentList value={c} available={attachments.available} onAttach={attachments.attach} show={showAi} onShow={setShowAi}
                onRemove={(id) => void t.editCase({ type: 'remove-attachment', id })}
                sliceOf={(a) => { const s = c.series.find((x) => x.seriesInstanceUID === a.source.seriesInstanceUID); return `${s?.description ?? 'series'} ${(s?.sopInstanceUIDs.indexOf(a.source.sopInstanceUID) ?? -1) + 1}`; }} />
            )}
            {!preview && sendKey && c.findings.length > 0 && (
              <PacsSendPanel key={c.id} to={sendKey.to} actions={[{ id: 'key', label: `The case's key: ${c.findings.length} finding${c.findings.length === 1 ? '' : 's'} (SR + SEG)`, run: () => sendKey.send(c.findings) }]} />
            )}
          </>
        ) : <p className="muted">{t.activeSet ? 'Open a case, or create one.' : 'Choose a teaching set or create one.'}</p>}
      </div>
    </div>
  );
});
