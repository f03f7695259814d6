// What a reader needs on the image to know what they are looking at when the enhanced slice lies over the original:
// swipe — a divider (draggable, and a keyboard slider) with the side each image is on; flicker — which image is
// showing now. Presentational; drawn inside the main viewport above both images.
import { useRef } from 'react';
import './compareOverlay.css';

interface Props {
  mode: 'swipe' | 'flicker';
  /** Swipe: where the enhanced image starts, % of the width from the left. */
  swipe: number;
  onSwipe: (v: number) => void;
  /** Flicker: the enhanced image is the one showing. */
  showingEnhanced: boolean;
  enhancedLabel: string;
}

export function CompareOverlay({ mode, swipe, onSwipe, showingEnhanced, enhancedLabel }: Props) {
  const root = useRef<HTMLDivElement>(null);
  if (mode === 'flicker') {
    return (
      <div className="compare-overlay" ref={root}>
        <div className={`compare-badge ${showingEnhanced ? 'enhanced' : ''}`} data-testid="flicker-showing" aria-live="off">
          Showing: {showingEnhanced ? enhancedLabel : 'Original'}
        </div>
      </div>
    );
  }
  const clamp = (v: number) => Math.min(100, Math.max(0, Math.round(v)));
  const fromPointer = (clientX: number) => {
    const box = root.current?.getBoundingClientRect();
    if (box && box.width > 0) onSwipe(clamp(((clientX - box.left) / box.width) * 100));
  };
  return (
    <div className="compare-overlay" ref={root}>
      <div className="swipe-label left" style={{ right: `${100 - swipe}%` }} data-testid="swipe-label-original">◀ Original</div>
      <div className="swipe-label right" style={{ left: `${swipe}%` }} data-testid="swipe-label-enhanced">{enhancedLabel} ▶</div>
      <div
        className="swipe-divider"
        style={{ left: `${swipe}%` }}
        role="slider"
        tabIndex={0}
        aria-label="Swipe divider: original on the left, enhanced on the right"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={swipe}
        aria-valuetext={`${swipe} % original`}
        data-testid="swipe-divider"
        onPointerDown={(e) => { e.currentTarget.setPointerCapture(e.pointerId); e.stopPropagation(); }}
        onPointerMove={(e) => { if (e.currentTarget.hasPointerCapture(e.pointerId)) { e.stopPropagation(); fromPointer(e.clientX); } }}
        onKeyDown={(e) => {
          const step = e.shiftKey ? 10 : 2;
          const next = e.key === 'ArrowLeft' || e.key === 'ArrowDown' ? swipe - step : e.key === 'ArrowRight' || e.key === 'ArrowUp' ? swipe + step
            : e.key === 'Home' ? 0 : e.key === 'End' ? 100 : null;
          if (next !== null) { e.preventDefault(); e.stopPropagation(); onSwipe(clamp(next)); }
        }}
      />
    </div>
  );
}
