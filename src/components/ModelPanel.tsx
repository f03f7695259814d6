// Run a model on the current slice or the whole series: task choice, run/cancel, progress (slices and tiles), the
// backend actually used, out-of-distribution warnings and the model card one click away. Presentational.
import { memo } from 'react';
import type { RuntimeInfo } from '../../workers/inference/inferenceApi';
import { runtimeLabel } from '../inference/runtimeLabel';
import type { ErrorInfo } from '../shared/errors';
import type { RunProgress, Task } from '../app/useInference';
import { MODEL_CATALOG, MODEL_IDS } from '../../models/catalog';

interface Props {
  task: Task;
  onTask: (t: Task) => void;
  /** Load and warm a model ahead of a run: called when the person chooses a model or reaches for Run. */
  onPrepare?: (t: Task) => void;
  onRun: (scope: 'slice' | 'series') => void;
  onCancel: () => void;
  onCard: () => void;
  progress: RunProgress | null;
  info: RuntimeInfo | null;
  /** The model being loaded ahead of a run (chosen just now), if any. */
  preparing?: Task | null;
  error: ErrorInfo | null;
  warnings: string[];
  /** A line about the result on this slice (denoise: the noise level it estimated and was set to). */
  note?: string;
}

export const ModelPanel = memo(function ModelPanel({ task, onTask, onPrepare, onRun, onCancel, onCard, progress, info, preparing, error, warnings, note }: Props) {
  const busy = !!progress;
  // Choosing a model, or pointing at or tabbing to the Run buttons, is the moment to load it (a second or more on a
  // slow machine), so that Run starts at once and the series does not share the processor with the engine's
  // compiler. Not on the way across the panel to another model: that would load the one not wanted first.
  const prepare = (t: Task) => { if (onPrepare && preparing !== t && !info?.loaded.includes(t)) onPrepare(t); };
  const frac = progress ? (progress.slicesDone + progress.tilesDone / Math.max(1, progress.tilesTotal)) / Math.max(1, progress.slicesTotal) : 0;
  return (
    <section className="panel model-panel" aria-label="Models" data-testid="model-panel">
      <h2>Enhance and screen</h2>
      <div className="tasks" role="radiogroup" aria-label="Model">
        {MODEL_IDS.map((t) => (
          <label key={t}><input type="radio" name="task" checked={task === t} onChange={() => { onTask(t); prepare(t); }} data-testid={`task-${t}`} /> {MODEL_CATALOG[t].title}</label>
        ))}
      </div>
      <div className="row" onPointerOver={() => prepare(task)} onFocus={() => prepare(task)}>
        <button onClick={() => onRun('slice')} disabled={busy} data-testid="run-slice">Run on this slice</button>
        <button onClick={() => onRun('series')} disabled={busy} data-testid="run-series">Run on series</button>
        {busy && <button onClick={onCancel} data-testid="cancel">Cancel</button>}
        <button className="link" onClick={onCard} data-testid="open-card">Model card</button>
      </div>
      {warnings.length > 0 && (
        <div className="warning" role="status" data-testid="ood-warning">
          <strong>Outside what this model was trained on:</strong>
          <ul>{warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        </div>
      )}
      {progress && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={1} aria-valuenow={frac} data-testid="inference-progress">
          <div className="bar" style={{ width: `${100 * frac}%` }} />
          <span>{MODEL_CATALOG[progress.task].title}: slice {Math.min(progress.slicesDone + 1, progress.slicesTotal)} / {progress.slicesTotal}, tile {progress.tilesDone} / {progress.tilesTotal}</span>
        </div>
      )}
      {error && <p className="error" role="alert" data-testid="inference-error">{error.name}: {error.message}</p>}
      {!progress && (preparing === task || info?.loaded.includes(task)) && (
        <p className="muted small" role="status" data-testid="model-state">
          {preparing === task ? `Loading ${MODEL_CATALOG[task].title}…` : `${MODEL_CATALOG[task].title} loaded and ready.`}
        </p>
      )}
      {note && <p className="small" role="status" data-testid="model-note">{note}</p>}
      <p className="muted small" data-testid="backend">
        {info ? runtimeLabel(info) : 'Model runtime starts on first use.'}
      </p>
      <p className="muted small">Results are for teaching and review only — a model can invent or remove detail.</p>
    </section>
  );
});
