// Left-drag draws a rectangle ROI on a cornerstone element, reported in SOURCE-IMAGE PIXEL coordinates of the image
// shown (via cornerstone's pageToPixel). UI thread; the stats themselves are pure (src/shared/roiStats.ts).
import { useEffect, useRef, type RefObject } from 'react';
import cornerstone from 'cornerstone-core';
import { rectFromPoints, type PixelRect } from '../shared/roiStats';

export function useRoiDrawing(el: RefObject<HTMLElement | null>, active: boolean, onRoi?: (rect: PixelRect) => void): void {
  const cb = useRef(onRoi);
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: handlers registered once read the current callback
  cb.current = onRoi;
  useEffect(() => {
    const element = el.current;
    if (!element || !active) return;
    let start: { x: number; y: number } | null = null;
    const pixel = (e: MouseEvent) => cornerstone.pageToPixel(element, e.pageX, e.pageY);
    const report = (e: MouseEvent) => {
      const image = cornerstone.getEnabledElement(element)?.image;
      if (!start || !image) return;
      const rect = rectFromPoints(start, pixel(e), image.rows, image.columns);
      if (rect.rowMax > rect.rowMin && rect.columnMax > rect.columnMin) cb.current?.(rect);
    };
    const down = (e: MouseEvent) => { if (e.button === 0) { start = pixel(e); e.stopPropagation(); } };
    const move = (e: MouseEvent) => { if (start) report(e); };
    const up = (e: MouseEvent) => { report(e); start = null; };
    element.addEventListener('mousedown', down, true);
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    return () => {
      element.removeEventListener('mousedown', down, true);
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
  }, [el, active]);
}
