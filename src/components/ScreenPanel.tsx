// Anomaly screening controls: heatmap opacity and threshold, a legend with the colour scale and what a region's score
// means, and the findings of the series (regions above the threshold, highest score first) that jump to their slice.
// The threshold only decides which regions are shown; a region's score does not move with it. Presentational.
import { memo } from 'react';
import { colourAt } from '../shared/heatmap';
import { formatRegionScore, REGION_SCORE_MEANING, type Box } from '../../models/anomaly/postprocess';

export interface Finding { index: number; box: Box }

interface Props {
  opacity: number;
  onOpacity: (v: number) => void;
  threshold: number;
  onThreshold: (v: number) => void;
  maxScore: number;
  findings: Finding[];
  screened: number;
  total: number;
  onJump: (index: number) => void;
}

/** Memoised: the review view re-renders on every slice; the findings list only changes with new results or the threshold. */
export const ScreenPanel = memo(function ScreenPanel({ opacity, onOpacity, threshold, onThreshold, maxScore, findings, screened, total, onJump }: Props) {
  // Colour scale: threshold → highest score of the series (as the overlay); the slider reaches past both.
  const top = Math.max(maxScore, threshold * 1.01, 1e-3);
  const sliderMax = Math.max(maxScore, 2 * threshold, 1e-3);
  const gradient = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${colourAt(t).join(',')})`).join(', ')})`;
  return (
    <section className="panel screen-panel" aria-label="Anomaly screening" data-testid="screen-panel">
      <label className="row">Opacity <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => onOpacity(Number(e.target.value))} data-testid="heat-opacity" /></label>
      <label className="row">Threshold <input type="range" min={0} max={sliderMax} step={sliderMax / 200} value={threshold} onChange={(e) => onThreshold(Number(e.target.value))} data-testid="heat-threshold" /> {threshold.toFixed(3)}</label>
      <div className="legend" data-testid="heat-legend" aria-label="Score scale">
        <div className="ramp" style={{ background: gradient }} />
        <div className="ticks small"><span>{threshold.toFixed(3)}</span><span>{((threshold + top) / 2).toFixed(3)}</span><span>{top.toFixed(3)}</span></div>
        <div className="muted small">Colours: the model's score from the threshold up: its estimate, from 0 to 1, of how strongly each spot differs from the normal anatomy it learned (1: by 60 HU or more on CT, 10 % of the slice's range or more on MR).</div>
        <div className="muted small" data-testid="score-meaning">{REGION_SCORE_MEANING}</div>
      </div>
      <h3>Findings ({screened} / {total} slices screened)</h3>
      {findings.length === 0 ? <p className="muted small">No region above the threshold.</p> : (
        <ol className="findings" data-testid="findings">
          {findings.slice(0, 50).map((f, i) => (
            <li key={i}><button className="link" onClick={() => onJump(f.index)}>Slice {f.index + 1}: score <span data-testid="region-score">{formatRegionScore(f.box.score)}</span> ({f.box.pixels} px)</button></li>
          ))}
        </ol>
      )}
    </section>
  );
});
