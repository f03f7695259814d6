// Left-drag draws a rectangle ROI on a cornerstone element, reported while dragging in SOURCE-IMAGE PIXEL bounds of
// the image shown (a box region from useRegionDrawing, clamped to whole pixels). UI thread; the statistics themselves
// are pure (src/shared/roiStats.ts).
import type { RefObject } from 'react';
import cornerstone from 'cornerstone-core';
import type { Region } from '../teaching/model';
import { rectFromPoints, type PixelRect } from '../shared/roiStats';
import { useRegionDrawing } from './regionDrawing';

export function useRoiDrawing(el: RefObject<HTMLElement | null>, active: boolean, onRoi?: (rect: PixelRect) => void): void {
  // A plain function: useRegionDrawing always calls the latest one it was given.
  const report = (r: Region | null) => {
    const image = el.current ? cornerstone.getEnabledElement(el.current)?.image : undefined;
    if (r?.kind !== 'box' || !image) return;
    const rect = rectFromPoints(r.corners[0], r.corners[1], image.rows, image.columns);
    if (rect.rowMax > rect.rowMin && rect.columnMax > rect.columnMin) onRoi?.(rect);
  };
  useRegionDrawing(el, active ? 'box' : null, report, report);
}
