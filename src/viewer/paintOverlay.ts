// Overlay layers drawn on a cornerstone canvas in SOURCE-IMAGE PIXEL coordinates: the anomaly heatmap (colour map,
// opacity, threshold), boxes with their region score and the ROI rectangle. The canvas transform comes from cornerstone's own
// pixelToCanvas, so pan/zoom/flip/rotate apply for free (DESIGN invariant 1). UI thread.
import cornerstone from 'cornerstone-core';
import { formatRegionScore, type Box } from '../../models/anomaly/postprocess';
import type { PixelRect } from '../shared/roiStats';
import { heatmapRgba } from '../shared/heatmap';

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
  /** A coloured score map at source resolution; `opacity` is applied when drawn (the colouring is opaque or has its own). */
  heatmap?: { canvas: HTMLCanvasElement | OffscreenCanvas | ImageBitmap; opacity?: number } | null;
  boxes?: Box[];
  roi?: PixelRect | null;
  /** Image pixels of this canvas per source pixel (2 for an sr-x2 result). */
  scale?: number;
  /** Regions of an opened structured report on this image: SCOORD points (column, row pairs) and a label. */
  reported?: { points: number[]; label: string }[];
}

export function paintOverlay(element: HTMLElement, ctx: CanvasRenderingContext2D, layers: OverlayLayers): void {
  const s = layers.scale ?? 1;
  inImageSpace(element, ctx, (px) => {
    if (layers.heatmap) {
      ctx.imageSmoothingEnabled = false;
      ctx.globalAlpha = layers.heatmap.opacity ?? 1;
      ctx.drawImage(layers.heatmap.canvas as CanvasImageSource, 0, 0, layers.heatmap.canvas.width * s, layers.heatmap.canvas.height * s);
      ctx.globalAlpha = 1;
    }
    ctx.lineWidth = 2 * px;
    ctx.font = `${12 * px}px system-ui, sans-serif`;
    for (const b of layers.boxes ?? []) {
      ctx.strokeStyle = '#39f';
      ctx.strokeRect(b.columnMin * s, b.rowMin * s, (b.columnMax - b.columnMin + 1) * s, (b.rowMax - b.rowMin + 1) * s);
      ctx.fillStyle = '#39f';
      ctx.fillText(formatRegionScore(b.score), b.columnMin * s, b.rowMin * s - 3 * px);
    }
    for (const r of layers.reported ?? []) {
      if (r.points.length < 2) continue;
      ctx.strokeStyle = '#ffb300';
      ctx.fillStyle = '#ffb300';
      ctx.setLineDash([5 * px, 3 * px]);
      ctx.beginPath();
      // SCOORD (PS3.3 C.18.6.1.1): (0, 0) is the top-left corner of the first pixel, as in this image space.
      for (let k = 0; k + 1 < r.points.length; k += 2) (k ? ctx.lineTo : ctx.moveTo).call(ctx, r.points[k]! * s, r.points[k + 1]! * s);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillText(r.label, r.points[0]! * s, r.points[1]! * s + 14 * px);
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
export function heatmapCanvas(scores: Float32Array, rows: number, columns: number, threshold: number, max: number, opacity: number, mark = true): HTMLCanvasElement {
  if (mark) globalThis.performance?.mark?.('lucid:heatmap', { detail: { rows, columns } }); // counted by the end-to-end tests
  const canvas = document.createElement('canvas');
  canvas.width = columns;
  canvas.height = rows;
  const image = new ImageData(columns, rows);
  heatmapRgba(scores, threshold, max, opacity, image.data);
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}
