// Messages between the UI (src/viewer/offThreadRender.ts) and the render worker. Types only.
import type { StoredPixels } from './grayLut';

export interface DrawCommand {
  type: 'draw';
  surface: number;
  key: string;
  /** Canvas size in device pixels. */
  width: number;
  height: number;
  /** Image → canvas transform (a, b, c, d, e, f) as cornerstone computes it for the viewport. */
  matrix: [number, number, number, number, number, number];
  center: number;
  windowWidth: number;
  invert: boolean;
  smoothing: boolean;
}

export type RenderRequest =
  | { type: 'surface'; surface: number; canvas: OffscreenCanvas }
  | { type: 'release'; surface: number }
  | { type: 'image'; key: string; image: StoredPixels & { rows: number; columns: number } }
  | DrawCommand
  /** Colour an anomaly score map (src/shared/heatmap.ts, at full opacity: the overlay applies the slider's). */
  | { type: 'heatmap'; id: number; scores: Float32Array; rows: number; columns: number; threshold: number; max: number };

export type RenderReply =
  | { type: 'missing'; key: string; surface: number }
  | { type: 'heatmap'; id: number; bitmap: ImageBitmap }
  | { type: 'heatmap'; id: number; error: string };
