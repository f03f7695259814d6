// Linked views: one viewport follows another's zoom, pan, window and orientation, scaled between image grids (an
// sr-x2 result has twice the columns). UI thread; cornerstone's viewport units (image pixels).
import cornerstone from 'cornerstone-core';

/** What a linked view needs to follow this one (cornerstone's viewport, image pixel units). */
export interface ViewSync { imageId: string; index: number; viewport: import('cornerstone-core').Viewport; columns: number }

/**
 * Applies a linked view's zoom, pan, window and orientation to `element`, if they differ (no feedback loops). With
 * `window: false` the element keeps its own window (a difference map is windowed around 0, not like the image).
 */
export function followView(element: HTMLElement, sync: ViewSync, { window = true } = {}): void {
  const image = cornerstone.getEnabledElement(element)?.image;
  const vp = cornerstone.getViewport(element);
  if (!image || !vp) return;
  const f = image.columns / sync.columns;
  const s = sync.viewport;
  const next = {
    scale: s.scale / f, translation: { x: s.translation.x * f, y: s.translation.y * f },
    voi: window ? { ...s.voi } : { ...vp.voi }, invert: s.invert, hflip: s.hflip, vflip: s.vflip, rotation: s.rotation,
  };
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
  if (close(vp.scale, next.scale) && close(vp.translation.x, next.translation.x) && close(vp.translation.y, next.translation.y)
    && close(vp.voi.windowCenter, next.voi.windowCenter) && close(vp.voi.windowWidth, next.voi.windowWidth)
    && vp.invert === next.invert && vp.hflip === next.hflip && vp.vflip === next.vflip && vp.rotation === next.rotation) return;
  cornerstone.setViewport(element, next);
}
