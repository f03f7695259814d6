// The Cornerstone viewport: a stack of images with window/level, pan, zoom, scroll, cine, invert, presets,
// and corner overlays. UI thread. Pixel data never passes through React state; state holds indices and numbers.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState, type ReactNode } from 'react';
import cornerstone from 'cornerstone-core';
import cornerstoneTools from 'cornerstone-tools';
import { WINDOW_PRESETS, autoWindow, type Window } from '../shared/voi';
import type { InstanceHeader } from '../shared/types';
import { enableElement, parseImageId, setLeftTool, setTouchMode, type LeftTool, type TouchMode } from './cornerstoneSetup';
import { useRoiDrawing } from './useRoiDrawing';
import { useAnnotationLayer, type AnnotationLayer } from './useAnnotationLayer';
import { placementInView } from './annotationTools';
import type { PixelRect } from '../shared/roiStats';
import { followView, type ViewSync } from './followView';
import { maskIdentity } from '../shared/maskIdentity';
import { rememberSeriesView, seriesViewOf } from './seriesViews';
import { edgeLabels, scaleBar, sliceLocationOf } from '../shared/orientation';
import './viewportOverlay.css';
import type { TagRow } from '../dicom/tagList';
import { TagBrowser } from '../components/TagBrowser';
import { viewLabels, viewPng } from './viewPng';
import { downloadBlob } from '../app/download';
import type { ErrorInfo } from '../shared/errors';

export { followView, type ViewSync };

export interface ViewportHandle {
  scrollBy(delta: number): void;
  scrollTo(index: number): void;
  toggleInvert(): void;
  reset(): void;
  fit(): void;
  toggleCine(): void;
  applyPreset(key: string): void;
  /** Follow a linked view: its viewport scaled from its grid (`columns`) to this image's grid (`window: false` keeps this view's window). */
  follow(sync: ViewSync, options?: { window?: boolean }): void;
  redraw(): void;
  /** The cornerstone image on screen (stored values + rescale), for ROI statistics. */
  image(): import('cornerstone-core').Image | undefined;
  /** Where a keyboard user's new annotation goes: the image point at the view's centre and a size (source px). */
  placement(): ReturnType<typeof placementInView>;
}

interface Props {
  imageIds: string[];
  seriesLabel: string;
  /** Which series this is (study and series UIDs); defaults to the label. Its window is remembered under it. */
  seriesId?: string;
  modality: string;
  header: (instanceId: string) => InstanceHeader | undefined;
  teachingSafe: boolean;
  onError?: (imageId: string, error: Error) => void;
  /** Called after every render with the current image and viewport (linked views follow it). */
  onViewChange?: (sync: ViewSync) => void;
  /** Draws overlay layers after every render, in canvas space (see paintOverlay). */
  paint?: (element: HTMLElement, ctx: CanvasRenderingContext2D, imageId: string) => void;
  leftTool?: LeftTool;
  onRoi?: (rect: PixelRect) => void;
  /** Measurements and annotations drawn with cornerstone-tools (our list is the source of truth). */
  annotations?: AnnotationLayer;
  /** Drawn over the image (swipe/flicker layers). */
  children?: ReactNode;
  /** Shown to the right of the image at the same height (a linked view). */
  beside?: ReactNode;
  /** The attributes of an instance for the tag browser (a "Tags" button appears when given). */
  tagsOf?: (instanceId: string, hideIdentity: boolean) => Promise<TagRow[] | null>;
}

interface ViewState { index: number; window: Window | null; zoom: number; invert: boolean }

export const Viewport = forwardRef<ViewportHandle, Props>(function Viewport({ imageIds, seriesLabel, seriesId, modality, header, teachingSafe, onError, onViewChange, paint, leftTool = 'wwwc', onRoi, annotations, children, beside, tagsOf }, ref) {
  const el = useRef<HTMLDivElement>(null);
  const ids = useRef<string[]>(imageIds);
  const [view, setView] = useState<ViewState>({ index: 0, window: null, zoom: 1, invert: false });
  const [playing, setPlaying] = useState(false);
  const [fps, setFps] = useState(10);
  const [failed, setFailed] = useState<string | null>(null);
  /** The series on screen (its `seriesId`, else label); its window is remembered when the view leaves it. */
  const seriesKey = useRef<string>('');
  /** The slice the view put up by itself (a series' first); the reader has not moved while it is the one in view. */
  const firstShown = useRef<string | null>(null);
  const hooks = useRef({ onViewChange, paint });
  hooks.current = { onViewChange, paint };

  // Enable once; tear down on unmount (OHIF: setup undone on exit).
  useEffect(() => {
    const element = el.current!;
    // Measurement tools only where annotations are shown (decided at mount; a view does not switch).
    const disable = enableElement(element, { annotate: Boolean(annotations) });
    const onRendered = (e: Event) => {
      const d = (e as CustomEvent).detail as { viewport: import('cornerstone-core').Viewport; image: { imageId: string; columns: number }; canvasContext: CanvasRenderingContext2D };
      const index = Math.max(0, ids.current.indexOf(d.image.imageId));
      hooks.current.paint?.(element, d.canvasContext, d.image.imageId);
      hooks.current.onViewChange?.({ imageId: d.image.imageId, index, viewport: d.viewport, columns: d.image.columns });
      setView({
        index,
        window: { center: d.viewport.voi.windowCenter, width: d.viewport.voi.windowWidth },
        zoom: d.viewport.scale,
        invert: d.viewport.invert,
      });
    };
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED!, onRendered);
    const resize = new ResizeObserver(() => { try { cornerstone.resize(element, true); } catch { /* no image yet */ } });
    resize.observe(element);
    return () => {
      resize.disconnect();
      element.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED!, onRendered);
      const shown = cornerstone.getEnabledElement(element)?.image ? cornerstone.getViewport(element) : undefined;
      if (seriesKey.current && shown) rememberSeriesView(seriesKey.current, { center: shown.voi.windowCenter, width: shown.voi.windowWidth, invert: shown.invert });
      disable();
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- enabled once; `annotations` is read at mount on purpose

  // After the enabling effect above (effects run in order), so the tools exist. One finger on a touch screen scrolls
  // unless the reader switched it to window/level (re-applied after the left tool: a measurement tool takes touch).
  const [touchMode, setTouchModeState] = useState<TouchMode>('scroll');
  useEffect(() => {
    if (!el.current) return;
    setLeftTool(el.current, leftTool);
    if (leftTool === 'wwwc' || leftTool === 'loupe') setTouchMode(el.current, touchMode);
  }, [leftTool, touchMode]);
  useRoiDrawing(el, leftTool === 'roi', onRoi);
  useAnnotationLayer(el, annotations);

  /**
   * Shows `imageId`. Within a series the viewport stays; a series shown anew starts from its own window (the image's:
   * header, else data) or the one the user left it with — never the previous series' (cornerstone keeps an element's
   * viewport across images unless given one).
   */
  const show = useCallback(async (imageId: string, keepViewport: boolean, series?: string) => {
    const element = el.current;
    if (!element) return;
    try {
      const image = await cornerstone.loadAndCacheImage(imageId);
      const saved = series ? seriesViewOf(series) : undefined;
      const vp = keepViewport ? cornerstone.getViewport(element) : {
        voi: { windowCenter: saved?.center ?? image.windowCenter, windowWidth: saved?.width ?? image.windowWidth },
        invert: saved?.invert ?? image.invert, rotation: 0, hflip: false, vflip: false,
      };
      cornerstone.displayImage(element, image, vp);
      if (!keepViewport) cornerstone.fitToWindow(element);
      setFailed(null);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      setFailed(`${err.name}: ${err.message}`);
      onError?.(imageId, err);
    }
  }, [onError]);

  // New series → new stack from the first image; same series growing while loading → keep the current image.
  const key = seriesId ?? seriesLabel;
  useEffect(() => {
    const element = el.current!;
    const previous = ids.current;
    ids.current = imageIds;
    if (imageIds.length === 0) return;
    const state = cornerstoneTools.getToolState(element, 'stack')?.data[0];
    if (seriesKey.current === key && state) {
      const current = previous[state.currentImageIdIndex];
      state.imageIds = imageIds;
      // A series still arriving: until the reader moves, the view follows its first slice in order (the first file
      // to arrive need not be it); once they have moved, their slice stays put as slices arrive around it.
      if (current === firstShown.current && imageIds[0] !== current) {
        state.currentImageIdIndex = 0;
        firstShown.current = imageIds[0]!;
        void show(imageIds[0]!, true);
      } else {
        state.currentImageIdIndex = Math.max(0, current ? imageIds.indexOf(current) : 0);
      }
      setView((v) => ({ ...v, index: state.currentImageIdIndex }));
      return;
    }
    // Leaving a series: remember how the user left it.
    const shown = cornerstone.getViewport(element);
    if (seriesKey.current && shown && cornerstone.getEnabledElement(element)?.image) {
      rememberSeriesView(seriesKey.current, { center: shown.voi.windowCenter, width: shown.voi.windowWidth, invert: shown.invert });
    }
    seriesKey.current = key;
    try { cornerstoneTools.stopClip(element); } catch { /* not playing */ }
    setPlaying(false);
    cornerstoneTools.clearToolState(element, 'stack');
    cornerstoneTools.addToolState(element, 'stack', { currentImageIdIndex: 0, imageIds });
    firstShown.current = imageIds[0]!;
    void show(imageIds[0]!, false, key);
  }, [imageIds, key, show]);

  const scrollTo = useCallback((index: number) => {
    const element = el.current!;
    const n = ids.current.length;
    if (n === 0) return;
    const i = Math.min(n - 1, Math.max(0, index));
    const state = cornerstoneTools.getToolState(element, 'stack')?.data[0];
    if (state) state.currentImageIdIndex = i;
    void show(ids.current[i]!, true);
  }, [show]);

  const setWindow = (w: Window) => {
    const element = el.current!;
    const vp = cornerstone.getViewport(element);
    if (!vp) return;
    vp.voi = { windowCenter: w.center, windowWidth: w.width };
    cornerstone.setViewport(element, vp);
  };

  const applyPreset = (key: string) => {
    const element = el.current!;
    const preset = (WINDOW_PRESETS[modality] ?? []).find((p) => p.key === key || p.name === key);
    if (preset) { setWindow(preset.window); return; }
    if (key === '0' || key === 'auto') {
      const image = cornerstone.getEnabledElement(element)?.image;
      if (image) setWindow(autoWindow(image.getPixelData(), image.slope, image.intercept, Math.max(1, Math.floor(image.rows * image.columns / 65536))));
    }
  };

  const toggleCine = () => {
    const element = el.current!;
    if (playing) cornerstoneTools.stopClip(element);
    else cornerstoneTools.playClip(element, fps);
    setPlaying(!playing);
  };

  // One action per control, used by the toolbar buttons and the keyboard alike.
  const toggleInvert = () => {
    const vp = cornerstone.getViewport(el.current!);
    if (vp) { vp.invert = !vp.invert; cornerstone.setViewport(el.current!, vp); }
  };
  const reset = () => { try { cornerstone.reset(el.current!); } catch { /* no image yet */ } };
  const fit = () => { try { cornerstone.fitToWindow(el.current!); } catch { /* no image yet */ } };

  useImperativeHandle(ref, () => ({
    scrollBy: (d) => {
      const state = cornerstoneTools.getToolState(el.current!, 'stack')?.data[0];
      scrollTo((state?.currentImageIdIndex ?? 0) + d);
    },
    scrollTo,
    toggleInvert,
    reset,
    fit,
    toggleCine,
    applyPreset,
    follow: (sync, options) => followView(el.current!, sync, options),
    redraw: () => { try { cornerstone.updateImage(el.current!); } catch { /* no image yet */ } },
    image: () => cornerstone.getEnabledElement(el.current!)?.image,
    placement: () => placementInView(el.current!),
  }));

  const current = ids.current[view.index];
  const h = current ? header(parseImageId(current).instanceId) : undefined;
  // The tag browser: the rows of the instance in view, read again when it or teaching-safe changes.
  const [tagsOpen, setTagsOpen] = useState(false);
  const [tags, setTags] = useState<{ key: string; rows: TagRow[] | null; error: ErrorInfo | null } | null>(null);
  const instanceInView = current ? parseImageId(current).instanceId : null;
  const tagsKey = `${instanceInView}|${teachingSafe}`;
  useEffect(() => {
    if (!tagsOpen || !tagsOf || !instanceInView) return;
    let alive = true;
    tagsOf(instanceInView, teachingSafe).then(
      (rows) => { if (alive) setTags({ key: tagsKey, rows, error: null }); },
      (e: Error) => { if (alive) setTags({ key: tagsKey, rows: null, error: { name: e.name, message: e.message } }); },
    );
    return () => { alive = false; };
  }, [tagsOpen, tagsOf, instanceInView, teachingSafe, tagsKey]);
  const tagsNow = tags?.key === tagsKey ? tags : null;
  const hidden = 'hidden (teaching-safe)';
  const edges = h ? edgeLabels(h.imageOrientationPatient) : null;
  // Screen pixels per mm across the image (cornerstone's scale is canvas pixels per image pixel).
  const bar = h?.pixelSpacing ? scaleBar(view.zoom / h.pixelSpacing[1]) : null;
  const location = h ? sliceLocationOf(h) : null;
  const mm = (v: number) => `${Number(v.toFixed(2))} mm`;
  const savePng = async (withLabels: boolean) => {
    const canvas = el.current?.querySelector('canvas');
    if (!canvas) return;
    const labels = withLabels ? viewLabels(h, {
      seriesLabel, modality, slice: `Slice ${view.index + 1}/${imageIds.length}`,
      window: view.window ? `W ${Math.round(view.window.width)} L ${Math.round(view.window.center)}` : '',
      location: [location !== null ? `Loc ${mm(location)}` : '', h?.sliceThickness ? `Th ${mm(h.sliceThickness)}` : ''].filter(Boolean).join(' · '),
      edges, bar,
    }) : null;
    downloadBlob(await viewPng(canvas, labels), `${modality || 'view'} slice ${view.index + 1}${withLabels ? '' : ' (image)'}.png`);
  };
  const presets = WINDOW_PRESETS[modality] ?? [];

  return (
    <div className="viewport-wrap">
      <div className="toolbar" role="toolbar" aria-label="Viewer tools">
        {presets.map((p) => (
          <button key={p.key} onClick={() => applyPreset(p.key)} title={`${p.name}: W ${p.window.width} L ${p.window.center} (key ${p.key})`}>{p.name}</button>
        ))}
        <button onClick={() => applyPreset('auto')} title="Window from the image's 1st–99th percentile (key 0)">{modality === 'MR' ? 'MR auto' : 'Auto'}</button>
        <button onClick={toggleInvert} aria-pressed={view.invert}>Invert</button>
        <button onClick={reset}>Reset</button>
        <button onClick={fit}>Fit</button>
        <button onClick={toggleCine} aria-pressed={playing} data-testid="cine">{playing ? 'Stop' : 'Play'}</button>
        <button onClick={() => setTouchModeState((m) => (m === 'scroll' ? 'wwwc' : 'scroll'))} aria-pressed={touchMode === 'wwwc'}
          title="On a touch screen one finger scrolls the slices; pressed, it windows (pinch zooms, two fingers pan)" data-testid="touch-wwwc">Touch W/L</button>
        <button onClick={() => void savePng(true)} title="Save the view as a PNG for slides, with its labels (never the patient's name or ID)" data-testid="save-png">Save PNG</button>
        <button onClick={() => void savePng(false)} title="Save the image alone as a PNG" data-testid="save-png-plain">PNG (image only)</button>
        {tagsOf && <button onClick={() => setTagsOpen(true)} title="All DICOM attributes of the image in view" data-testid="tags-open">Tags</button>}
        <label className="fps">fps <input type="number" min={1} max={60} value={fps} onChange={(e) => {
          const v = Math.min(60, Math.max(1, Number(e.target.value) || 1));
          setFps(v);
          if (playing) { cornerstoneTools.stopClip(el.current!); cornerstoneTools.playClip(el.current!, v); }
        }} /></label>
      </div>
      <div className="viewport-row">
      <div className="viewport" ref={el} data-testid="viewport" onContextMenu={(e) => e.preventDefault()}>
        <div className="overlay tl" data-testid="overlay-series">
          <div>{teachingSafe && h ? maskIdentity(seriesLabel, h) : seriesLabel}</div>
          <div>{modality}</div>
        </div>
        <div className="overlay tr" data-testid="overlay-patient">
          <div>{teachingSafe ? `Patient: ${hidden}` : h?.patientName || '—'}</div>
          {!teachingSafe && <div>ID {h?.patientID || '—'} · born {h?.patientBirthDate || '—'}</div>}
          {!teachingSafe && <div>{h?.institutionName || ''}</div>}
        </div>
        <div className="overlay bl">
          <div data-testid="overlay-slice">Slice {imageIds.length ? view.index + 1 : 0}/{imageIds.length}</div>
          {(location !== null || h?.sliceThickness) && (
            <div data-testid="overlay-location">{[location !== null ? `Loc ${mm(location)}` : '', h?.sliceThickness ? `Th ${mm(h.sliceThickness)}` : ''].filter(Boolean).join(' · ')}</div>
          )}
          <div data-testid="overlay-window">{view.window ? `W ${Math.round(view.window.width)} L ${Math.round(view.window.center)}` : ''}</div>
        </div>
        <div className="overlay br">
          {bar ? (
            <div className="scale-bar" data-testid="scale-bar" aria-label={`Scale bar: ${bar.mm} mm`}>
              <div className="scale-bar-line" style={{ width: `${bar.px}px` }} />
              <span>{bar.mm} mm</span>
            </div>
          ) : h && <div className="muted" data-testid="scale-bar-none">No pixel spacing: sizes in mm unavailable</div>}
          <div data-testid="overlay-zoom">Zoom {view.zoom.toFixed(2)}×</div>
        </div>
        {edges && (
          <>
            <div className="overlay edge edge-left" data-testid="orientation-left">{edges.left}</div>
            <div className="overlay edge edge-right" data-testid="orientation-right">{edges.right}</div>
            <div className="overlay edge edge-top" data-testid="orientation-top">{edges.top}</div>
            <div className="overlay edge edge-bottom" data-testid="orientation-bottom">{edges.bottom}</div>
          </>
        )}
        {failed && <div className="overlay error" role="alert">{failed}</div>}
        {children}
      </div>
      {beside}
      </div>
      {tagsOpen && <TagBrowser rows={tagsNow?.rows ?? null} error={tagsNow?.error ?? null} teachingSafe={teachingSafe} onClose={() => setTagsOpen(false)} />}
    </div>
  );
});
