// Our Annotation record ↔ cornerstone-tools v6 measurement data (the legacy tools' `handles` shapes). Pure: no
// cornerstone import, so it is unit-tested in Node. Both sides are in SOURCE-IMAGE PIXELS (cornerstone's pixel
// space), so conversion copies coordinates and never touches the viewport (zoom/pan cannot change stored points).
import type { Annotation, AnnotationKind, ImageRef, Point } from '../teaching/model';
import { ANNOTATION_KINDS } from '../teaching/model';

/** cornerstone-tools' name of the tool that draws each kind. */
export const TOOL_OF: Readonly<Record<AnnotationKind, string>> = {
  length: 'Length', angle: 'Angle', ellipse: 'EllipticalRoi', rectangle: 'RectangleRoi',
  probe: 'Probe', arrow: 'ArrowAnnotate', freehand: 'FreehandRoi',
};

export const ANNOTATION_TOOL_NAMES: readonly string[] = ANNOTATION_KINDS.map((k) => TOOL_OF[k]);

export function kindOfTool(toolName: string): AnnotationKind | undefined {
  return ANNOTATION_KINDS.find((k) => TOOL_OF[k] === toolName);
}

export function isAnnotationKind(s: string): s is AnnotationKind {
  return (ANNOTATION_KINDS as readonly string[]).includes(s);
}

export interface ToolHandle { x: number; y: number; highlight?: boolean; active?: boolean; lines?: Point[] }

/** The parts of a cornerstone-tools measurement we read and write (each tool adds its own cached values). */
export interface ToolData {
  uuid?: string;
  visible?: boolean;
  active?: boolean;
  invalidated?: boolean;
  color?: string;
  text?: string;
  handles: {
    start?: ToolHandle; middle?: ToolHandle; end?: ToolHandle; points?: ToolHandle[];
    textBox?: Record<string, unknown>; initialRotation?: number;
  };
  polyBoundingBox?: { left: number; top: number; width: number; height: number };
  [cached: string]: unknown;
}

const xy = (h: ToolHandle | undefined): Point | null => (h && Number.isFinite(h.x) && Number.isFinite(h.y) ? { x: h.x, y: h.y } : null);

/** The points of a measurement in our order (model.ts POINT_COUNT), or null when a handle is missing. */
export function pointsOf(kind: AnnotationKind, data: ToolData): Point[] | null {
  const h = data.handles;
  const pts = kind === 'freehand' ? (h.points ?? []).map(xy)
    : kind === 'angle' ? [xy(h.start), xy(h.middle), xy(h.end)]
    : kind === 'probe' ? [xy(h.end)]
    // Arrow: cornerstone's `arrowFirst` draws the head at `start` (where the drag began), so start is our tip.
    : [xy(h.start), xy(h.end)];
  if (pts.some((p) => p === null)) return null;
  return kind === 'freehand' && pts.length < 3 ? null : (pts as Point[]);
}

/** A finished cornerstone measurement as our record; its id is the measurement's uuid. */
export function toAnnotation(toolName: string, data: ToolData, image: ImageRef, now: number): Annotation | null {
  const kind = kindOfTool(toolName);
  const points = kind && pointsOf(kind, data);
  if (!kind || !points || !data.uuid) return null;
  return { id: data.uuid, kind, image, points, label: '', text: kind === 'arrow' ? (data.text ?? '') : '', createdAt: now, updatedAt: now };
}

const handle = (p: Point): ToolHandle => ({ x: p.x, y: p.y, highlight: true, active: false });
const textBox = () => ({ active: false, hasMoved: false, movesIndependently: false, drawnIndependently: true, allowedOutsideImage: true, hasBoundingBox: true });

/** Fresh cornerstone measurement data for one of our records (`invalidated`, so the tool recomputes its stats). */
export function toToolData(a: Annotation, color?: string): { toolName: string; data: ToolData } {
  const p = a.points;
  const base = { uuid: a.id, visible: true, active: false, invalidated: true, color };
  const two = () => ({ start: handle(p[0]!), end: handle(p[1]!), textBox: textBox() });
  let data: ToolData;
  switch (a.kind) {
    case 'length': case 'rectangle': data = { ...base, handles: two() }; break;
    case 'ellipse': data = { ...base, handles: { ...two(), initialRotation: 0 } }; break;
    case 'arrow': data = { ...base, text: a.text, handles: two() }; break;
    case 'angle': data = { ...base, handles: { start: handle(p[0]!), middle: handle(p[1]!), end: handle(p[2]!), textBox: textBox() } }; break;
    case 'probe': data = { ...base, handles: { end: handle(p[0]!) } }; break;
    case 'freehand': {
      const pts = p.map(handle);
      // Each handle links to the next (the tool draws and edits through `lines`); the last closes on the first.
      pts.forEach((h, i) => { h.lines = [pts[(i + 1) % pts.length]!]; });
      const xs = p.map((q) => q.x), ys = p.map((q) => q.y);
      const left = Math.min(...xs), top = Math.min(...ys);
      // A bounding box marks the contour as closed (without it the tool draws a rubber band to the mouse).
      data = { ...base, handles: { points: pts, textBox: textBox() }, polyBoundingBox: { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top } };
      break;
    }
  }
  return { toolName: TOOL_OF[a.kind], data };
}
