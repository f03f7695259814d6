// How an enhanced slice is compared with its original: side by side, swipe, flicker, difference map; the left-button
// tool (window/level, loupe, ROI) and ROI statistics in modality units on both sides. Presentational.
import { memo } from 'react';
import type { RoiStats } from '../shared/roiStats';

export type CompareMode = 'side' | 'swipe' | 'flicker' | 'difference';
export type Tool = 'wwwc' | 'loupe' | 'roi';

interface Props {
  mode: CompareMode;
  onMode: (m: CompareMode) => void;
  swipe: number;
  onSwipe: (v: number) => void;
  /** Flicker: ms each image stays on screen. */
  flickerMs: number;
  onFlickerMs: (ms: number) => void;
  /** null while the left button draws measurements (src/components/ToolPicker.tsx). */
  tool: Tool | null;
  onTool: (t: Tool) => void;
  roi: { original: RoiStats; enhanced: RoiStats | null } | null;
  unit: string;
}

const MODES: [CompareMode, string][] = [['side', 'Side by side'], ['swipe', 'Swipe'], ['flicker', 'Flicker'], ['difference', 'Difference']];
const TOOLS: [Tool, string][] = [['wwwc', 'Window'], ['loupe', 'Loupe'], ['roi', 'ROI']];

const fmt = (s: RoiStats | null, unit: string) => (s && s.pixels ? `${s.mean.toFixed(1)} ± ${s.sd.toFixed(1)} ${unit} (${s.pixels} px)` : '—');

function ComparePanelView({ mode, onMode, swipe, onSwipe, flickerMs, onFlickerMs, tool, onTool, roi, unit }: Props) {
  return (
    <section className="panel compare-panel" aria-label="Compare" data-testid="compare-panel">
      <div className="row" role="radiogroup" aria-label="Compare mode">
        {MODES.map(([m, label]) => (
          <label key={m}><input type="radio" name="mode" checked={mode === m} onChange={() => onMode(m)} data-testid={`mode-${m}`} /> {label}</label>
        ))}
      </div>
      {mode === 'swipe' && (
        <label className="row">Swipe <input type="range" min={0} max={100} value={swipe} onChange={(e) => onSwipe(Number(e.target.value))} data-testid="swipe" /></label>
      )}
      {mode === 'flicker' && (
        <label className="row">Each image for <input type="range" min={150} max={2000} step={50} value={flickerMs} onChange={(e) => onFlickerMs(Number(e.target.value))} aria-valuetext={`${flickerMs} ms`} data-testid="flicker-rate" /> {flickerMs} ms</label>
      )}
      <div className="row" role="radiogroup" aria-label="Left button">
        {TOOLS.map(([t, label]) => (
          <label key={t}><input type="radio" name="tool" checked={tool === t} onChange={() => onTool(t)} data-testid={`tool-${t}`} /> {label}</label>
        ))}
      </div>
      {roi && (
        <table className="small" data-testid="roi-stats">
          <tbody>
            <tr><th>Original</th><td>{fmt(roi.original, unit)}</td></tr>
            <tr><th>Enhanced</th><td>{fmt(roi.enhanced, unit)}</td></tr>
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Memoised: the review view re-renders on every slice, pan and window change. */
export const ComparePanel = memo(ComparePanelView);
