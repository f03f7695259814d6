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
  | DrawCommand;

export type RenderReply = { type: 'missing'; key: string; surface: number };
