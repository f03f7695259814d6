// Practice: a trainee reads a teaching set's cases as unknowns — marks what they see (point, box, ellipse; a label
// and a confidence each), submits, and gets feedback on the image and beside it (found, missed, false marks, the
// explanations, and the model's own hits and misses on the same slices). UI thread; scoring is pure (src/teaching).
import { seriesKey } from '../components/SeriesBrowser';
import { forwardRef, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PixelFrame } from '../shared/types';
import { spacingOf } from '../shared/measure';
import type { ImageRef, Region, TeachingSet } from '../teaching/model';
import type { Mark } from '../teaching/practiceModel';
import { regionAt } from '../teaching/regions';
import { Viewport, type ViewportHandle } from '../viewer/Viewport';
import { paintRegions, useRegionDrawing, viewCentre, viewportIn, type PaintedRegion } from '../viewer/regionDrawing';
import { PracticePanel, type MarkKind } from '../components/PracticePanel';
import { FeedbackPanel } from '../components/FeedbackPanel';
import { ProfilePanel } from '../components/ProfilePanel';
import type { LucidDb } from '../storage/db';
import { useCaseViewer, type CaseViewerDeps } from './useCaseViewer';
import { usePractice, type PracticeOrder } from './usePractice';
import { useMeasurements } from './useMeasurements';
import { useAiPane } from './useAiPane';
import { DerivedPane } from '../viewer/DerivedPane';
import { ToolPicker } from '../components/ToolPicker';
import { MeasurementPanel } from '../components/MeasurementPanel';
import type { LeftTool } from '../viewer/cornerstoneSetup';
import { isAnnotationKind } from '../viewer/annotationData';
import { ThresholdView } from './ThresholdView';
import { useProgressFiles } from './useProgressFiles';
import { groupTable, profileOf } from '../teaching/profile';
import { ProfileChart } from '../components/ProfileChart';
import { fomVariantFor, sessionFom } from '../teaching/froc';
import { GroupTable } from '../components/GroupTable';
import { ProgressFilesPanel } from '../components/ProgressFilesPanel';

interface Props extends CaseViewerDeps {
  sets: TeachingSet[];
  teachingSafe: boolean;
  onError: (imageId: string, err: Error) => void;
  db: () => Promise<LucidDb>;
  learnerId: string;
  decode: (id: string, frame: number) => Promise<PixelFrame>;
  /** Imports a teaching packet a trainee was given (the same import as the Author view's). */
  packet: { busy: string | null; error: { name: string; message: string } | null; importFile: (f: File) => Promise<void> };
}

const COLOURS = { mark: '#80deea', hit: '#66bb6a', missed: '#ffa726', falseMark: '#ef5350', ai: '#42a5f5' };
const on = (r: ImageRef | null, i: ImageRef) => !!r && r.sopInstanceUID === i.sopInstanceUID && r.frame === i.frame;

export const PracticeView = forwardRef<ViewportHandle, Props>(function PracticeView(props, ref) {
  const { sets, series, allSeries, header, onSelectSeries, ensureLoaded, teachingSafe, onError, db, learnerId, packet, decode } = props;
  const [mode, setMode] = useState<'cases' | 'threshold'>('cases');
  const { viewport, setRefs, sync, setSync, imageIds, current, currentHeader, currentRef, goTo, openImagesOf } =
    useCaseViewer({ series, allSeries, header, onSelectSeries, ensureLoaded }, ref);
  const p = usePractice({ db, learnerId });
  const container = useRef<HTMLDivElement>(null);
  const [kind, setKind] = useState<MarkKind>('point');
  // Measuring while reading: the review view's tools; while one is chosen the left button measures, not marks.
  const [tool, setTool] = useState<LeftTool>('wwwc');
  const measuring = isAnnotationKind(tool);
  const measurements = useMeasurements({ imageIds, header, viewport, current: current ?? null, tool, setTool });
  const [draft, setDraft] = useState<Region | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [order, setOrder] = useState<PracticeOrder>('ordered');
  const [showGroup, setShowGroup] = useState(false);
  const files = useProgressFiles({ db, learnerId, attempts: p.attempts, onImported: p.reloadAttempts });
  const group = useMemo(() => groupTable(files.group.map((f) => ({ learner: f.learner, attempts: f.attempts }))), [files.group]);
  const c = p.current;
  const fom = useMemo(() => {
    const scores = p.attempts.filter((a) => !a.synthetic).map((a) => a.score);
    return { value: sessionFom(scores), variant: fomVariantFor(scores), cases: scores.length };
  }, [p.attempts]);

  // Each case opens where its author wanted it seen (first key image), its images from storage when needed.
  useEffect(() => { if (c) void openImagesOf(c); }, [c, openImagesOf]);
  useEffect(() => {
    if (!c || p.result) return;
    const started = Date.now();
    const t = setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(t);
  }, [c, p.result]);

  const addMark = useCallback((region: Region) => {
    if (!currentRef || (region.kind !== 'point' && region.kind !== 'box' && region.kind !== 'ellipse')) return;
    p.addMark({ image: currentRef, region });
  }, [currentRef, p]);
  // Only once the viewer is on screen (`series`): the hook attaches to the element when its kind changes.
  useRegionDrawing(container, c && !p.result && series && !measuring ? kind : null, addMark, setDraft, viewportIn);
  const place = useCallback(() => {
    const centre = viewCentre(container.current);
    const spacing = currentHeader?.pixelSpacing?.[1];
    if (centre) addMark(regionAt(kind, centre, spacing ? 10 / spacing : 16));
  }, [addMark, currentHeader, kind]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key.toLowerCase() === 'm' && c && !p.result) { e.preventDefault(); place(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [c, p.result, place]);

  const aiPane = useAiPane(db, c, p.result?.ai ?? null, !!p.result, currentRef, current, series?.modality ?? '', currentHeader?.pixelSpacing ?? null);

  const spacingBySop = useCallback((sop: string) => {
    for (const s of allSeries) for (const i of s.instances) if (i.header.sopInstanceUID === sop) return spacingOf(i.header.pixelSpacing);
    return null;
  }, [allSeries]);

  // Before submitting: the trainee's marks. After: the key (found green, missed orange), marks (hit green, false red)
  // and the model's boxes (blue, dashed) — on the slice in view.
  const painted = useMemo<PaintedRegion[]>(() => {
    const out: PaintedRegion[] = [];
    if (!c || !currentRef) return out;
    const score = p.result?.score;
    const hitBy = new Map(score?.marks.map((m) => [m.markId, m.findingId]) ?? []);
    if (score) {
      const found = new Set(score.findings.filter((f) => f.markId).map((f) => f.findingId));
      for (const f of c.findings) if (on(currentRef, f.image)) out.push({ region: f.region, label: f.label, colour: found.has(f.id) ? COLOURS.hit : COLOURS.missed, selected: true });
      for (const m of p.result?.ai?.marks ?? []) if (on(currentRef, m.image)) out.push({ region: m.region, label: 'AI', colour: COLOURS.ai, dashed: true });
    }
    p.marks.forEach((m: Mark, i) => {
      if (!on(currentRef, m.image)) return;
      const colour = !score ? COLOURS.mark : hitBy.get(m.id) ? COLOURS.hit : COLOURS.falseMark;
      out.push({ region: m.region, label: `${i + 1}${m.label ? ` ${m.label}` : ''}`, colour });
    });
    if (draft) out.push({ region: draft, label: '', colour: COLOURS.mark });
    return out;
  }, [c, currentRef, p.marks, p.result, draft]);
  const paint = useCallback((el: HTMLElement, ctx: CanvasRenderingContext2D) => paintRegions(el, ctx, painted), [painted]);
  useEffect(() => { viewport.current?.redraw(); }, [paint, viewport]);

  const modeSwitch = (
    <div className="row" role="radiogroup" aria-label="Practice with">
      <label><input type="radio" checked={mode === 'cases'} onChange={() => setMode('cases')} data-testid="mode-cases" /> Cases</label>
      <label><input type="radio" checked={mode === 'threshold'} onChange={() => setMode('threshold')} data-testid="mode-threshold" /> Detection threshold</label>
    </div>
  );
  if (mode === 'threshold') {
    return <ThresholdView ref={ref} allSeries={allSeries} header={header} decode={decode} db={db} learnerId={learnerId} attempts={p.attempts}
      onStored={p.reloadAttempts} onError={onError} modeSwitch={modeSwitch} />;
  }

  const sliceOf = (m: Mark) => {
    const s = c?.series.find((x) => x.seriesInstanceUID === m.image.seriesInstanceUID);
    return `slice ${(s?.sopInstanceUIDs.indexOf(m.image.sopInstanceUID) ?? -1) + 1}`;
  };
  const session = p.session;

  return (
    <div className="author practice" data-testid="practice-view">
      <div className="author-sets">
        <section className="panel" aria-label="Practice">
          {modeSwitch}
          <h2>Practice</h2>
          <p className="muted small">Read each case as an unknown; your answers are scored at once and kept on this device.</p>
          <select aria-label="Teaching set to practise" value={session?.set.id ?? ''} data-testid="practice-set"
            onChange={(e) => { const s = sets.find((x) => x.id === e.target.value); if (s) { setShowGroup(false); void p.start(s, order); } }}>
            <option value="">— choose a set —</option>
            {sets.map((s) => <option key={s.id} value={s.id}>{s.title} ({s.caseIds.length})</option>)}
          </select>
          <div className="row"><label className="button">Import packet<input type="file" accept=".zip,.lucid.zip,application/zip" hidden data-testid="practice-import"
            onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void packet.importFile(f); }} /></label></div>
          {packet.busy && <p className="muted small" role="status">{packet.busy}</p>}
          {packet.error && <p className="error small" role="alert">{packet.error.name}: {packet.error.message}</p>}
          <label className="small">Order <select value={order} onChange={(e) => setOrder(e.target.value as PracticeOrder)} data-testid="practice-order">
            <option value="ordered">the set's order, once through</option>
            <option value="adaptive">adaptive: what I need most, spaced</option>
          </select></label>
          {session && <p className="small" data-testid="practice-progress">{session.order === 'adaptive' ? `${session.answered} answered` : `Case ${Math.min(session.index + 1, session.cases.length)} of ${session.cases.length}`}</p>}
          {p.error && <p className="error small" role="alert" data-testid="practice-error">{p.error.name}: {p.error.message}</p>}
        </section>
        <ProfilePanel profile={p.profile} fom={fom} />
        <ProgressFilesPanel onExport={() => void files.exportMine()} onImport={(f) => void files.importMine(f)}
          onOpenGroup={(fs) => { setShowGroup(true); void files.openGroup(fs); }} status={files.status} error={files.error} />
      </div>
      <div className="views" ref={container}>
        {showGroup && files.group.length > 0 ? (
          <div className="group-view" data-testid="group-view">
            <div className="row"><h2>Group: {files.group.length} learner{files.group.length === 1 ? '' : 's'}</h2><button onClick={() => setShowGroup(false)}>Close</button></div>
            <GroupTable table={group} />
            <div className="group-charts" data-testid="group-charts">
              {files.group.map((f) => (
                <div key={f.learner.id}><h3>{f.learner.name}</h3><ProfileChart points={profileOf(f.attempts).byBlock} /></div>
              ))}
            </div>
          </div>
        ) : series && c ? (
          <Viewport ref={setRefs} imageIds={imageIds} seriesLabel={series.description || `Series ${series.seriesNumber ?? ''}`} seriesId={seriesKey(series)} modality={series.modality}
            header={header} teachingSafe={teachingSafe} onError={onError} onViewChange={setSync} paint={paint}
            leftTool={tool} annotations={measurements.layer}
            beside={aiPane && <DerivedPane imageId={aiPane.imageId} sync={sync} label={aiPane.label} placeholder="" paint={aiPane.paint}
              onScroll={(d) => viewport.current?.scrollBy(d)} testId="ai-pane" />} />
        ) : <div className="empty">{session && !c ? 'Set finished.' : 'Choose a teaching set to practise.'}</div>}
      </div>
      <div className="side">
        {c && session && !p.result && (
          <PracticePanel value={c} set={session.set} position={{ index: session.index, total: session.cases.length }} marks={p.marks}
            kind={kind} onKind={setKind} onPlace={place} sliceOf={sliceOf} elapsed={elapsed}
            onLabel={(id, label) => p.updateMark(id, { label })} onConfidence={(id, confidence) => p.updateMark(id, { confidence })}
            onRemove={p.removeMark} onSubmit={() => void p.submit(spacingBySop)} />
        )}
        {c && session && p.result && (
          <FeedbackPanel value={c} score={p.result.score} ai={p.result.ai} saveError={p.error?.message ?? null}
            onGoTo={(id) => { const f = c.findings.find((x) => x.id === id); if (f) void goTo(f.image); }}
            onNext={session.order === 'adaptive' || session.index + 1 < session.cases.length ? p.next : null} />
        )}
        {c && (
          <details className="panel" data-testid="practice-measure">
            <summary>Measure while reading{measuring ? ' (the left button measures; W/L to mark again)' : ''}</summary>
            <ToolPicker {...measurements.picker} />
            <MeasurementPanel {...measurements.panel} unit={series?.modality === 'CT' ? 'HU' : ''} />
          </details>
        )}
      </div>
    </div>
  );
});
