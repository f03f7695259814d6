// The unknown case as a trainee answers it: history and question, the marking tools (point, box, ellipse), each mark
// with a label and a confidence 1–5, and Submit. Presentational: props in, callbacks out.
import type { Case, TeachingSet } from '../teaching/model';
import type { Confidence, Mark } from '../teaching/practiceModel';

export type MarkKind = Mark['region']['kind'];

interface Props {
  value: Case;
  set: TeachingSet;
  position: { index: number; total: number };
  marks: Mark[];
  kind: MarkKind;
  onKind: (k: MarkKind) => void;
  onPlace: () => void;
  onLabel: (id: string, label: string) => void;
  onConfidence: (id: string, c: Confidence) => void;
  onRemove: (id: string) => void;
  onSubmit: () => void;
  sliceOf: (m: Mark) => string;
  elapsed: number;
}

const KINDS: [MarkKind, string][] = [['point', 'Point (click)'], ['box', 'Box (drag)'], ['ellipse', 'Ellipse (drag)']];

export function PracticePanel(p: Props) {
  return (
    <section className="panel practice-panel" aria-label="Unknown case" data-testid="practice-panel">
      <h2>Case {p.position.index + 1} of {p.position.total} <span className="muted small">{Math.floor(p.elapsed / 60)}:{String(p.elapsed % 60).padStart(2, '0')}</span></h2>
      <h3>Clinical history</h3>
      <p data-testid="practice-history">{p.value.history || '—'}</p>
      <h3>Question</h3>
      <p data-testid="practice-question">{p.value.question}</p>
      <h3>Your marks ({p.marks.length})</h3>
      <div className="row" role="toolbar" aria-label="Mark with">
        {KINDS.map(([k, label]) => <button key={k} aria-pressed={p.kind === k} onClick={() => p.onKind(k)} data-testid={`mark-${k}`}>{label}</button>)}
        <button onClick={p.onPlace} title="Place a mark at the centre of the view (keyboard: M)" data-testid="place-mark">Mark centre</button>
      </div>
      <p className="muted small">Scroll, window and measure as usual; the left button marks. Nothing is scored until you submit.</p>
      <ol className="finding-list" data-testid="mark-list">
        {p.marks.map((m, i) => (
          <li key={m.id} data-testid="mark-item">
            <div className="row">
              <span>{i + 1}. {m.region.kind} · {p.sliceOf(m)}</span>
              <button onClick={() => p.onRemove(m.id)} aria-label={`Remove mark ${i + 1}`}>✕</button>
            </div>
            <div className="row">
              <select value={m.label} onChange={(e) => p.onLabel(m.id, e.target.value)} aria-label={`Label of mark ${i + 1}`} data-testid="mark-label">
                <option value="">— what is it? —</option>
                {p.set.vocabulary.map((l) => <option key={l} value={l}>{l}</option>)}
              </select>
              <label>Confidence <select value={m.confidence} onChange={(e) => p.onConfidence(m.id, Number(e.target.value) as Confidence)} data-testid="mark-confidence">
                {[1, 2, 3, 4, 5].map((c) => <option key={c} value={c}>{c}</option>)}
              </select></label>
            </div>
          </li>
        ))}
      </ol>
      <button className="primary" onClick={p.onSubmit} data-testid="submit-answer">{p.marks.length ? 'Submit' : 'Submit: nothing abnormal'}</button>
    </section>
  );
}
