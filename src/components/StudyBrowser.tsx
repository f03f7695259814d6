// "Open from PACS": pick or add a DICOMweb server, search its studies (QIDO-RS) by patient, date range, modality,
// accession and description, page through the results and open one. A refused login (401/403) asks for credentials
// again; other failures are named sentences with a Retry. In teaching-safe mode names and IDs in the list are hidden.
// UI thread; every request goes through src/sources/dicomweb.
import { useState, type FormEvent } from 'react';
import { Modal } from './Modal';
import { searchSeries, searchStudies, type SeriesRecord, type StudyQuery, type StudyRecord } from '../sources/dicomweb/qido';
import { allowedByPolicy, type SavedServer } from '../app/usePacs';
import type { DicomwebAuth } from '../sources/dicomweb/server';

const PAGE = 25;

interface Props {
  servers: SavedServer[];
  onPutServer: (s: SavedServer) => void;
  onRemoveServer: (id: string) => void;
  onOpen: (server: SavedServer, study: StudyRecord) => void;
  onClose: () => void;
  teachingSafe: boolean;
}

type AuthKind = 'none' | 'bearer' | 'basic';

function ServerForm({ initial, onSave, onCancel, reason }: { initial?: SavedServer; onSave: (s: SavedServer) => void; onCancel?: () => void; reason?: string }) {
  const [label, setLabel] = useState(initial?.label ?? '');
  const [url, setUrl] = useState(initial?.url ?? '');
  const [kind, setKind] = useState<AuthKind>(initial?.auth?.kind ?? 'none');
  const [token, setToken] = useState(initial?.auth?.kind === 'bearer' ? initial.auth.token : '');
  const [username, setUsername] = useState(initial?.auth?.kind === 'basic' ? initial.auth.username : '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(initial?.remember ?? false);
  const blocked = url.trim() !== '' && !allowedByPolicy(url.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const auth: DicomwebAuth | undefined = kind === 'bearer' ? { kind, token } : kind === 'basic' ? { kind, username, password } : undefined;
    onSave({ id: initial?.id ?? crypto.randomUUID(), label: label.trim() || url.trim(), url: url.trim(), auth, remember });
  };
  return (
    <form className="pacs-server-form" onSubmit={submit} data-testid="pacs-server-form" aria-label={initial ? `Sign in to ${initial.label}` : 'Add a DICOMweb server'}>
      {reason && <p className="error" role="alert">{reason}</p>}
      {!initial && <label>Name <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Department PACS" data-testid="pacs-label" /></label>}
      {!initial && <label>DICOMweb address <input value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://pacs.example.org/dicom-web" data-testid="pacs-url" /></label>}
      {blocked && <p className="warning" data-testid="pacs-policy">This deployment does not allow connecting to {(() => { try { return new URL(url).origin; } catch { return url; } })()}: its administrator lists DICOMweb servers in LUCID_DICOMWEB_ORIGINS when building Lucid (README, Deploying).</p>}
      <fieldset>
        <legend>Sign-in</legend>
        {(['none', 'bearer', 'basic'] as const).map((k) => (
          <label key={k}><input type="radio" name="auth" checked={kind === k} onChange={() => setKind(k)} data-testid={`pacs-auth-${k}`} /> {k === 'none' ? 'None' : k === 'bearer' ? 'Token' : 'User name and password'}</label>
        ))}
        {kind === 'bearer' && <label>Token <input type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" data-testid="pacs-token" /></label>}
        {kind === 'basic' && <>
          <label>User name <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" data-testid="pacs-username" /></label>
          <label>Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" data-testid="pacs-password" /></label>
        </>}
      </fieldset>
      <label><input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} data-testid="pacs-remember" /> Remember this server{kind !== 'none' ? ' and its sign-in' : ''} on this device</label>
      <div className="row">
        <button type="submit" data-testid="pacs-save">{initial ? 'Sign in' : 'Add server'}</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

const dateText = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d);
const toDicomDate = (d: string) => d.replaceAll('-', '');

export function StudyBrowser({ servers, onPutServer, onRemoveServer, onOpen, onClose, teachingSafe }: Props) {
  const [serverId, setServerId] = useState<string | null>(servers[0]?.id ?? null);
  const server = servers.find((s) => s.id === serverId) ?? null;
  const [adding, setAdding] = useState(servers.length === 0);
  const [signIn, setSignIn] = useState<string | null>(null);
  const [q, setQ] = useState({ patientName: '', patientId: '', from: '', to: '', modality: '', accessionNumber: '', studyDescription: '' });
  const [results, setResults] = useState<{ items: StudyRecord[]; offset: number; hasMore: boolean } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  /** The series of the study whose row is expanded (what is in it: images, and any SR or SEG stored back). */
  const [expanded, setExpanded] = useState<{ study: string; series: SeriesRecord[] | null; error?: string } | null>(null);
  const toggleSeries = (s: StudyRecord) => {
    if (!server || expanded?.study === s.studyInstanceUID) { setExpanded(null); return; }
    setExpanded({ study: s.studyInstanceUID, series: null });
    searchSeries(server, s.studyInstanceUID, { limit: 200 }).then(
      (r) => setExpanded((x) => (x?.study === s.studyInstanceUID ? { ...x, series: r.items } : x)),
      (e: Error) => setExpanded((x) => (x?.study === s.studyInstanceUID ? { ...x, series: [], error: e.message } : x)));
  };

  const search = async (offset: number, s: SavedServer | null = server) => {
    if (!s) return;
    const query: StudyQuery = {
      patientName: q.patientName || undefined, patientId: q.patientId || undefined, modality: q.modality || undefined,
      accessionNumber: q.accessionNumber || undefined, studyDescription: q.studyDescription || undefined,
      studyDate: q.from || q.to ? { from: q.from ? toDicomDate(q.from) : undefined, to: q.to ? toDicomDate(q.to) : undefined } : undefined,
    };
    setBusy(true);
    setError(null);
    try {
      setResults(await searchStudies(s, query, { limit: PAGE, offset }));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      setError(err);
      if (err.name === 'DicomwebAuthError') setSignIn(err.message);
    } finally { setBusy(false); }
  };

  const field = (key: keyof typeof q, label: string, extra: Record<string, string> = {}) => (
    <label>{label} <input value={q[key]} onChange={(e) => setQ((v) => ({ ...v, [key]: e.target.value }))} data-testid={`pacs-q-${key}`} {...extra} /></label>
  );

  return (
    <Modal label="Open from a PACS (DICOMweb)" onClose={onClose} className="study-browser" testId="study-browser">
      <h2>Open from a PACS</h2>
      <div className="row">
        <label>Server{' '}
          <select value={serverId ?? ''} onChange={(e) => { setServerId(e.target.value || null); setResults(null); setError(null); setSignIn(null); }} data-testid="pacs-server">
            {servers.length === 0 && <option value="">none yet</option>}
            {servers.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => setAdding(true)} data-testid="pacs-add">Add server…</button>
        {server && <button type="button" onClick={() => { onRemoveServer(server.id); setServerId(servers.find((s) => s.id !== server.id)?.id ?? null); setResults(null); }}>Remove</button>}
      </div>
      {adding && <ServerForm onSave={(s) => { onPutServer(s); setServerId(s.id); setAdding(false); setResults(null); }} onCancel={servers.length ? () => setAdding(false) : undefined} />}
      {server && signIn !== null && (
        <ServerForm key={server.id} initial={server} reason={signIn} onSave={(s) => { onPutServer(s); setSignIn(null); void search(results?.offset ?? 0, s); }} onCancel={() => setSignIn(null)} />
      )}
      {server && !adding && (
        <form className="pacs-search" onSubmit={(e) => { e.preventDefault(); void search(0); }} data-testid="pacs-search">
          {field('patientName', 'Patient name')}
          {field('patientId', 'Patient ID')}
          {field('from', 'From', { type: 'date' })}
          {field('to', 'To', { type: 'date' })}
          {field('modality', 'Modality', { placeholder: 'CT, MR…', size: '4' })}
          {field('accessionNumber', 'Accession')}
          {field('studyDescription', 'Description')}
          <button type="submit" disabled={busy} data-testid="pacs-search-button">{busy ? 'Searching…' : 'Search'}</button>
        </form>
      )}
      {error && error.name !== 'DicomwebAuthError' && (
        <p className="error" role="alert" data-testid="pacs-error">{error.message} <button type="button" onClick={() => void search(results?.offset ?? 0)}>Retry</button></p>
      )}
      {results && (
        <>
          <table className="pacs-results" data-testid="pacs-results">
            <thead><tr><th>Patient</th><th>ID</th><th>Date</th><th>Modalities</th><th>Description</th><th>Accession</th><th>Images</th><th /></tr></thead>
            <tbody>
              {results.items.length === 0 && <tr><td colSpan={8}>No study matches.</td></tr>}
              {results.items.map((s) => [
                <tr key={s.studyInstanceUID} data-testid="pacs-study">
                  <td>{teachingSafe ? 'hidden (teaching-safe)' : s.patientName.replaceAll('^', ' ')}</td>
                  <td>{teachingSafe ? 'hidden' : s.patientId}</td>
                  <td>{dateText(s.studyDate)}</td>
                  <td>{s.modalities.join(', ')}</td>
                  <td>{s.description}</td>
                  <td>{teachingSafe ? 'hidden' : s.accession}</td>
                  <td>{s.numberOfInstances ?? ''}</td>
                  <td>
                    <button type="button" aria-expanded={expanded?.study === s.studyInstanceUID} onClick={() => toggleSeries(s)} data-testid="pacs-series-toggle">Series</button>{' '}
                    <button type="button" onClick={() => { if (server) { onOpen(server, s); onClose(); } }} data-testid="pacs-open">Open</button>
                  </td>
                </tr>,
                expanded?.study === s.studyInstanceUID && (
                  <tr key={`${s.studyInstanceUID}-series`}><td colSpan={8}>
                    {expanded.series === null ? 'Looking up its series…' : expanded.error ? <span className="error">{expanded.error}</span> : (
                      <ul className="pacs-series" data-testid="pacs-series">
                        {expanded.series.map((x) => <li key={x.seriesInstanceUID} data-testid="pacs-series-item">{x.modality} · {x.description || `Series ${x.seriesNumber ?? ''}`} · {x.numberOfInstances ?? '?'} instance{x.numberOfInstances === 1 ? '' : 's'}</li>)}
                      </ul>
                    )}
                  </td></tr>
                ),
              ])}
            </tbody>
          </table>
          <div className="row">
            <button type="button" disabled={busy || results.offset === 0} onClick={() => void search(Math.max(0, results.offset - PAGE))} data-testid="pacs-prev">Previous</button>
            <span data-testid="pacs-page">{results.items.length ? `${results.offset + 1}–${results.offset + results.items.length}` : '0'}{results.hasMore ? ' of more' : ''}</span>
            <button type="button" disabled={busy || !results.hasMore} onClick={() => void search(results.offset + PAGE)} data-testid="pacs-next">Next</button>
          </div>
        </>
      )}
      {teachingSafe && results && <p className="muted small">Names, IDs and accession numbers are hidden in teaching-safe mode.</p>}
    </Modal>
  );
}
