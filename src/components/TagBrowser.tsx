// The DICOM tag browser: every attribute of the image in view, filterable by tag, keyword or value, in a Modal (focus
// on the filter, Escape closes, focus returns to the Tags button; the filter is a text field: a search field would
// take the first Escape to clear itself). In teaching-safe mode identifying values never reach this thread.
import { useMemo, useState } from 'react';
import { Modal } from './Modal';
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
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!rows || !q) return rows ?? [];
    return rows.filter((r) => `${r.tag} ${r.keyword} ${r.hidden ? '' : r.value}`.toLowerCase().includes(q));
  }, [rows, filter]);
  return (
    <Modal labelledBy="tag-browser-title" onClose={onClose} className="tag-browser" testId="tag-browser">
      <div className="tag-browser-head">
        <h2 id="tag-browser-title">DICOM attributes</h2>
        <input type="text" data-autofocus placeholder="Filter by tag, keyword or value" aria-label="Filter attributes" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="tag-filter" />
      </div>
      {teachingSafe && <p className="muted small">Teaching-safe: values that could identify the patient are hidden (they are not read out of the file).</p>}
      {error && <p className="error small" role="alert">{error.name}: {error.message}</p>}
      {!rows && !error && <p className="muted small">Reading…</p>}
      {rows && (
        <div className="tag-table-wrap" tabIndex={0} role="region" aria-label="Attributes">
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
    </Modal>
  );
}
