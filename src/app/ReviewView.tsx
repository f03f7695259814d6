// Review: the main viewport plus what the models add — the enhanced series beside the original (side by side, swipe,
// flicker, difference map, loupe, ROI statistics on both sides) and anomaly screening (heatmap, boxes, findings).
// UI thread; pixels stay in cornerstone's cache and the derived-image store, React state holds ids and numbers.
import { forwardRef, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ComponentProps } from 'react';
import { MODEL_CATALOG } from '../../models/catalog';
import { modelModality } from '../../models/shared/normalise';
import { boxesAt, formatRegionScore, SCREEN_THRESHOLD, type Box } from '../../models/anomaly/postprocess';
import { Viewport, type ViewSync, type ViewportHandle } from '../viewer/Viewport';
import { DerivedPane } from '../viewer/DerivedPane';
import { paintOverlay } from '../viewer/paintOverlay';
import { useHeatmap } from '../viewer/useHeatmap';
import { getDerived } from '../viewer/derivedImages';
import { parseImageId, type LeftTool } from '../viewer/cornerstoneSetup';
import { isAnnotationKind } from '../viewer/annotationData';
import { ModelPanel } from '../components/ModelPanel';
import { CompareOverlay } from '../components/CompareOverlay';
import { ComparePanel, type CompareMode } from '../components/ComparePanel';
import { ScreenPanel, type Finding } from '../components/ScreenPanel';
import { ModelCardDialog } from '../components/ModelCardDialog';
import { MeasurementPanel } from '../components/MeasurementPanel';
import { ExportPrivacyDialog } from '../components/ExportPrivacyDialog';
import { IdentityPanel } from '../components/IdentityPanel';
import type { BurnedInWarning, DerivedModel, ExportPrivacy } from '../../workers/decodeApi';
import { ToolPicker } from '../components/ToolPicker';
import { checkModelFit } from '../inference/checkModelFit';
import { roiStats, type PixelRect } from '../shared/roiStats';
import type { InstanceHeader } from '../shared/types';
import type { ScreenResult } from '../../workers/inference/inferenceApi';
import type { OpenReport } from './useStudies';
import { PacsSendPanel } from '../components/PacsSendPanel';
import { enhancedKey, useInference, type Task } from './useInference';
import { useMeasurements } from './useMeasurements';
import { useIdentity, type IdentityOf } from './useIdentity';
import type { Annotation } from '../teaching/model';
import type { AnnotationStore } from './annotationStore';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import { useStableCallback } from './useStableCallback';

/** Sending to the PACS a series came from (App writes the objects in the decode worker and stores them by STOW-RS). */
export interface PacsSend {
  to: string;
  screening: (frames: { imageId: string; scores: Float32Array; regions: { box: Box; score: number }[] }[], threshold: number, reference: number) => Promise<string>;
  derived: (slices: { imageId: string; values: Float32Array; rows: number; columns: number }[], model: DerivedModel) => Promise<string>;
  measurements: (annotations: Annotation[]) => Promise<string>;
}

interface Props {
  imageIds: string[];
  seriesLabel: string;
  /** Which series (study|series UID), under which the viewer remembers its window. */
  seriesId?: string;
  modality: string;
  header: (instanceId: string) => InstanceHeader | undefined;
  teachingSafe: boolean;
  inference: ReturnType<typeof useInference>;
  onError: (imageId: string, err: Error) => void;
  /** Writes annotations as a DICOM SR and offers it as a download. */
  exportSr?: (annotations: Annotation[], privacy: ExportPrivacy) => Promise<void>;
  /** Writes enhanced slices as a derived DICOM series and offers it as a download; checkImages lists burned-in risks. */
  exportDerived?: (slices: { imageId: string; values: Float32Array; rows: number; columns: number }[], model: DerivedModel, privacy: ExportPrivacy) => Promise<void>;
  checkImages?: (imageIds: string[]) => Promise<BurnedInWarning[]>;
  /** Where measurements are kept (the app's shared IndexedDB connection); a connection of its own when absent. */
  annotationStore?: AnnotationStore;
  /** Which attributes of a loaded instance carry identity (the Identity panel is shown when given). */
  identityOf?: IdentityOf;
  /** The tag browser's source (Review only: in Practice the attributes could give an unknown away). */
  tagsOf?: ComponentProps<typeof Viewport>['tagsOf'];
  /** Structured reports that were opened: their findings on this series' images are listed and drawn. */
  reports?: OpenReport[];
  /** The series came from a PACS: what is made of it can be stored back there (each send answers with a sentence). */
  pacs?: PacsSend;
  /** Downloads the screening as a de-identified DICOM SR + SEG. */
  saveScreening?: (...args: Parameters<PacsSend['screening']>) => Promise<void>;
}

export const ReviewView = forwardRef<ViewportHandle, Props>(function ReviewView({ imageIds, seriesLabel, seriesId, modality, header, teachingSafe, inference, onError, exportSr, exportDerived, checkImages, annotationStore, identityOf, tagsOf, pacs, reports, saveScreening }, ref) {
  const viewport = useRef<ViewportHandle | null>(null);
  const setRefs = useCallback((h: ViewportHandle | null) => {
    viewport.current = h;
    if (typeof ref === 'function') ref(h); else if (ref) ref.current = h;
  }, [ref]);
  const [task, setTask] = useState<Task>('sr-x2');
  const [mode, setMode] = useState<CompareMode>('side');
  const [swipe, setSwipe] = useState(50);
  // The left button: window/level, loupe, the compare panel's ROI, or a measurement tool.
  const [tool, setTool] = useState<LeftTool>('wwwc');
  const compareTool = isAnnotationKind(tool) ? null : tool;
  const [roi, setRoi] = useState<PixelRect | null>(null);
  const [opacity, setOpacity] = useState(0.6);
  const [threshold, setThreshold] = useState<number>(SCREEN_THRESHOLD[modelModality(modality)]);
  const [sync, setSync] = useState<ViewSync | null>(null);
  const [flickerOn, setFlickerOn] = useState(true);
  /** Flicker: how long each image stays on screen (ms). */
  const [flickerMs, setFlickerMs] = useState(600);
  const [card, setCard] = useState(false);
  const [srState, setSrState] = useState<{ busy: boolean; error: ErrorInfo | null }>({ busy: false, error: null });
  const [srDialog, setSrDialog] = useState(false);
  /** The enhanced-series export dialog: open while not null; burnedIn null while the worker checks. */
  const [derivedDialog, setDerivedDialog] = useState<{ burnedIn: BurnedInWarning[] | null; busy: boolean } | null>(null);
  const [derivedError, setDerivedError] = useState<ErrorInfo | null>(null);
  const [identityOpen, setIdentityOpen] = useState(false);

  useEffect(() => { setThreshold(SCREEN_THRESHOLD[modelModality(modality)]); setRoi(null); }, [seriesLabel, modality]);
  useEffect(() => {
    if (mode !== 'flicker') return;
    const t = setInterval(() => setFlickerOn((x) => !x), flickerMs);
    return () => clearInterval(t);
  }, [mode, flickerMs]);

  const { version } = inference;
  const current = sync?.imageId ?? imageIds[0] ?? null;
  const enhancing = task !== 'anomaly';
  const derivedId = current && enhancing ? (mode === 'difference' ? inference.differenceImageId(task, current) : inference.enhancedImageId(task, current)) : null;
  const h = current ? header(parseImageId(current).instanceId) : undefined;
  const measurements = useMeasurements({ imageIds, header, viewport, current, tool, setTool, store: annotationStore });
  const firstId = imageIds[0];
  const identity = useIdentity(identityOf, { first: firstId ? parseImageId(firstId).instanceId : null, inView: current ? parseImageId(current).instanceId : null }, identityOpen);
  const warnings = useMemo(() => (h ? checkModelFit(MODEL_CATALOG[task === 'anomaly' ? 'anomaly' : task], h) : []), [task, h]);

  // Heatmap and boxes of the current slice (anomaly task only).
  const screen = current && task === 'anomaly' ? inference.screen(current) : undefined;

  const boxes = useMemo(() => (screen ? boxesAt(screen, threshold) : []), [screen, threshold]);
  // The series' findings follow the slider a moment later; each slice's boxes are computed once per threshold (at the
  // default threshold the worker's own), so a new result while a series runs costs this thread almost nothing.
  const lazyThreshold = useDeferredValue(threshold);
  // Keyed by the result itself: a slice screened again gets its new boxes, a dropped result takes its entry along.
  const boxCache = useRef(new WeakMap<ScreenResult, { threshold: number; boxes: Box[] }>());
  const { screensOf, has } = inference;
  const findings = useMemo<Finding[]>(() => screensOf(imageIds).flatMap(({ index, result }) => {
    if (!result) return [];
    let hit = boxCache.current.get(result);
    if (!hit || hit.threshold !== lazyThreshold) {
      hit = { threshold: lazyThreshold, boxes: boxesAt(result, lazyThreshold) };
      boxCache.current.set(result, hit);
    }
    return hit.boxes.map((box) => ({ index, box }));
  }).sort((a, b) => b.box.score - a.box.score), [imageIds, lazyThreshold, version, screensOf]); // eslint-disable-line react-hooks/exhaustive-deps -- `version` marks new results in the cache screensOf reads
  const screened = useMemo(() => imageIds.filter((id) => has('anomaly', id)).length, [imageIds, has, version]); // eslint-disable-line react-hooks/exhaustive-deps -- `version` marks new results
  const maxScore = useMemo(() => Math.max(0, ...screensOf(imageIds).map(({ result }) => result?.maxScore ?? 0)), [imageIds, screensOf, version]); // eslint-disable-line react-hooks/exhaustive-deps -- `version` marks new results
  // One colour scale for the series (threshold → highest score screened), the same as the legend's.
  const heatImage = useHeatmap(screen?.scores, screen?.rows ?? 0, screen?.columns ?? 0, threshold, Math.max(maxScore, threshold * 1.01));
  const heat = useMemo(() => (heatImage ? { canvas: heatImage, opacity } : null), [heatImage, opacity]);

  // Findings of opened reports that point at this series' images: listed (with a jump) and drawn on their slice.
  const reported = useMemo(() => {
    const indexOf = new Map<string, number>();
    imageIds.forEach((imageId, index) => { const { instanceId, frame } = parseImageId(imageId); const sop = header(instanceId)?.sopInstanceUID; if (sop) indexOf.set(`${sop}|${frame}`, index); });
    return (reports ?? []).flatMap((r) => r.report.groups.flatMap((g) => g.regions.flatMap((region) => {
      const index = indexOf.get(`${region.sopInstanceUID}|${region.frame}`);
      const score = g.values.find((v) => /score/i.test(v.name));
      const text = `${g.finding || g.label}${score ? ` ${formatRegionScore(score.value)}` : ''}`;
      return index === undefined ? [] : [{ index, text, report: r.header.seriesDescription || r.report.title, observer: r.report.observer, points: region.points }];
    })));
  }, [reports, imageIds, header]);
  const currentIndex = current ? imageIds.indexOf(current) : -1;
  /** Every screened slice of the series: its score map and its regions at the slider's threshold (for SR + SEG). */
  const screeningFrames = () => screensOf(imageIds).flatMap(({ imageId, result }) => (result ? [{ imageId, scores: result.scores, regions: boxesAt(result, threshold).map((box) => ({ box, score: box.score })), reference: result.reference }] : []));
  const reportedHere = useMemo(() => reported.filter((r) => r.index === currentIndex).map((r) => ({ points: r.points, label: r.text })), [reported, currentIndex]);

  const derivedScale = derivedId ? (getDerived(derivedId.slice('lucid-derived:'.length))?.columns ?? 1) / (h?.columns || 1) : 1;
  const paintMain = useCallback((el: HTMLElement, ctx: CanvasRenderingContext2D) => {
    paintOverlay(el, ctx, { heatmap: task === 'anomaly' ? heat : null, boxes: task === 'anomaly' ? boxes : [], roi, reported: reportedHere });
  }, [task, heat, boxes, roi, reportedHere]);
  const paintDerived = useCallback((el: HTMLElement, ctx: CanvasRenderingContext2D) => {
    paintOverlay(el, ctx, { roi, scale: derivedScale });
  }, [roi, derivedScale]);
  useEffect(() => { viewport.current?.redraw(); }, [paintMain]);

  // ROI statistics in modality units on both sides (the enhanced grid is `derivedScale` times finer).
  const stats = useMemo(() => {
    if (!roi || !current) return null;
    const image = viewport.current?.image();
    if (!image || image.imageId !== current || image.color) return null;
    // Stored values, then the rescale (linear): mean and SD in modality units without copying the image.
    const s = roiStats(image.getPixelData(), image.rows, image.columns, roi);
    const original = { ...s, mean: s.mean * image.slope + image.intercept, sd: s.sd * Math.abs(image.slope) };
    const d = enhancing ? getDerived(enhancedKey(task, current)) : undefined;
    return { original, enhanced: d ? roiStats(d.values, d.rows, d.columns, roi, d.columns / image.columns) : null };
  }, [roi, current, task, enhancing, version]); // eslint-disable-line react-hooks/exhaustive-deps -- `version` marks a new enhanced image in the derived store

  // Slices of this series with an enhanced result in the derived store (for the derived-series export).
  const enhancedIds = useMemo(() => (enhancing ? imageIds.filter((id) => getDerived(enhancedKey(task, id))) : []), [enhancing, imageIds, task, version]); // eslint-disable-line react-hooks/exhaustive-deps -- `version` marks a new enhanced image in the derived store

  // denoise: the noise SD the model estimated on this slice and was set to (it adapts to the level; shown beside it).
  const noiseSd = task === 'denoise' && current ? getDerived(enhancedKey('denoise', current))?.noiseSd : undefined;
  const noiseNote = noiseSd === undefined ? undefined
    : `Noise estimated on this slice: SD ≈ ${noiseSd < 10 ? noiseSd.toPrecision(2) : Math.round(noiseSd)}${modality === 'CT' ? ' HU' : ' (scanner units)'}; the model was set to this level.`;

  // Callbacks handed to the memoised side panels keep their identity (this view re-renders on every slice and pan).
  const run = useStableCallback((scope: 'slice' | 'series') => {
    const targets = scope === 'slice' && current ? [current] : imageIds;
    void inference.start(task, targets);
  });
  const openCard = useCallback(() => setCard(true), []);
  const jump = useCallback((i: number) => viewport.current?.scrollTo(i), []);
  const toggleIdentity = useCallback(() => setIdentityOpen((x) => !x), []);
  const openSrDialog = useCallback(() => setSrDialog(true), []);
  const onRoiDerived = (r: PixelRect) => setRoi({ rowMin: r.rowMin / derivedScale, rowMax: r.rowMax / derivedScale, columnMin: r.columnMin / derivedScale, columnMax: r.columnMax / derivedScale });
  const label = `${MODEL_CATALOG[task === 'anomaly' ? 'anomaly' : task].title}${mode === 'difference' ? ': difference (enhanced − original)' : ''}`;
  const overlay = enhancing && (mode === 'swipe' || mode === 'flicker');
  const pane = enhancing && (
    <DerivedPane
      imageId={derivedId}
      sync={sync}
      label={label}
      placeholder={`Not run on this slice yet: ${MODEL_CATALOG[task].title} → “Run on this slice”.`}
      onViewChange={overlay ? undefined : (s) => viewport.current?.follow(s, { window: mode !== 'difference' })}
      onScroll={(d) => viewport.current?.scrollBy(d)}
      paint={paintDerived}
      leftTool={compareTool ?? 'wwwc'}
      onRoi={onRoiDerived}
      className={overlay ? 'over' : ''}
      style={overlay ? { clipPath: mode === 'swipe' ? `inset(0 0 0 ${swipe}%)` : undefined, visibility: mode === 'flicker' && !flickerOn ? 'hidden' : 'visible' } : undefined}
      testId={mode === 'difference' ? 'difference-pane' : 'derived-pane'}
      hideLabel={overlay}
      differenceUnit={mode === 'difference' ? (modality === 'CT' ? 'HU' : 'signal') : undefined}
    />
  );

  return (
    <div className="review">
      <div className="views">
        <Viewport
          ref={setRefs}
          imageIds={imageIds}
          seriesLabel={seriesLabel}
          seriesId={seriesId}
          tagsOf={tagsOf}
          modality={modality}
          header={header}
          teachingSafe={teachingSafe}
          onError={onError}
          onViewChange={setSync}
          paint={paintMain}
          leftTool={tool}
          onRoi={setRoi}
          annotations={measurements.layer}
          beside={!overlay && pane}
        >
          {overlay && pane}
          {overlay && (mode === 'swipe' || mode === 'flicker') && (
            <CompareOverlay mode={mode} swipe={swipe} onSwipe={setSwipe} showingEnhanced={flickerOn && !!derivedId} enhancedLabel={MODEL_CATALOG[task].title} />
          )}
        </Viewport>
      </div>
      <div className="side">
        {identityOf && <IdentityPanel {...identity} teachingSafe={teachingSafe} expanded={identityOpen} onToggle={toggleIdentity} />}
        <ToolPicker {...measurements.picker} />
        <MeasurementPanel {...measurements.panel} unit={modality === 'CT' ? 'HU' : ''} exportState={srState}
          onExportSr={exportSr && openSrDialog} />
        {srDialog && exportSr && (
          <ExportPrivacyDialog title="Export measurements as DICOM SR" allowKeepIdentity burnedIn={[]} busy={srState.busy} onCancel={() => setSrDialog(false)}
            onExport={(choice) => {
              setSrState({ busy: true, error: null });
              exportSr(measurements.annotations, { options: choice.options, keepIdentity: choice.keepIdentity }).then(
                () => { setSrState({ busy: false, error: null }); setSrDialog(false); },
                (e: unknown) => { setSrState({ busy: false, error: toErrorInfo(e) }); setSrDialog(false); },
              );
            }} />
        )}
        <ModelPanel task={task} onTask={setTask} onPrepare={inference.prepare} onRun={run} onCancel={inference.cancel} onCard={openCard}
          progress={inference.progress} info={inference.info} preparing={inference.preparing} error={inference.error} warnings={warnings} note={noiseNote} />
        {enhancing && <ComparePanel mode={mode} onMode={setMode} swipe={swipe} onSwipe={setSwipe} flickerMs={flickerMs} onFlickerMs={setFlickerMs} tool={compareTool} onTool={setTool} roi={stats} unit={modality === 'CT' ? 'HU' : ''} />}
        {enhancing && exportDerived && checkImages && enhancedIds.length > 0 && (
          <button onClick={() => {
            setDerivedError(null);
            setDerivedDialog({ burnedIn: null, busy: false });
            checkImages(enhancedIds).then((burnedIn) => setDerivedDialog((d) => d && { ...d, burnedIn }), (e: unknown) => { setDerivedDialog(null); setDerivedError(toErrorInfo(e)); });
          }} data-testid="export-derived" title="Download the enhanced slices as a derived DICOM series (model and sha256 named in each file)">
            Export {enhancedIds.length} enhanced slice{enhancedIds.length === 1 ? '' : 's'} (DICOM)
          </button>
        )}
        {derivedError && (
          <div className="warning" role="alert" data-testid="export-derived-error">
            <strong>{derivedError.name}</strong>: {derivedError.message} <button className="link" onClick={() => setDerivedError(null)}>dismiss</button>
          </div>
        )}
        {derivedDialog && exportDerived && (
          <ExportPrivacyDialog title={`Export ${MODEL_CATALOG[task === 'anomaly' ? 'sr-x2' : task].title} as a derived series`} allowKeepIdentity burnedIn={derivedDialog.burnedIn} busy={derivedDialog.busy}
            onCancel={() => setDerivedDialog(null)}
            onExport={(choice) => {
              if (task === 'anomaly') return;
              const model = MODEL_CATALOG[task];
              const slices = enhancedIds.flatMap((imageId) => { const d = getDerived(enhancedKey(task, imageId)); return d ? [{ imageId, values: d.values, rows: d.rows, columns: d.columns }] : []; });
              setDerivedDialog((d) => d && { ...d, busy: true });
              exportDerived(slices, { modelId: task, modelTitle: model.title, sha256: model.sha256, scale: model.scale }, { options: choice.options, keepIdentity: choice.keepIdentity, acknowledgedBurnedIn: choice.acknowledgedBurnedIn })
                .then(() => setDerivedDialog(null), (e: unknown) => { setDerivedDialog(null); setDerivedError(toErrorInfo(e)); });
            }} />
        )}
        {task === 'anomaly' && (
          <ScreenPanel opacity={opacity} onOpacity={setOpacity} threshold={threshold} onThreshold={setThreshold} maxScore={maxScore}
            findings={findings} screened={screened} total={imageIds.length} onJump={jump} />
        )}
        {task === 'anomaly' && saveScreening && screened > 0 && (
          <button data-testid="save-screening" title="Download the findings as a DICOM SR (regions, scores, the model and its sha256) and SEG (thresholded regions), de-identified"
            onClick={() => { const frames = screeningFrames(); void saveScreening(frames, threshold, frames[0]!.reference).catch((e: unknown) => setDerivedError(toErrorInfo(e))); }}>
            Save findings as DICOM (SR + SEG)
          </button>
        )}
        {reported.length > 0 && (
          <section className="panel" aria-label="Findings in opened reports" data-testid="reported">
            <h3>In opened reports ({reported.length})</h3>
            <ol className="findings">
              {reported.map((r, i) => (
                <li key={i} data-testid="reported-item"><button className="link" onClick={() => viewport.current?.scrollTo(r.index)}>Slice {r.index + 1}: {r.text}</button> <span className="muted small">{r.report}{r.observer ? ` (${r.observer})` : ''}</span></li>
              ))}
            </ol>
          </section>
        )}
        {pacs && (
          <PacsSendPanel to={pacs.to} actions={[
            ...(enhancing && enhancedIds.length > 0 ? [{ id: 'derived', label: `${enhancedIds.length} enhanced slice${enhancedIds.length === 1 ? '' : 's'}`, run: () => {
              const model = MODEL_CATALOG[task];
              const slices = enhancedIds.flatMap((imageId) => { const d = getDerived(enhancedKey(task, imageId)); return d ? [{ imageId, values: d.values, rows: d.rows, columns: d.columns }] : []; });
              return pacs.derived(slices, { modelId: task, modelTitle: model.title, sha256: model.sha256, scale: model.scale });
            } }] : []),
            ...(measurements.annotations.length > 0 ? [{ id: 'measurements', label: 'Measurements (SR)', run: () => pacs.measurements(measurements.annotations) }] : []),
            ...(task === 'anomaly' && screened > 0 ? [{ id: 'screening', label: 'Findings (SR + SEG)', run: () => {
              const frames = screeningFrames();
              return pacs.screening(frames, threshold, frames[0]!.reference);
            } }] : []),
          ]} />
        )}
      </div>
      {card && <ModelCardDialog task={task} onClose={() => setCard(false)} />}
    </div>
  );
});
