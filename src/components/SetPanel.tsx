// Teaching sets and their cases: pick or create a set, edit its title/author/description and vocabulary, list its
// cases in teaching order (open, move up/down, duplicate, delete), import and export packets. Presentational.
import { useState } from 'react';
import type { Case, TeachingSet } from '../teaching/model';
import type { SetField } from '../teaching/setActions';

interface Props {
  sets: TeachingSet[];
  active: TeachingSet | null;
  cases: Case[];
  openCaseId: string | null;
  /** Whether a case is ready to teach with (no blocking problem). */
  ready: (c: Case) => boolean;
  busy: string | null;
  onCreateSet: () => void;
  onOpenSet: (id: string | null) => void;
  onSetField: (field: SetField, value: string) => void;
  onDeleteSet: (id: string) => void;
  onDuplicateSet: () => void;
  onCreateCase: () => void;
  onOpenCase: (id: string) => void;
  onMoveCase: (id: string, to: number) => void;
  onDuplicateCase: (id: string) => void;
  onDeleteCase: (id: string) => void;
  onLabel: (op: { type: 'add-label'; label: string } | { type: 'rename-label'; from: string; to: string } | { type: 'remove-label'; label: string }) => void;
  onExport: () => void;
  onImport: (file: File) => void;
}

export function SetPanel(p: Props) {
  const { active } = p;
  const byId = new Map(p.cases.map((c) => [c.id, c]));
  const ordered = active ? active.caseIds.map((id) => byId.get(id)).filter((c): c is Case => !!c) : [];
  return (
    <section className="panel set-panel" aria-label="Teaching sets" data-testid="set-panel">
      <h2>Teaching sets</h2>
      <div className="row">
        <select aria-label="Teaching set" value={active?.id ?? ''} onChange={(e) => p.onOpenSet(e.target.value || null)} data-testid="set-select">
          <option value="">— choose a set —</option>
          {p.sets.map((s) => <option key={s.id} value={s.id}>{s.title} ({s.caseIds.length})</option>)}
        </select>
        <button onClick={p.onCreateSet} data-testid="new-set">New set</button>
        <label className="button">Import packet<input type="file" accept=".zip,.lucid.zip,application/zip" hidden data-testid="import-packet"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) p.onImport(f); }} /></label>
      </div>
      {p.busy && <p className="muted small" role="status">{p.busy}</p>}
      {active && (
        <>
          <label className="field">Title <input value={active.title} onChange={(e) => p.onSetField('title', e.target.value)} data-testid="set-title" /></label>
          <label className="field">Author <input value={active.author} onChange={(e) => p.onSetField('author', e.target.value)} data-testid="set-author" /></label>
          <label className="field">Description <textarea rows={2} value={active.description} onChange={(e) => p.onSetField('description', e.target.value)} data-testid="set-description" /></label>
          <h3>Cases</h3>
          <ol className="case-list" data-testid="case-list">
            {ordered.map((c, i) => (
              <li key={c.id} className={c.id === p.openCaseId ? 'active' : ''} data-testid="case-item">
                <button className="link" onClick={() => p.onOpenCase(c.id)} aria-current={c.id === p.openCaseId}>{c.title || 'Untitled case'}</button>
                {!p.ready(c) && <span className="badge" title="Not ready: see the case's problems">draft</span>}
                <span className="case-actions">
                  <button onClick={() => p.onMoveCase(c.id, i - 1)} disabled={i === 0} aria-label={`Move ${c.title} up`}>↑</button>
                  <button onClick={() => p.onMoveCase(c.id, i + 1)} disabled={i === ordered.length - 1} aria-label={`Move ${c.title} down`}>↓</button>
                  <button onClick={() => p.onDuplicateCase(c.id)} aria-label={`Duplicate ${c.title}`}>Copy</button>
                  <button onClick={() => { if (window.confirm(`Delete the case “${c.title}”?`)) p.onDeleteCase(c.id); }} aria-label={`Delete ${c.title}`}>✕</button>
                </span>
              </li>
            ))}
          </ol>
          <div className="row">
            <button onClick={p.onCreateCase} data-testid="new-case">New case</button>
            <button onClick={p.onExport} disabled={ordered.length === 0} data-testid="export-packet">Export packet</button>
            <button onClick={p.onDuplicateSet} data-testid="duplicate-set">Duplicate set</button>
            <button onClick={() => { if (window.confirm(`Delete the set “${active.title}” and its ${ordered.length} cases?`)) p.onDeleteSet(active.id); }}>Delete set</button>
          </div>
          <Vocabulary labels={active.vocabulary} onLabel={p.onLabel} />
        </>
      )}
    </section>
  );
}

function Vocabulary({ labels, onLabel }: { labels: string[]; onLabel: Props['onLabel'] }) {
  const [draft, setDraft] = useState('');
  return (
    <details className="vocabulary">
      <summary>Finding labels ({labels.length})</summary>
      <ul>
        {labels.map((l) => (
          <li key={l}>
            <input defaultValue={l} aria-label={`Label ${l}`} onBlur={(e) => { if (e.target.value.trim() && e.target.value !== l) onLabel({ type: 'rename-label', from: l, to: e.target.value }); }} />
            <button onClick={() => onLabel({ type: 'remove-label', label: l })} aria-label={`Remove label ${l}`}>✕</button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={(e) => { e.preventDefault(); onLabel({ type: 'add-label', label: draft }); setDraft(''); }}>
        <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="New label" aria-label="New label" data-testid="new-label" />
        <button type="submit">Add</button>
      </form>
    </details>
  );
}
