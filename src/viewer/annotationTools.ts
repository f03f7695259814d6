// cornerstone-tools' measurement tools as a projection of our Annotation list: registers them per element, puts one
// on the left button, reports what a user draws/edits/removes, and rewrites the tools' state from the list (our list
// is the source of truth). UI thread; points are SOURCE-IMAGE PIXELS. The conversion itself is annotationData.ts.
import cornerstone from 'cornerstone-core';
import cornerstoneTools from 'cornerstone-tools';
import type { Annotation, AnnotationKind, ImageRef, Point } from '../teaching/model';
import { ANNOTATION_TOOL_NAMES, TOOL_OF, kindOfTool, pointsOf, toAnnotation, toToolData, type ToolData } from './annotationData';
import { regionStats, spacingOf } from '../shared/measure';

/** Colour of the selected annotation (cornerstone's own: white, green-yellow while hovered or dragged). */
const SELECTED_COLOR = 'rgb(255, 196, 0)';

/** Per element: who wants to know that a user asked to edit an arrow's text (double-click on it). */
const editTextHandlers = new WeakMap<HTMLElement, (id: string) => void>();

/** Adds the seven measurement tools to `element`, passive (drawn, handles draggable, nothing created on click). */
export function addAnnotationTools(element: HTMLElement): void {
  const t = cornerstoneTools;
  for (const tool of [t.LengthTool, t.AngleTool, regionTool('ellipse'), regionTool('rectangle'), probeTool(), regionTool('freehand')]) {
    t.addToolForElement(element, tool);
  }
  t.addToolForElement(element, t.ArrowAnnotateTool, {
    configuration: {
      // Never window.prompt: a new arrow starts with empty text, the measurement panel edits it.
      allowEmptyLabel: true,
      getTextCallback: (done: (text: string) => void) => done(''),
      changeTextCallback: (data: ToolData, _e: unknown, done: (text: string) => void) => {
        done(data.text ?? '');
        if (data.uuid) editTextHandlers.get(element)?.(data.uuid);
      },
    },
  });
  for (const name of ANNOTATION_TOOL_NAMES) t.setToolPassiveForElement(element, name);
}

type ProbeBase = new (props?: object) => { updateCachedStats(image: unknown, element: HTMLElement, data: ToolData): void };
let probe: unknown;
/**
 * cornerstone-tools' Probe reads pixel (round(x), round(y)), but in cornerstone's pixel space pixel i spans [i, i+1),
 * so the pixel under the handle is floor(x) (as src/shared/measure.ts probeValue reads it). This subclass shifts the
 * handle by half a pixel while the tool computes (round(x − ½) = floor(x)), so its text and our panel agree.
 */
function probeTool(): unknown {
  probe ??= class CentredProbeTool extends (cornerstoneTools.ProbeTool as ProbeBase) {
    override updateCachedStats(image: unknown, element: HTMLElement, data: ToolData): void {
      const end = data.handles.end;
      if (!end) return;
      const { x, y } = end;
      end.x = x - 0.5;
      end.y = y - 0.5;
      try { super.updateCachedStats(image, element, data); } finally { end.x = x; end.y = y; }
    }
  };
  return probe;
}

type StatsImage = import('cornerstone-core').Image;
type StatsBase = new (props?: object) => { updateCachedStats(image: StatsImage, element: HTMLElement, data: ToolData): void };
type RegionKind = 'ellipse' | 'rectangle' | 'freehand';
const regionTools = new Map<RegionKind, unknown>();
/**
 * cornerstone-tools computes its own ROI statistics (pixels whose corner is inside, SD over n), so the text on the
 * image disagreed with the measurement panel (e.g. −439 vs −451 HU on a region crossing the lung edge). These
 * subclasses let the tool compute what else it draws, then put src/shared/measure.ts regionStats (pixel centres,
 * sample SD, geometric area) where its text reads them: the image and the panel show the same numbers.
 */
function regionTool(kind: RegionKind): unknown {
  const base = { ellipse: cornerstoneTools.EllipticalRoiTool, rectangle: cornerstoneTools.RectangleRoiTool, freehand: cornerstoneTools.FreehandRoiTool }[kind] as StatsBase;
  let tool = regionTools.get(kind);
  if (!tool) {
    tool = class OurStatsTool extends base {
      override updateCachedStats(image: StatsImage, element: HTMLElement, data: ToolData): void {
        super.updateCachedStats(image, element, data);
        const points = pointsOf(kind, data);
        if (!points || image.color) return;
        const s = regionStats(image.getPixelData(), image.rows, image.columns, image.slope, image.intercept, kind, points,
          spacingOf(image.rowPixelSpacing && image.columnPixelSpacing ? [image.rowPixelSpacing, image.columnPixelSpacing] : null));
        if (s.pixels === 0) return;
        const area = s.areaMm2 ?? s.areaPx;
        // Ellipse and rectangle draw data.cachedStats; freehand draws data.meanStdDev and data.area.
        if (kind === 'freehand') { data.meanStdDev = { mean: s.mean, stdDev: s.sd }; data.area = area; }
        else data.cachedStats = { ...(data.cachedStats as object | undefined), mean: s.mean, stdDev: s.sd, min: s.min, max: s.max, area };
      }
    };
    regionTools.set(kind, tool);
  }
  return tool;
}

/** Puts `kind`'s tool on the left mouse button, or (null) leaves every measurement tool passive. */
export function setAnnotationTool(element: HTMLElement, kind: AnnotationKind | null): void {
  for (const name of ANNOTATION_TOOL_NAMES) {
    if (cornerstoneTools.getToolForElement(element, name)) cornerstoneTools.setToolPassiveForElement(element, name);
  }
  if (kind && cornerstoneTools.getToolForElement(element, TOOL_OF[kind])) {
    cornerstoneTools.setToolActiveForElement(element, TOOL_OF[kind], { mouseButtonMask: 1 });
  }
}

export interface MeasurementHandlers {
  /** The image a cornerstone imageId shows, by UIDs (undefined: not one of ours, nothing is reported). */
  imageRefOf(imageId: string): ImageRef | undefined;
  /** True when `id` is already in our list (then cornerstone's events are edits, not additions). */
  known(id: string): boolean;
  onAdd(a: Annotation): void;
  onChange(id: string, points: Point[]): void;
  onRemove(id: string): void;
  onEditText?(id: string): void;
}

interface MeasurementEvent { toolName: string; measurementData: ToolData }

/**
 * Reports a user's drawing on `element`: MEASUREMENT_COMPLETED adds (or, for a known id — the freehand tool after an
 * edit — changes); MEASUREMENT_MODIFIED fires on every drag step, so edits are collected and reported once, when the
 * mouse button is released; MEASUREMENT_REMOVED (a handle dragged off the image) removes. Returns the unsubscribe.
 */
export function listenToMeasurements(element: HTMLElement, h: MeasurementHandlers): () => void {
  const E = cornerstoneTools.EVENTS;
  const dirty = new Map<string, { kind: AnnotationKind; data: ToolData }>();
  const detail = (e: Event) => {
    const d = (e as CustomEvent<MeasurementEvent>).detail;
    const kind = kindOfTool(d.toolName);
    const id = d.measurementData.uuid;
    return kind && id ? { kind, id, data: d.measurementData, toolName: d.toolName } : null;
  };
  const completed = (e: Event) => {
    const d = detail(e);
    if (!d) return;
    dirty.delete(d.id);
    if (h.known(d.id)) {
      const points = pointsOf(d.kind, d.data);
      if (points) h.onChange(d.id, points);
      return;
    }
    // The angle tool fires COMPLETED even after it dropped an unfinished measurement: only report what is still drawn.
    const imageId = imageIdOn(element);
    if (!imageId || !toolDataOf(imageId, d.toolName).includes(d.data)) return;
    const ref = h.imageRefOf(imageId);
    const a = ref && toAnnotation(d.toolName, d.data, ref, Date.now());
    if (a) h.onAdd(a);
  };
  const modified = (e: Event) => {
    const d = detail(e);
    if (d && h.known(d.id)) dirty.set(d.id, { kind: d.kind, data: d.data });
  };
  const removed = (e: Event) => {
    const d = detail(e);
    if (d && h.known(d.id)) { dirty.delete(d.id); h.onRemove(d.id); }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  // After the manipulators' own mouse-up handlers (they may still clip or drop the measurement).
  const released = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const [id, { kind, data }] of dirty) {
        const points = pointsOf(kind, data);
        if (points && h.known(id)) h.onChange(id, points);
      }
      dirty.clear();
    }, 0);
  };
  const listeners: [string, (e: Event) => void][] = [
    [E.MEASUREMENT_COMPLETED!, completed], [E.MEASUREMENT_MODIFIED!, modified], [E.MEASUREMENT_REMOVED!, removed],
    [E.MOUSE_UP!, released], [E.MOUSE_CLICK!, released],
  ];
  for (const [name, f] of listeners) element.addEventListener(name, f);
  if (h.onEditText) editTextHandlers.set(element, h.onEditText);
  return () => {
    clearTimeout(timer);
    for (const [name, f] of listeners) element.removeEventListener(name, f);
    editTextHandlers.delete(element);
  };
}

function toolDataOf(imageId: string, toolName: string): ToolData[] {
  return (cornerstoneTools.globalImageIdSpecificToolStateManager.getImageIdToolState(imageId, toolName)?.data ?? []) as ToolData[];
}

/** The imageId on screen, or undefined (no image yet, or the element is already disabled). */
function imageIdOn(element: HTMLElement): string | undefined {
  try { return cornerstone.getEnabledElement(element)?.image?.imageId; } catch { return undefined; }
}

/** imageIds whose measurement state we wrote, per element, so a new list clears exactly what the old one drew. */
const written = new WeakMap<HTMLElement, Set<string>>();

/**
 * Replaces the measurement tools' state with `annotations` (those whose image `imageIdOf` can place) and redraws.
 * Clears what we wrote before plus the image on screen (where cornerstone adds a new drawing), never other tools.
 */
export function applyAnnotations(element: HTMLElement, annotations: readonly Annotation[], imageIdOf: (ref: ImageRef) => string | undefined, selectedId: string | null = null): void {
  const manager = cornerstoneTools.globalImageIdSpecificToolStateManager;
  const state = manager.saveToolState();
  const current = imageIdOn(element);
  const previous = written.get(element) ?? new Set<string>();
  for (const imageId of [...previous, ...(current ? [current] : [])]) {
    const perTool = state[imageId];
    if (perTool) for (const name of ANNOTATION_TOOL_NAMES) delete perTool[name];
  }
  const next = new Set<string>();
  for (const a of annotations) {
    const imageId = imageIdOf(a.image);
    if (!imageId) continue;
    const { toolName, data } = toToolData(a, a.id === selectedId ? SELECTED_COLOR : undefined);
    manager.addImageIdToolState(imageId, toolName, data);
    next.add(imageId);
  }
  written.set(element, next);
  try { cornerstone.updateImage(element); } catch { /* no image yet */ }
}

/** The image point at the centre of the view and a size (source px) that looks about 80 screen px across. */
export function placementInView(element: HTMLElement): { centre: Point; size: number } | null {
  const image = cornerstone.getEnabledElement(element)?.image;
  const vp = cornerstone.getViewport(element);
  if (!image || !vp) return null;
  const r = element.getBoundingClientRect();
  const p = cornerstone.pageToPixel(element, r.left + window.scrollX + r.width / 2, r.top + window.scrollY + r.height / 2);
  const clamp = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  const size = Math.min(80 / Math.max(vp.scale, 1e-6), image.columns / 2, image.rows / 2);
  return { centre: { x: clamp(p.x, image.columns), y: clamp(p.y, image.rows) }, size };
}

/**
 * What cornerstone-tools itself computed (and writes on the image) for the measurements on screen: length (mm),
 * ROI mean and area, probe value. For checking that its text and our panel agree (end-to-end test); not used by the app.
 * @public (the end-to-end test imports it in the page)
 */
export function cornerstoneValues(element: HTMLElement): { id: string; toolName: string; length?: number; mean?: number; area?: number; value?: number }[] {
  const imageId = imageIdOn(element);
  if (!imageId) return [];
  return ANNOTATION_TOOL_NAMES.flatMap((toolName) => toolDataOf(imageId, toolName).map((d) => {
    const stats = d.cachedStats as { mean?: number; area?: number; mo?: number } | undefined;
    return { id: d.uuid ?? '', toolName, length: d.length as number | undefined, mean: stats?.mean, area: stats?.area, value: stats?.mo };
  }));
}
