// A second cornerstone view showing the derived image (enhanced slice or difference map) of the slice shown in the
// main viewport, linked both ways: zoom, pan, window and orientation follow (scaled for a ×2 grid), the wheel scrolls
// the series. Used side by side, over the main view (swipe, flicker), and for the difference map. UI thread.
import { useEffect, useRef, useState } from 'react';
import cornerstone from 'cornerstone-core';
import { enableElement, setLeftTool, type LeftTool } from './cornerstoneSetup';
import { followView, type ViewSync } from './Viewport';
import { useRoiDrawing } from './useRoiDrawing';
import { drawOffThread, releaseSurface } from './offThreadRender';
import type { PixelRect } from '../shared/roiStats';
import '../components/compareOverlay.css';

interface Props {
  imageId: string | null;
  sync: ViewSync | null;
  label: string;
  placeholder: string;
  onViewChange?: (sync: ViewSync) => void;
  onScroll?: (delta: number) => void;
  paint?: (element: HTMLElement, ctx: CanvasRenderingContext2D, imageId: string) => void;
  leftTool?: LeftTool;
  onRoi?: (rect: PixelRect) => void;
  className?: string;
  style?: React.CSSProperties;
  testId: string;
  /** Over the main view the label would print on the main view's own: the overlay there says which is which. */
  hideLabel?: boolean;
  /** A difference map: show what grey means (black → white = −half → +half its window, in `unit`). */
  differenceUnit?: string;
}

/** A difference value with its sign and about three significant digits. */
function signed(v: number): string {
  const r = Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3));
  return `${r > 0 ? '+' : ''}${r === 0 ? 0 : r}`;
}

export function DerivedPane({ imageId, sync, label, placeholder, onViewChange, onScroll, paint, leftTool = 'wwwc', onRoi, className, style, testId, hideLabel, differenceUnit }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const difference = differenceUnit !== undefined;
  const hooks = useRef({ onViewChange, onScroll, paint, sync, difference });
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: handlers registered once read the current callbacks and sync
  hooks.current = { onViewChange, onScroll, paint, sync, difference };
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The window on screen (the difference legend follows it when the reader changes it). */
  const [voi, setVoi] = useState<{ center: number; width: number } | null>(null);

  useEffect(() => {
    const element = el.current!;
    const disable = enableElement(element, { stack: false });
    drawOffThread(element);
    const onRendered = (e: Event) => {
      const d = (e as CustomEvent).detail as { viewport: import('cornerstone-core').Viewport; image: { imageId: string; columns: number }; canvasContext: CanvasRenderingContext2D };
      hooks.current.paint?.(element, d.canvasContext, d.image.imageId);
      setVoi((v) => (v && v.center === d.viewport.voi.windowCenter && v.width === d.viewport.voi.windowWidth ? v : { center: d.viewport.voi.windowCenter, width: d.viewport.voi.windowWidth }));
      hooks.current.onViewChange?.({ imageId: d.image.imageId, index: -1, viewport: d.viewport, columns: d.image.columns });
    };
    const onWheel = (e: WheelEvent) => { e.preventDefault(); hooks.current.onScroll?.(Math.sign(e.deltaY)); };
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED!, onRendered);
    element.addEventListener('wheel', onWheel, { passive: false });
    const resize = new ResizeObserver(() => { try { cornerstone.resize(element, false); if (hooks.current.sync) followView(element, hooks.current.sync, { window: !hooks.current.difference }); } catch { /* no image yet */ } });
    resize.observe(element);
    return () => {
      resize.disconnect();
      element.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED!, onRendered);
      element.removeEventListener('wheel', onWheel);
      disable();
      releaseSurface(element);
    };
  }, []);

  useEffect(() => { if (el.current) setLeftTool(el.current, leftTool); }, [leftTool]);
  useRoiDrawing(el, leftTool === 'roi', onRoi);

  useEffect(() => {
    let live = true;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- no derived image: the placeholder shows at once
    if (!imageId) { setShown(null); return; }
    cornerstone.loadAndCacheImage(imageId).then((image) => {
      if (!live || !el.current) return;
      // Its own window to start with (cornerstone would keep the element's last one: an enhanced image's window on a
      // difference map); a linked view then follows the main view's, except for a difference map.
      cornerstone.displayImage(el.current, image, { voi: { windowCenter: image.windowCenter, windowWidth: image.windowWidth } });
      if (hooks.current.sync) followView(el.current, hooks.current.sync, { window: !hooks.current.difference });
      setShown(imageId);
      setError(null);
    }, (e: Error) => { if (live) setError(`${e.name}: ${e.message}`); });
    return () => { live = false; };
  }, [imageId]);

  useEffect(() => { if (sync && el.current && shown) followView(el.current, sync, { window: !difference }); }, [sync, shown, difference]);

  return (
    <div className={`viewport derived ${className ?? ''}`} ref={el} style={style} data-testid={testId} onContextMenu={(e) => e.preventDefault()}>
      {!hideLabel && <div className="overlay tl"><div>{label}</div></div>}
      {differenceUnit !== undefined && voi && shown && (
        <div className="overlay difference-legend" data-testid="difference-legend">
          <div>Enhanced − original{differenceUnit ? ` (${differenceUnit})` : ''}</div>
          <div className="ramp" aria-hidden="true" />
          <div className="ticks"><span>{signed(voi.center - voi.width / 2)}</span><span>{signed(voi.center)}</span><span>{signed(voi.center + voi.width / 2)}</span></div>
          <div className="muted">mid-grey: unchanged; white: the model added; black: it removed</div>
        </div>
      )}
      {(!imageId || !shown) && <div className="overlay placeholder" data-testid={`${testId}-placeholder`}>{error ?? placeholder}</div>}
    </div>
  );
}
