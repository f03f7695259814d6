// Drawing a finding's region (point, box, ellipse, freehand) on a cornerstone element with the left button, and
// painting findings over the image. Regions are SOURCE-IMAGE PIXELS (cornerstone.pageToPixel), drawn back through
// cornerstone's own transform (inImageSpace), so zoom, pan and flips never change what is stored. UI thread.
import { useEffect, useRef, type RefObject } from 'react';
import cornerstone from 'cornerstone-core';
import type { Point, Region, RegionKind } from '../teaching/model';
import { regionFromDrag } from '../teaching/regions';
import { inImageSpace } from './paintOverlay';

/** The cornerstone element of a view whose root is `container` (the Viewport's stage). */
export const viewportIn = (container: HTMLElement) => container.querySelector<HTMLElement>('[data-testid=viewport]');

/**
 * While `kind` is set, a left drag on the cornerstone element (`ref`, or what `select` finds inside it) draws a
 * region; the element's own left-button tool does not see the drag. `onDraft` follows the drag (a live outline),
 * `onRegion` gets the result. The compare view's rectangle ROI (useRoiDrawing) is this with kind 'box'.
 */
export function useRegionDrawing(ref: RefObject<HTMLElement | null>, kind: RegionKind | null,
  onRegion: (r: Region) => void, onDraft: (r: Region | null) => void, select: (root: HTMLElement) => HTMLElement | null = (e) => e): void {
  const cbs = useRef({ onRegion, onDraft, select });
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: handlers registered once read the current callbacks
  cbs.current = { onRegion, onDraft, select };
  useEffect(() => {
    const element = ref.current ? cbs.current.select(ref.current) : null;
    if (!element || !kind) return;
    let points: Point[] | null = null;
    const pixel = (e: MouseEvent): Point => cornerstone.pageToPixel(element, e.pageX, e.pageY);
    const down = (e: MouseEvent) => {
      if (e.button !== 0 || !cornerstone.getEnabledElement(element)?.image) return;
      points = [pixel(e)];
      e.stopPropagation();
      e.preventDefault();
    };
    const move = (e: MouseEvent) => {
      if (!points) return;
      points.push(pixel(e));
      cbs.current.onDraft(regionFromDrag(kind, points));
    };
    const up = (e: MouseEvent) => {
      if (!points) return;
      points.push(pixel(e));
      const r = regionFromDrag(kind, points);
      points = null;
      cbs.current.onDraft(null);
      if (r) cbs.current.onRegion(r);
    };
    element.addEventListener('mousedown', down, true);
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    return () => {
      element.removeEventListener('mousedown', down, true);
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
  }, [ref, kind]);
}

export interface PaintedRegion { region: Region; label: string; colour: string; selected?: boolean; dashed?: boolean }

/** Outlines (and labels) of regions on the image shown in `element`. */
export function paintRegions(element: HTMLElement, ctx: CanvasRenderingContext2D, regions: PaintedRegion[]): void {
  if (regions.length === 0) return;
  inImageSpace(element, ctx, (px) => {
    ctx.font = `${12 * px}px system-ui, sans-serif`;
    for (const { region: r, label, colour, selected, dashed } of regions) {
      ctx.setLineDash(dashed ? [5 * px, 4 * px] : []);
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = (selected ? 3 : 1.5) * px;
      ctx.beginPath();
      let at: Point;
      if (r.kind === 'point') {
        const s = 6 * px;
        ctx.moveTo(r.point.x - s, r.point.y); ctx.lineTo(r.point.x + s, r.point.y);
        ctx.moveTo(r.point.x, r.point.y - s); ctx.lineTo(r.point.x, r.point.y + s);
        at = { x: r.point.x + s, y: r.point.y - s };
      } else if (r.kind === 'freehand') {
        r.points.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
        ctx.closePath();
        at = r.points.reduce((a, p) => (p.y < a.y ? p : a), r.points[0]!);
      } else {
        const [a, b] = r.corners;
        const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y), w = Math.abs(b.x - a.x), h = Math.abs(b.y - a.y);
        if (r.kind === 'box') ctx.rect(x, y, w, h);
        else ctx.ellipse(x + w / 2, y + h / 2, w / 2, h / 2, 0, 0, 2 * Math.PI);
        at = { x, y };
      }
      ctx.stroke();
      if (label) ctx.fillText(label, at.x, at.y - 4 * px);
    }
  });
}

/** The image pixel at the centre of the cornerstone element inside `container` (where keyboard placement puts a region). */
export function viewCentre(container: HTMLElement | null): Point | null {
  const element = container ? viewportIn(container) : null;
  if (!element || !cornerstone.getEnabledElement(element)?.image) return null;
  const r = element.getBoundingClientRect();
  return cornerstone.pageToPixel(element, r.left + window.scrollX + r.width / 2, r.top + window.scrollY + r.height / 2);
}
