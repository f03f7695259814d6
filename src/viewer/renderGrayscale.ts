// Cornerstone's grayscale renderer with a cheaper first draw. When an element first shows an image, or an image of a
// new size, cornerstone sizes its offscreen canvas, paints it white and reads it back (fillRect + getImageData) only
// to obtain an opaque white RGBA buffer whose alpha it then overwrites. For a 1024² sr-x2 slice on a busy 2-core
// machine the readback alone took 23 ms of a 74 ms first draw (bench/traceLongTasks.ts, before this change). Here the
// buffer is built directly (typed-array fill) and cornerstone's own renderer does the rest, so the pixels drawn are
// the same. UI thread; only src/viewer imports cornerstone.
import cornerstone from 'cornerstone-core';
import type { EnabledElement } from 'cornerstone-core';

/** An opaque white RGBA buffer: what cornerstone's fillRect('white') + getImageData produce, without the readback. */
export function whiteImageData(width: number, height: number): ImageData {
  const data = new ImageData(width, height);
  new Uint32Array(data.data.buffer).fill(0xffffffff);
  return data;
}

export function renderGrayscale(enabledElement: EnabledElement, invalidated?: boolean): void {
  const tools = enabledElement.renderingTools;
  const { width, height } = enabledElement.image;
  const canvas = tools.renderCanvas;
  if (!canvas || tools.lastRenderedIsColor || canvas.width !== width || canvas.height !== height) {
    const target = !canvas || tools.lastRenderedIsColor ? document.createElement('canvas') : canvas;
    target.width = width;
    target.height = height;
    tools.renderCanvas = target;
    tools.renderCanvasContext = target.getContext('2d', { desynchronized: true })!;
    tools.renderCanvasData = whiteImageData(width, height);
    tools.lastRenderedIsColor = false;
  }
  cornerstone.rendering.grayscaleImage(enabledElement, invalidated);
}
