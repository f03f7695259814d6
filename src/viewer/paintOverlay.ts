// Overlay layers drawn on a cornerstone canvas in SOURCE-IMAGE PIXEL coordinates: the anomaly heatmap (colour map,
// opacity, threshold), boxes with confidence and the ROI rectangle. The canvas transform comes from cornerstone's own
// pixelToCanvas, so pan/zoom/flip/rotate apply for free (DESIGN invariant 1). UI thread.
import cornerstone from 'cornerstone-core';
import type { Box } from '../../models/anomaly/postprocess';
import type { PixelRect } from '../shared/roiStats';

/** Inferno-like colour stops (t = 0 … 1). */
const STOPS: [number, number, number, number][] = [
  [0, 40, 11, 84], [0.33, 137, 34, 106], [0.66, 240, 112, 32], [1, 252, 255, 164],
];

export function colourAt(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, r1, g1, b1] = STOPS[i]!, [t0, r0, g0, b0] = STOPS[i - 1]!;
    if (x <= t1) {
      const f = (x - t0) / (t1 - t0);
      return [Math.round(r0 + f * (r1 - r0)), Math.round(g0 + f * (g1 - g0)), Math.round(b0 + f * (b1 - b0))];
    }
  }
  return [252, 255, 164];
}

/** RGBA of the heatmap: transparent below `threshold`, colour from threshold (t 0) to `max` (t 1) at `opacity`. Pure. */
export function heatmapRgba(scores: Float32Array, threshold: number, max: number, opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(scores.length * 4);
  const span = Math.max(max - threshold, 1e-9), a = Math.round(255 * Math.min(1, Math.max(0, opacity)));
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= threshold)) continue;
    const [r, g, b] = colourAt((s - threshold) / span);
    out[4 * i] = r; out[4 * i + 1] = g; out[4 * i + 2] = b; out[4 * i + 3] = a;
  }
  return out;
}

/** Runs `draw` with the context mapped to image pixel coordinates of `element`'s current image. */
export function inImageSpace(element: HTMLElement, ctx: CanvasRenderingContext2D, draw: (pixelSize: number) => void): void {
  const p0 = cornerstone.pixelToCanvas(element, { x: 0, y: 0 });
  const px = cornerstone.pixelToCanvas(element, { x: 1, y: 0 });
  const py = cornerstone.pixelToCanvas(element, { x: 0, y: 1 });
  ctx.save();
  ctx.setTransform(px.x - p0.x, px.y - p0.y, py.x - p0.x, py.y - p0.y, p0.x, p0.y);
  draw(1 / Math.max(1e-6, Math.hypot(px.x - p0.x, px.y - p0.y)));
  ctx.restore();
}

export interface OverlayLayers {
  heatmap?: { canvas: HTMLCanvasElement | OffscreenCanvas } | null;
  boxes?: Box[];
  roi?: PixelRect | null;
  /** Image pixels of this canvas per source pixel (2 for an sr-x2 result). */
  scale?: number;
}

export function paintOverlay(element: HTMLElement, ctx: CanvasRenderingContext2D, layers: OverlayLayers): void {
  const s = layers.scale ?? 1;
  inImageSpace(element, ctx, (px) => {
    if (layers.heatmap) {
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(layers.heatmap.canvas as CanvasImageSource, 0, 0, layers.heatmap.canvas.width * s, layers.heatmap.canvas.height * s);
    }
    ctx.lineWidth = 2 * px;
    ctx.font = `${12 * px}px system-ui, sans-serif`;
    for (const b of layers.boxes ?? []) {
      ctx.strokeStyle = '#39f';
      ctx.strokeRect(b.columnMin * s, b.rowMin * s, (b.columnMax - b.columnMin + 1) * s, (b.rowMax - b.rowMin + 1) * s);
      ctx.fillStyle = '#39f';
      ctx.fillText(`${Math.round(b.confidence * 100)}%`, b.columnMin * s, b.rowMin * s - 3 * px);
    }
    if (layers.roi) {
      const r = layers.roi;
      ctx.strokeStyle = '#4f4';
      ctx.setLineDash([4 * px, 3 * px]);
      ctx.strokeRect(r.columnMin * s, r.rowMin * s, (r.columnMax - r.columnMin) * s, (r.rowMax - r.rowMin) * s);
    }
  });
}

/** A canvas holding the heatmap at source resolution, ready for paintOverlay. */
export function heatmapCanvas(scores: Float32Array, rows: number, columns: number, threshold: number, max: number, opacity: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = columns;
  canvas.height = rows;
  canvas.getContext('2d')!.putImageData(new ImageData(heatmapRgba(scores, threshold, max, opacity) as Uint8ClampedArray<ArrayBuffer>, columns, rows), 0, 0);
  return canvas;
}
