// Render worker: draws derived images (enhanced slices, difference maps) on OffscreenCanvases handed over by the UI,
// and colours anomaly heatmaps into ImageBitmaps,
// so the full-resolution window pass, putImageData and the scaled draw of a 1024² result never run on the UI thread.
// The UI keeps cornerstone for interaction and tools; per frame it sends only the view (window, transform). Plain
// postMessage rather than comlink: the traffic is one-way draw commands plus a "missing image" reply. Worker thread.
import { applyGrayLut, grayLut, type StoredPixels } from './render/grayLut';
import type { RenderReply, RenderRequest, DrawCommand } from './render/protocol';
import { heatmapRgba } from '../src/shared/heatmap';

interface Surface { canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D }
interface Rendered { key: string; center: number; width: number; invert: boolean; canvas: OffscreenCanvas }

const surfaces = new Map<number, Surface>();
/** The windowed image last made for each surface (a pan or zoom redraws it without another window pass). */
const rendered = new Map<number, Rendered>();
const images = new Map<string, StoredPixels & { rows: number; columns: number }>();
/** Bytes of stored pixels kept; the oldest image goes first (the UI sends it again if it is drawn later). */
const MAX_BYTES = 256 * 2 ** 20;
let bytes = 0;
const pending = new Map<number, DrawCommand>();
let scheduled = false;

function reply(m: RenderReply, transfer: Transferable[] = []): void { (self as unknown as Worker).postMessage(m, transfer); }

function draw(c: DrawCommand): void {
  const s = surfaces.get(c.surface);
  if (!s) return;
  const img = images.get(c.key);
  if (!img) { reply({ type: 'missing', key: c.key, surface: c.surface }); return; }
  if (s.canvas.width !== c.width || s.canvas.height !== c.height) { s.canvas.width = c.width; s.canvas.height = c.height; }
  let r = rendered.get(c.surface);
  if (!r || r.key !== c.key || r.center !== c.center || r.width !== c.windowWidth || r.invert !== c.invert) {
    const canvas = r && r.canvas.width === img.columns && r.canvas.height === img.rows ? r.canvas : new OffscreenCanvas(img.columns, img.rows);
    const data = new ImageData(img.columns, img.rows);
    applyGrayLut(img, grayLut(img, { center: c.center, width: c.windowWidth, invert: c.invert }), data.data);
    canvas.getContext('2d')!.putImageData(data, 0, 0);
    r = { key: c.key, center: c.center, width: c.windowWidth, invert: c.invert, canvas };
    rendered.set(c.surface, r);
  }
  const ctx = s.ctx;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.imageSmoothingEnabled = c.smoothing;
  ctx.setTransform(...c.matrix);
  ctx.drawImage(r.canvas, 0, 0);
}

function flush(): void {
  scheduled = false;
  const all = [...pending.values()];
  pending.clear();
  for (const c of all) draw(c);
}

self.onmessage = (e: MessageEvent<RenderRequest>) => {
  const m = e.data;
  if (m.type === 'surface') {
    surfaces.set(m.surface, { canvas: m.canvas, ctx: m.canvas.getContext('2d')! });
  } else if (m.type === 'release') {
    surfaces.delete(m.surface);
    rendered.delete(m.surface);
    pending.delete(m.surface);
  } else if (m.type === 'image') {
    const old = images.get(m.key);
    if (old) { bytes -= old.stored.byteLength; images.delete(m.key); }
    images.set(m.key, m.image);
    bytes += m.image.stored.byteLength;
    for (const [k, v] of images) {
      if (bytes <= MAX_BYTES || k === m.key) break;
      images.delete(k);
      bytes -= v.stored.byteLength;
    }
  } else if (m.type === 'heatmap') {
    // The anomaly overlay's colouring (a table lookup per pixel and a putImageData of the slice), off the UI thread.
    // A failure (e.g. no memory for the canvas) is replied, so the UI colours this one itself.
    try {
      const canvas = new OffscreenCanvas(m.columns, m.rows);
      const data = new ImageData(m.columns, m.rows);
      heatmapRgba(m.scores, m.threshold, m.max, 1, data.data);
      canvas.getContext('2d')!.putImageData(data, 0, 0);
      const bitmap = canvas.transferToImageBitmap();
      reply({ type: 'heatmap', id: m.id, bitmap }, [bitmap]);
    } catch (err) {
      reply({ type: 'heatmap', id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  } else if (m.type === 'draw') {
    // Only the latest view of each surface is drawn: commands that queued while a draw ran are superseded.
    pending.set(m.surface, m);
    if (!scheduled) { scheduled = true; setTimeout(flush, 0); }
  }
};
