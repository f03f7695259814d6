// The series' measurements and annotations: kind, our value with units, slice; Enter/click jumps there and selects,
// arrow keys nudge the selected one (Shift = 10 px), Delete removes it; label and text fields; undo/redo.
// Presentational: props in, callbacks out. Numbers come from src/shared/measure.ts, not from cornerstone's text.
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AnnotationKind } from '../teaching/model';
import type { Measurement } from '../shared/measure';
import type { ErrorInfo } from '../shared/errors';

export interface MeasurementRow {
  id: string;
  kind: AnnotationKind;
  label: string;
  text: string;
  /** 1-based slice in the series on screen; null when its image is not in the stack. */
  slice: number | null;
  measurement: Measurement;
  /** How many handles (points) it has, for moving one from the keyboard. */
  points: number;
}

interface Props {
  rows: MeasurementRow[];
  /** 'HU' for CT, '' for unitless modalities. */
  unit: string;
  /** Shown above the list, e.g. "no pixel spacing: measurements in px". */
  note: string | null;
  selectedId: string | null;
  /** Focus this row's text field (a double-click on an arrow asks for its text). */
  editTextId: string | null;
  onSelect: (id: string) => void;
  onMove: (id: string, dx: number, dy: number) => void;
  /** Moves one handle (resize / reshape from the keyboard); `handle` is an index into the annotation's points. */
  onMoveHandle: (id: string, handle: number, dx: number, dy: number) => void;
  onDelete: (id: string) => void;
  onEdit: (id: string, patch: { label?: string; text?: string }) => void;
  onUndo: () => void;
  onRedo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  loading: boolean;
  error: ErrorInfo | null;
  /** Writes the series' measurements as a DICOM SR file (absent: no export offered). */
  onExportSr?: () => void;
  /** The last export's outcome, shown under the list. */
  exportState?: { busy: boolean; error: ErrorInfo | null };
}

const NAMES: Record<AnnotationKind, string> = {
  length: 'Length', angle: 'Angle', ellipse: 'Ellipse', rectangle: 'Rectangle', probe: 'Probe', arrow: 'Arrow', freehand: 'Freehand',
};
const num = (v: number, digits = 1) => v.toFixed(digits).replace('-', '−');

export function formatMeasurement(m: Measurement, unit: string, text = ''): string {
  const u = unit ? ` ${unit}` : '';
  switch (m.kind) {
    case 'length': return m.mm !== null ? `${num(m.mm)} mm` : `${num(m.px)} px`;
    case 'angle': return m.deg !== null ? `${num(m.deg)}°` : '—';
    case 'probe': return m.value !== null ? `${num(m.value, Number.isInteger(m.value) ? 0 : 1)}${u}` : '…';
    case 'none': return text || '—';
    case 'region': {
      const s = m.stats;
      const area = s.areaMm2 !== null ? `${num(s.areaMm2)} mm²` : `${num(s.areaPx, 0)} px²`;
      if (s.pixels === 0) return `area ${area}`;
      return `${num(s.mean)} ± ${num(s.sd)}${u} (min ${num(s.min, 0)}, max ${num(s.max, 0)}), area ${area}`;
    }
  }
}

const MOVES: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function MeasurementPanelView(p: Props) {
  const list = useRef<HTMLOListElement>(null);
  // The handle Alt+arrows move, per annotation ([ and ] choose it; the last point by default).
  const [handles, setHandles] = useState<Record<string, number>>({});
  const handleOf = (r: MeasurementRow) => ((handles[r.id] ?? r.points - 1) % r.points + r.points) % r.points;
  const onItemKey = (e: KeyboardEvent, id: string) => {
    const move = MOVES[e.key];
    const row = p.rows.find((r) => r.id === id);
    if (move && e.altKey && row) {
      const k = e.shiftKey ? 10 : 1;
      p.onMoveHandle(id, handleOf(row), move[0] * k, move[1] * k);
    } else if ((e.key === '[' || e.key === ']') && row) {
      setHandles((h) => ({ ...h, [id]: handleOf(row) + (e.key === ']' ? 1 : -1) }));
    } else if (move) {
      const k = e.shiftKey ? 10 : 1;
      p.onMove(id, move[0] * k, move[1] * k);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      p.onDelete(id);
      list.current?.focus();
    } else return;
    // The viewer's own arrow keys (slice scrolling) must not see it.
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <section className="panel measurement-panel" aria-label="Measurements" data-testid="measurement-panel">
      <div className="row">
        <h2>Measurements</h2>
        <button onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)" data-testid="measurement-undo">Undo</button>
        <button onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z or Ctrl+Y)" data-testid="measurement-redo">Redo</button>
        {p.onExportSr && <button onClick={p.onExportSr} disabled={p.rows.length === 0 || p.exportState?.busy} title="Download this series' measurements as a DICOM SR (TID 1500) file other viewers read" data-testid="export-sr">Export SR</button>}
      </div>
      {p.exportState?.error && <p role="alert" className="error small" data-testid="export-sr-error">{p.exportState.error.name}: {p.exportState.error.message}</p>}
      {p.error && <p role="alert" className="error small" data-testid="measurement-error">{p.error.name}: {p.error.message} — your measurements are kept on this page.</p>}
      {p.note && <p className="muted small" data-testid="measurement-note">{p.note}</p>}
      {p.loading && <p className="muted small">Loading saved measurements…</p>}
      {!p.loading && p.rows.length === 0 && <p className="muted small">None yet: choose a tool and drag on the image, or press Enter to place one.</p>}
      <ol className="finding-list measurement-list" ref={list} tabIndex={-1} aria-label="Measurements in this series">
        {p.rows.map((r) => (
          <li key={r.id} className={r.id === p.selectedId ? 'selected' : ''} data-testid="measurement-item" data-id={r.id}>
            <button className="item" aria-current={r.id === p.selectedId ? 'true' : undefined} onClick={() => p.onSelect(r.id)} onKeyDown={(e) => onItemKey(e, r.id)}
              title="Enter: go to its slice and select it · arrows: move 1 px (Shift: 10 px) · [ ]: choose a handle, Alt+arrows: move it · Delete: remove"
              aria-description={`Handle ${handleOf(r) + 1} of ${r.points} chosen for Alt+arrows`} data-testid="measurement-jump">
              <span className="kind">{NAMES[r.kind]}</span>{' '}
              <span data-testid="measurement-value">{formatMeasurement(r.measurement, p.unit, r.text)}</span>{' '}
              <span className="muted">{r.slice !== null ? `slice ${r.slice}` : 'not in this stack'}</span>
            </button>
            <DraftField label="Label" value={r.label} onCommit={(label) => p.onEdit(r.id, { label })} testId="measurement-label" />
            <DraftField label={r.kind === 'arrow' ? 'Text' : 'Note'} value={r.text} onCommit={(text) => p.onEdit(r.id, { text })} testId="measurement-text" focus={p.editTextId === r.id} />
            <button onClick={() => p.onDelete(r.id)} aria-label={`Delete ${NAMES[r.kind]}${r.label ? ` ${r.label}` : ''}`} data-testid="measurement-delete">Delete</button>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A text field that commits once (Enter or leaving it), so one edit is one undo step; Escape puts the value back. */
function DraftField({ label, value, onCommit, testId, focus = false }: { label: string; value: string; onCommit: (v: string) => void; testId: string; focus?: boolean }) {
  const [draft, setDraft] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- a new committed value (undo, an edit elsewhere) replaces the draft
  useEffect(() => setDraft(value), [value]);
  useEffect(() => { if (focus) input.current?.focus(); }, [focus]);
  const done = () => { if (draft !== value) onCommit(draft); };
  return (
    <label className="field small">{label}{' '}
      <input ref={input} type="text" value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={done} data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Enter') done();
          if (e.key === 'Escape') { setDraft(value); e.stopPropagation(); }
        }} />
    </label>
  );
}

/** Memoised: the review view re-renders on every slice, pan and window change. */
export const MeasurementPanel = memo(MeasurementPanelView);
