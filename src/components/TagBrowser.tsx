// The DICOM tag browser: every attribute of the image in view, filterable by tag, keyword or value. A native modal
// <dialog>: it takes focus (the filter), keeps it inside, closes on Escape and gives focus back to the button that
// opened it (the filter is a text field: a search field would take the first Escape to clear itself). In
// teaching-safe mode identifying values never reach this thread (the worker leaves them out).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TagRow } from '../dicom/tagList';
import type { ErrorInfo } from '../shared/errors';
import './tagBrowser.css';

interface Props {
  rows: TagRow[] | null;
  error: ErrorInfo | null;
  teachingSafe: boolean;
  onClose: () => void;
}

export function TagBrowser({ rows, error, teachingSafe, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [filter, setFilter] = useState('');
  // No close() on cleanup: its 'close' event would call onClose (React's development double effects would shut the
  // dialog at once); an open dialog removed from the page simply leaves the top layer.
  useEffect(() => { if (!dialog.current!.open) dialog.current!.showModal(); }, []);
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!rows || !q) return rows ?? [];
    return rows.filter((r) => `${r.tag} ${r.keyword} ${r.hidden ? '' : r.value}`.toLowerCase().includes(q));
  }, [rows, filter]);
  return (
    <dialog ref={dialog} className="tag-browser" aria-labelledby="tag-browser-title" onClose={onClose} data-testid="tag-browser">
      <div className="tag-browser-head">
        <h2 id="tag-browser-title">DICOM attributes</h2>
        <input type="text" autoFocus placeholder="Filter by tag, keyword or value" aria-label="Filter attributes" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="tag-filter" />
        <button onClick={() => dialog.current?.close()} aria-label="Close">×</button>
      </div>
      {teachingSafe && <p className="muted small">Teaching-safe: values that could identify the patient are hidden (they are not read out of the file).</p>}
      {error && <p className="error small" role="alert">{error.name}: {error.message}</p>}
      {!rows && !error && <p className="muted small">Reading…</p>}
      {rows && (
        <div className="tag-table-wrap">
          <table className="tag-table">
            <thead><tr><th scope="col">Tag</th><th scope="col">Keyword</th><th scope="col">VR</th><th scope="col">Value</th></tr></thead>
            <tbody>
              {shown.map((r, i) => (
                <tr key={i} data-testid="tag-row" className={r.hidden ? 'hidden-value' : undefined}>
                  <td style={{ paddingLeft: `${4 + r.depth * 12}px` }}>{r.tag}</td>
                  <td>{r.keyword}</td>
                  <td>{r.vr}</td>
                  <td>{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small" aria-live="polite">{shown.length} of {rows.length} attributes</p>
        </div>
      )}
    </dialog>
  );
}
