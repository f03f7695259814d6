// The open case: title, history, question, series, key images, findings (region, label, difficulty, explanation,
// tolerance), diagnosis and discussion, with its problems listed. Presentational: every change is a CaseAction.
import { useState, type KeyboardEvent } from 'react';
import type { Case, Finding, ImageRef, RegionKind, SeriesRef, TeachingSet } from '../teaching/model';
import { DIFFICULTIES, sameImage, type Difficulty } from '../teaching/model';
import type { CaseAction, CaseField } from '../teaching/caseActions';
import type { CaseProblem } from '../teaching/validateCase';
import { movePoint, regionPoints, translateRegion, withRegionPoints } from '../teaching/regions';

interface Props {
  value: Case;
  set: TeachingSet;
  problems: CaseProblem[];
  /** The series in the viewer and the image on screen (what "add series" and "key image" act on). */
  inView: { series: SeriesRef; image: ImageRef; slice: number } | null;
  drawKind: RegionKind | null;
  onDrawKind: (k: RegionKind | null) => void;
  onPlace: (k: RegionKind) => void;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onGoTo: (image: ImageRef) => void;
  onAction: (a: CaseAction) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  unsaved: boolean;
  /** An edit is still being written: "Saving…", not "Saved", until it is. */
  saving: boolean;
}

const KINDS: [RegionKind, string, string][] = [['point', 'Point', 'P'], ['box', 'Box', 'B'], ['ellipse', 'Ellipse', 'E'], ['freehand', 'Freehand', 'D']];

export function CaseEditor(p: Props) {
  const c = p.value;
  const field = (f: CaseField, label: string, rows = 0) => (
    <label className="field">{label}
      {rows ? <textarea rows={rows} value={c[f]} onChange={(e) => p.onAction({ type: 'set-field', field: f, value: e.target.value })} data-testid={`case-${f}`} />
        : <input value={c[f]} onChange={(e) => p.onAction({ type: 'set-field', field: f, value: e.target.value })} data-testid={`case-${f}`} />}
    </label>
  );
  const inCase = p.inView ? c.series.some((s) => s.seriesInstanceUID === p.inView!.series.seriesInstanceUID) : false;
  const isKey = p.inView ? c.keyImages.some((k) => sameImage(k, p.inView!.image)) : false;
  return (
    <section className="panel case-editor" aria-label="Case" data-testid="case-editor">
      <div className="row">
        <h2>Case</h2>
        <button onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)">Undo</button>
        <button onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
        <span className={p.unsaved ? 'error small' : 'muted small'} data-testid="save-state">{p.unsaved ? 'Not saved' : p.saving ? 'Saving…' : 'Saved'}</span>
      </div>
      {field('title', 'Title')}
      {field('history', 'Clinical history', 2)}
      {field('question', 'Question', 2)}
      <h3>Series ({c.series.length})</h3>
      <ul className="plain">
        {c.series.map((s) => (
          <li key={s.seriesInstanceUID}>{s.description || s.modality} · {s.sopInstanceUIDs.length} images{' '}
            <button className="link" onClick={() => p.onAction({ type: 'remove-series', seriesInstanceUID: s.seriesInstanceUID })} aria-label={`Remove series ${s.description}`}>remove</button></li>
        ))}
      </ul>
      {p.inView && !inCase && <button onClick={() => p.onAction({ type: 'add-series', series: p.inView!.series })} data-testid="add-series">Add the series in view ({p.inView.series.description || p.inView.series.modality})</button>}
      <h3>Key images ({c.keyImages.length})</h3>
      <div className="row">
        {c.keyImages.map((k) => <button key={`${k.sopInstanceUID}:${k.frame}`} className="link" onClick={() => p.onGoTo(k)}>{sliceName(c, k)}</button>)}
        {p.inView && inCase && <button onClick={() => p.onAction({ type: 'toggle-key-image', image: p.inView!.image })} aria-pressed={isKey} data-testid="key-image" title="Key image (K)">{isKey ? 'Unmark' : 'Mark'} slice {p.inView.slice} as key</button>}
      </div>
      <h3>Findings ({c.findings.length})</h3>
      <div className="row" role="toolbar" aria-label="Draw a finding">
        {KINDS.map(([k, label, key]) => (
          <button key={k} aria-pressed={p.drawKind === k} onClick={() => p.onDrawKind(p.drawKind === k ? null : k)} title={`Draw a ${label.toLowerCase()} finding (${key}); Shift+${key} places one at the centre`} data-testid={`draw-${k}`} disabled={!inCase}>{label}</button>
        ))}
        <button onClick={() => p.drawKind && p.onPlace(p.drawKind)} disabled={!p.drawKind || !inCase} data-testid="place-finding" title="Place the chosen region at the centre of the view (keyboard)">Place at centre</button>
      </div>
      {!inCase && <p className="muted small">Add the series in view to the case to mark findings on it.</p>}
      <ol className="finding-list" data-testid="finding-list">
        {c.findings.map((f, i) => (
          <FindingRow key={f.id} f={f} index={i} c={c} vocabulary={p.set.vocabulary} selected={p.selected === f.id}
            onAction={p.onAction} onSelect={p.onSelect} onGoTo={p.onGoTo} />
        ))}
      </ol>
      {field('diagnosis', 'Diagnosis')}
      {field('discussion', 'Discussion', 3)}
      {p.problems.length > 0 && (
        <ul className="problems" data-testid="case-problems" aria-label="Problems">
          {p.problems.map((x, i) => <li key={i} className={x.level}>{x.message}</li>)}
        </ul>
      )}
    </section>
  );
}

function sliceName(c: Case, r: ImageRef): string {
  const s = c.series.find((x) => x.seriesInstanceUID === r.seriesInstanceUID);
  const i = s ? s.sopInstanceUIDs.indexOf(r.sopInstanceUID) : -1;
  return `${s?.description || 'series'} ${i + 1}${r.frame ? ` f${r.frame + 1}` : ''}`;
}

interface RowProps extends Pick<Props, 'onAction' | 'onSelect' | 'onGoTo'> { f: Finding; index: number; c: Case; vocabulary: string[]; selected: boolean }

function FindingRow({ f, index, c, vocabulary, selected, onAction, onSelect, onGoTo }: RowProps) {
  const count = c.findings.length;
  const n = regionPoints(f.region).length;
  const [handle, setHandle] = useState(n - 1); // the point Alt+arrows move ([ and ] choose it)
  const h = ((handle % n) + n) % n;
  const update = (patch: Extract<CaseAction, { type: 'update-finding' }>['patch']) => onAction({ type: 'update-finding', id: f.id, patch });
  // Arrow keys move the selected finding's region by a pixel (Shift: 10); Delete removes it.
  const onKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    const step = e.shiftKey ? 10 : 1;
    const d: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const m = d[e.key];
    if (m && e.altKey) { e.preventDefault(); e.stopPropagation(); update({ region: withRegionPoints(f.region, movePoint(regionPoints(f.region), h, m[0], m[1])) }); }
    else if (m) { e.preventDefault(); e.stopPropagation(); update({ region: translateRegion(f.region, m[0], m[1]) }); }
    else if (e.key === '[' || e.key === ']') { e.preventDefault(); setHandle(h + (e.key === ']' ? 1 : -1)); }
    else if (e.key === 'Delete') { e.preventDefault(); onAction({ type: 'remove-finding', id: f.id }); }
    else if (e.key === 'Enter') { onSelect(f.id); onGoTo(f.image); }
  };
  return (
    <li className={selected ? 'selected' : ''} tabIndex={0} onKeyDown={onKey} onFocus={() => onSelect(f.id)} data-testid="finding-item"
      aria-label={`Finding ${index + 1}: ${f.label || 'no label'}, ${f.region.kind} on ${sliceName(c, f.image)}. Arrow keys move it; [ and ] choose handle (now ${h + 1} of ${n}), Alt+arrows move that handle; Delete removes it.`}>
      <div className="row">
        <button className="link" onClick={() => { onSelect(f.id); onGoTo(f.image); }}>{f.region.kind} · {sliceName(c, f.image)}</button>
        <button onClick={() => onAction({ type: 'move-finding', id: f.id, to: index - 1 })} disabled={index === 0} aria-label="Move finding up">↑</button>
        <button onClick={() => onAction({ type: 'move-finding', id: f.id, to: index + 1 })} disabled={index === count - 1} aria-label="Move finding down">↓</button>
        <button onClick={() => onAction({ type: 'remove-finding', id: f.id })} aria-label="Delete finding">✕</button>
      </div>
      <div className="row">
        <select value={f.label} onChange={(e) => update({ label: e.target.value })} aria-label="Label" data-testid="finding-label">
          {!vocabulary.includes(f.label) && <option value={f.label}>{f.label || '— label —'}</option>}
          {vocabulary.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
        <label>Difficulty <select value={f.difficulty} onChange={(e) => update({ difficulty: Number(e.target.value) as Difficulty })} data-testid="finding-difficulty">
          {DIFFICULTIES.map((d) => <option key={d} value={d}>{d}</option>)}
        </select></label>
        <label>Tolerance mm <input type="number" min={0} step={0.5} className="narrow" value={f.toleranceMm ?? ''} placeholder="auto"
          onChange={(e) => update({ toleranceMm: e.target.value === '' ? null : Math.max(0, Number(e.target.value)) })} /></label>
      </div>
      <textarea rows={2} value={f.explanation} placeholder="Explanation shown to the trainee" onChange={(e) => update({ explanation: e.target.value })} aria-label="Explanation" data-testid="finding-explanation" />
    </li>
  );
}
