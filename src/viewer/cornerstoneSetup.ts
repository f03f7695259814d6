// One-time cornerstone-core / cornerstone-tools setup and our image loader ('lucid:<instanceId>:<frame>').
// UI thread; with the rest of src/viewer the only code that imports cornerstone. Decoding happens in the worker.
import cornerstone from 'cornerstone-core';
import cornerstoneTools from 'cornerstone-tools';
import cornerstoneMath from 'cornerstone-math';
import Hammer from 'hammerjs';
import type { InstanceHeader, PixelFrame } from '../shared/types';
import type { AnnotationKind } from '../teaching/model';
import { toCornerstoneImage } from './displayImage';
import { addAnnotationTools, setAnnotationTool } from './annotationTools';
import { isAnnotationKind } from './annotationData';

export interface FrameSource {
  header(instanceId: string): InstanceHeader | undefined;
  decode(instanceId: string, frame: number): Promise<PixelFrame>;
}

export function imageIdOf(instanceId: string, frame: number): string {
  return `lucid:${instanceId}:${frame}`;
}

export function parseImageId(imageId: string): { instanceId: string; frame: number } {
  const last = imageId.lastIndexOf(':');
  return { instanceId: imageId.slice('lucid:'.length, last), frame: Number(imageId.slice(last + 1)) };
}

let source: FrameSource | null = null;
let initialised = false;

/** Register the loader and tools once; later calls only swap the frame source. */
export function setupCornerstone(frames: FrameSource): void {
  source = frames;
  if (initialised) return;
  initialised = true;
  // Bound the decoded-image cache (bytes): the worker keeps the files, this keeps only what was viewed lately.
  cornerstone.imageCache.setMaximumSizeBytes(256 * 1024 * 1024);
  cornerstone.registerImageLoader('lucid', (imageId) => {
    const { instanceId, frame } = parseImageId(imageId);
    const promise = (async () => {
      if (!source) throw new Error('No frame source');
      const header = source.header(instanceId);
      if (!header) throw new Error(`Unknown instance ${instanceId}`);
      return toCornerstoneImage(imageId, header, await source.decode(instanceId, frame));
    })();
    return { promise };
  });
  cornerstoneTools.external.cornerstone = cornerstone;
  cornerstoneTools.external.cornerstoneMath = cornerstoneMath;
  cornerstoneTools.external.Hammer = Hammer;
  cornerstoneTools.init({ showSVGCursors: false, globalToolSyncEnabled: false });
}

/**
 * Enable an element for display and give it our tools: window/level (left drag), pan (middle), zoom (right),
 * stack scroll (wheel; `stack: false` for a linked view that scrolls through its main view), the loupe, and with
 * `annotate` the measurement tools (annotationTools.ts). Tools are added per element, which survives React's
 * mount/unmount/mount in dev.
 */
export function enableElement(element: HTMLElement, { stack = true, annotate = false } = {}): () => void {
  cornerstone.enable(element);
  cornerstoneTools.addToolForElement(element, cornerstoneTools.WwwcTool);
  cornerstoneTools.addToolForElement(element, cornerstoneTools.PanTool);
  cornerstoneTools.addToolForElement(element, cornerstoneTools.ZoomTool, { configuration: { minScale: 0.1, maxScale: 20 } });
  if (stack) cornerstoneTools.addToolForElement(element, cornerstoneTools.StackScrollMouseWheelTool);
  cornerstoneTools.setToolActiveForElement(element, 'Wwwc', { mouseButtonMask: 1 }, ['Mouse']);
  cornerstoneTools.setToolActiveForElement(element, 'Pan', { mouseButtonMask: 4 }, ['Mouse']);
  cornerstoneTools.setToolActiveForElement(element, 'Zoom', { mouseButtonMask: 2 }, ['Mouse']);
  if (stack) cornerstoneTools.setToolActiveForElement(element, 'StackScrollMouseWheel', {});
  // Touch (hammerjs, through cornerstone-tools): pinch zooms, two fingers pan, one finger scrolls the slices (or
  // windows, see setTouchMode).
  cornerstoneTools.addToolForElement(element, cornerstoneTools.ZoomTouchPinchTool);
  cornerstoneTools.addToolForElement(element, cornerstoneTools.PanMultiTouchTool);
  cornerstoneTools.setToolActiveForElement(element, 'ZoomTouchPinch', {});
  cornerstoneTools.setToolActiveForElement(element, 'PanMultiTouch', {});
  if (stack) {
    // cornerstone-tools sends one finger to Touch tools (a MultiTouch tool never sees it): StackScroll's touch drag.
    cornerstoneTools.addToolForElement(element, cornerstoneTools.StackScrollTool);
    cornerstoneTools.setToolActiveForElement(element, 'StackScroll', {}, ['Touch']);
  }
  cornerstoneTools.addToolForElement(element, cornerstoneTools.MagnifyTool, { configuration: { magnifySize: 220, magnificationLevel: 3 } });
  if (stack) cornerstoneTools.addStackStateManager(element, ['stack', 'playClip']);
  if (annotate) addAnnotationTools(element);
  return () => {
    try { cornerstoneTools.stopClip(element); } catch { /* not playing */ }
    cornerstone.disable(element);
  };
}

/**
 * What the left mouse button does: window/level, the loupe (magnifier), drawing the compare panel's ROI (handled by
 * the viewer), or drawing a measurement of that kind (elements enabled with `annotate`; elsewhere nothing).
 */
export type LeftTool = 'wwwc' | 'loupe' | 'roi' | AnnotationKind;

export function setLeftTool(element: HTMLElement, tool: LeftTool): void {
  cornerstoneTools.setToolPassiveForElement(element, 'Wwwc');
  cornerstoneTools.setToolPassiveForElement(element, 'Magnify');
  if (tool === 'wwwc') cornerstoneTools.setToolActiveForElement(element, 'Wwwc', { mouseButtonMask: 1 }, ['Mouse']);
  if (tool === 'loupe') cornerstoneTools.setToolActiveForElement(element, 'Magnify', { mouseButtonMask: 1 });
  setAnnotationTool(element, isAnnotationKind(tool) ? tool : null);
}

/** What one finger does on a touch screen: scroll through the slices (default) or window/level. */
export type TouchMode = 'scroll' | 'wwwc';

/** Gives one-finger drags to slice scrolling or to window/level (cornerstone-tools lets one tool have them). */
export function setTouchMode(element: HTMLElement, mode: TouchMode): void {
  if (mode === 'wwwc') cornerstoneTools.setToolActiveForElement(element, 'Wwwc', { mouseButtonMask: 1 }, ['Mouse', 'Touch']);
  else if (cornerstoneTools.getToolForElement(element, 'StackScroll')) cornerstoneTools.setToolActiveForElement(element, 'StackScroll', {}, ['Touch']);
}
