// Derived images (1024² enhanced slices, difference maps) drawn off the UI thread. Cornerstone keeps the element, its
// viewport and tools; this image's renderer only clears cornerstone's canvas (tools still draw on it, now over a
// transparent background) and sends the view to the render worker, which windows the pixels and draws them on an
// OffscreenCanvas placed under cornerstone's. The UI thread's share of a frame is a clear and a small message, so a
// new 1024² result costs it no full-resolution pass (issue 13: it was 79–88 ms tasks with a series running).
// Falls back to cornerstone's own renderer where OffscreenCanvas is missing, and from then on if the worker fails
// (it does not load, or throws): the panes are redrawn on this thread and pending heatmaps are coloured here.
// UI thread; only src/viewer uses it.
import cornerstone from 'cornerstone-core';
import type { EnabledElement, Image } from 'cornerstone-core';
import type { DrawCommand, RenderReply, RenderRequest } from '../../workers/render/protocol';
import { renderGrayscale } from './renderGrayscale';

interface Surface { id: number; underlay: HTMLCanvasElement; image: Image | null; last: DrawCommand | null }

let worker: Worker | null | undefined;
const surfaces = new Map<HTMLElement, Surface>();
/** Elements whose derived images are drawn off the UI thread (the compare panes); others use cornerstone's renderer. */
const opted = new WeakSet<HTMLElement>();
const byId = new Map<number, Surface>();
/** Render keys the worker holds (it may drop old ones: it then asks again). */
const sent = new Set<string>();
const keys = new WeakMap<Image, string>();
let nextId = 1;
const heatmapJobs = new Map<number, { resolve: (bitmap: ImageBitmap) => void; reject: (e: Error) => void }>();
let nextKey = 1;

export function offThreadSupported(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof HTMLCanvasElement !== 'undefined'
    && 'transferControlToOffscreen' in HTMLCanvasElement.prototype && !new URLSearchParams(location.search).has('renderOnMain');
}

function post(m: RenderRequest, transfer: Transferable[] = []): void { worker!.postMessage(m, transfer); }

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (!offThreadSupported()) return (worker = null);
  worker = new Worker(new URL('../../workers/render.worker.ts', import.meta.url), { type: 'module', name: 'lucid-render' });
  worker.onerror = (e: ErrorEvent) => { e.preventDefault(); workerFailed(e.message || 'it did not start'); };
  worker.onmessageerror = () => workerFailed('a message could not be read');
  worker.onmessage = (e: MessageEvent<RenderReply>) => {
    if (e.data.type === 'heatmap') {
      const job = heatmapJobs.get(e.data.id);
      heatmapJobs.delete(e.data.id);
      if ('bitmap' in e.data) job?.resolve(e.data.bitmap);
      else job?.reject(new Error(`The render worker could not colour the heatmap: ${e.data.error}`));
      return;
    }
    const s = byId.get(e.data.surface);
    sent.delete(e.data.key);
    if (s?.image && s.last && s.last.key === e.data.key) { sendImage(s.image, s.last.key); post(s.last); }
  };
  return worker;
}

/**
 * The render worker failed: from now on everything is drawn on this thread. Its surfaces are removed and their
 * elements redrawn by cornerstone's renderer; heatmaps it was colouring are rejected (the caller colours them here).
 */
function workerFailed(reason: string): void {
  if (!worker) return;
  console.warn(`Lucid: the render worker failed (${reason}); drawing on the UI thread from now on.`);
  worker.terminate();
  worker = null;
  for (const job of heatmapJobs.values()) job.reject(new Error(`The render worker failed: ${reason}`));
  heatmapJobs.clear();
  const elements = [...surfaces.keys()];
  for (const s of surfaces.values()) s.underlay.remove();
  surfaces.clear();
  byId.clear();
  sent.clear();
  for (const element of elements) {
    try { cornerstone.updateImage(element); } catch { /* the element was disabled meanwhile */ }
  }
}

/** One key per image object: a re-run replaces the image (a new object), so its pixels are sent again. */
function keyOf(image: Image): string {
  let k = keys.get(image);
  if (!k) { k = `${image.imageId}#${nextKey++}`; keys.set(image, k); }
  return k;
}

function sendImage(image: Image, key: string): void {
  const stored = (image.getPixelData() as Int16Array).slice();
  post({ type: 'image', key, image: { stored, slope: image.slope, intercept: image.intercept, min: image.minPixelValue, max: image.maxPixelValue, rows: image.rows, columns: image.columns } }, [stored.buffer]);
  sent.add(key);
  if (sent.size > 4096) sent.delete(sent.values().next().value!);
}

function surfaceFor(element: HTMLElement): Surface | null {
  const existing = surfaces.get(element);
  if (existing) return existing;
  if (!opted.has(element) || !getWorker()) return null;
  const underlay = document.createElement('canvas');
  underlay.className = 'offthread-underlay';
  underlay.setAttribute('aria-hidden', 'true');
  element.insertBefore(underlay, element.firstChild);
  const s: Surface = { id: nextId++, underlay, image: null, last: null };
  const offscreen = underlay.transferControlToOffscreen();
  post({ type: 'surface', surface: s.id, canvas: offscreen }, [offscreen]);
  surfaces.set(element, s);
  byId.set(s.id, s);
  return s;
}

/**
 * Draws this element's derived images off the UI thread from now on (where supported). The worker and the element's
 * surface are made now, when the pane opens, rather than at the first result of a running series (about 15 ms of
 * this thread's time: starting the worker, the underlay, transferControlToOffscreen).
 */
export function drawOffThread(element: HTMLElement): void {
  opted.add(element);
  surfaceFor(element);
}

/** Forgets an element's surface (call when its cornerstone element is disabled). */
export function releaseSurface(element: HTMLElement): void {
  opted.delete(element);
  const s = surfaces.get(element);
  if (!s) return;
  surfaces.delete(element);
  byId.delete(s.id);
  s.underlay.remove();
  post({ type: 'release', surface: s.id });
}

/** Cornerstone renderer for a grayscale derived image (Image.render). */
export function renderOffThread(ee: EnabledElement, invalidated?: boolean): void {
  const s = surfaceFor(ee.element);
  if (!s) { renderGrayscale(ee, invalidated); return; }
  const { canvas, image, viewport } = ee;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const style = s.underlay.style;
  const place = { left: `${canvas.offsetLeft}px`, top: `${canvas.offsetTop}px`, width: `${canvas.clientWidth}px`, height: `${canvas.clientHeight}px` };
  for (const [k, v] of Object.entries(place) as [keyof typeof place, string][]) if (style[k] !== v) style[k] = v;
  const key = keyOf(image);
  const m = cornerstone.internal.getTransform(ee).m;
  const cmd: DrawCommand = {
    type: 'draw', surface: s.id, key, width: canvas.width, height: canvas.height,
    matrix: [m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!],
    center: viewport.voi.windowCenter, windowWidth: viewport.voi.windowWidth, invert: viewport.invert, smoothing: !viewport.pixelReplication,
  };
  s.image = image;
  s.last = cmd;
  if (sent.has(key)) { post(cmd); return; }
  // A new image's pixels (2 MB for a 1024² result) are copied and sent in a task of their own, so that the task
  // drawing it (often the one that received the result) stays short; the pane shows the previous image until then.
  setTimeout(() => {
    if (s.last?.key !== key || !surfaces.has(ee.element)) return;
    if (!sent.has(key)) sendImage(image, key);
    post(s.last);
  }, 0);
}

/**
 * Colours an anomaly score map in the render worker (a copy of the scores goes there): the bitmap, at full opacity,
 * or null where there is no such worker; rejected if the worker fails (in both cases the caller colours on this thread).
 */
export function heatmapOffThread(scores: Float32Array, rows: number, columns: number, threshold: number, max: number): Promise<ImageBitmap> | null {
  if (!getWorker()) return null;
  const id = nextId++;
  const copy = scores.slice();
  return new Promise((resolve, reject) => {
    heatmapJobs.set(id, { resolve, reject });
    post({ type: 'heatmap', id, scores: copy, rows, columns, threshold, max }, [copy.buffer]);
  });
}
