// Identity panel: which attributes of the instance in view carry patient identity, whether the file says it was
// de-identified (Patient Identity Removed (0012,0062), De-identification Method (0012,0063)), and what an export does
// with each (PS3.15 Annex E Basic Profile). Presentational: props in, one toggle callback out. In teaching-safe mode the
// attributes are listed but their values are never rendered.
import { memo, useId } from 'react';
import type { InstanceIdentity } from '../dicom/deidentify/identity';
import type { DeidAction } from '../dicom/deidentify/rules';
import type { ErrorInfo } from '../shared/errors';

interface Props {
  /** Null while nothing has been read (see `loading`, `error`), or when the instance is not loaded. */
  identity: InstanceIdentity | null;
  loading: boolean;
  error: ErrorInfo | null;
  teachingSafe: boolean;
  expanded: boolean;
  onToggle: () => void;
}

/** What the export's de-identification does with an attribute (PS3.15 Table E.1-1 action, as resolved by rules.ts). */
export const EXPORT_ACTION_LABEL: Record<DeidAction, string> = {
  remove: 'removed', empty: 'emptied', dummy: 'replaced (dummy)', uid: 'UID replaced', shift: 'date shifted',
  clean: 'cleaned of identifying text', keep: 'kept', recurse: 'items de-identified',
};

const BADGE = { fontSize: 11, borderRadius: 8, padding: '0 5px', marginRight: 4, border: '1px solid' } as const;
const DEIDENTIFIED_BADGE = { ...BADGE, background: '#1e3d26', borderColor: '#4caf50', color: '#c8e6c9' };
const IDENTIFIED_BADGE = { ...BADGE, background: '#4a3a10', borderColor: '#c9a227', color: '#f3e2a9' };
const CELL = { textAlign: 'left', verticalAlign: 'top', padding: '1px 4px', borderBottom: '1px solid #333' } as const;
/** Values (UIDs, long names) break anywhere so the narrow side column never scrolls sideways. */
const VALUE_CELL = { ...CELL, overflowWrap: 'anywhere' } as const;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A keyword that may wrap between its words (PatientBirth|Date), never inside one. */
function breakable(keyword: string) {
  return keyword.split(/(?=[A-Z][a-z])/).map((part, i) => <span key={i}>{i > 0 && <wbr />}{part}</span>);
}

/** The badge and the one-line summary, always visible (also while collapsed). */
function summaryOf({ identity, loading, error }: Pick<Props, 'identity' | 'loading' | 'error'>): { badge: 'de-identified' | 'identified' | null; text: string } {
  if (identity?.identityRemoved) return { badge: 'de-identified', text: `De-identified (${identity.method || 'method not stated'})` };
  if (identity) {
    const { attributes, privateCount, sequencesWithIdentity } = identity;
    if (attributes.length === 0 && privateCount === 0 && sequencesWithIdentity.length === 0) return { badge: null, text: 'Not marked de-identified; no identifying attributes found' };
    return { badge: 'identified', text: `Carries patient identity: ${plural(attributes.length, 'attribute')}, ${plural(privateCount, 'private tag')}` };
  }
  if (error) return { badge: null, text: `Identity could not be read: ${error.name}` };
  return { badge: null, text: loading ? 'Reading identity attributes…' : 'Identity: no instance in view' };
}

function IdentityPanelView({ identity, loading, error, teachingSafe, expanded, onToggle }: Props) {
  const bodyId = useId();
  const summary = summaryOf({ identity, loading, error });
  return (
    <section className="panel identity-panel" aria-label="Patient identity" aria-busy={loading} data-testid="identity-panel">
      <button className="link" style={{ textAlign: 'left', textDecoration: 'none', color: 'inherit' }} aria-expanded={expanded} aria-controls={expanded ? bodyId : undefined}
        onClick={onToggle} data-testid="identity-toggle" title={expanded ? 'Hide the identity attributes' : 'Show which attributes carry identity'}>
        <span aria-hidden="true">{expanded ? '▾' : '▸'} </span>
        {summary.badge === 'de-identified' && <span style={DEIDENTIFIED_BADGE} aria-hidden="true">✓ de-id</span>}
        {summary.badge === 'identified' && <span style={IDENTIFIED_BADGE} aria-hidden="true">⚠ PHI</span>}
        <span data-testid="identity-summary">{summary.text}</span>
      </button>
      {expanded && (
        <div id={bodyId} className="small">
          {error && <p className="error">{error.name}: {error.message}</p>}
          {identity && <Details identity={identity} teachingSafe={teachingSafe} />}
          <p className="muted">
            Exports from Lucid are de-identified by default (DICOM PS3.15 Basic Profile); the last column is what that
            profile does, before any option of the export dialog. Text burned into the pixels is not removed: it is
            detected and must be acknowledged before export.
          </p>
        </div>
      )}
    </section>
  );
}

function Details({ identity, teachingSafe }: { identity: InstanceIdentity; teachingSafe: boolean }) {
  const { attributes, privateCount, sequencesWithIdentity } = identity;
  return (
    <>
      {identity.identityRemoved && attributes.length > 0 && (
        <p className="muted">The file says it was de-identified; these values may be pseudonyms, but an export would still change them.</p>
      )}
      {attributes.length > 0 && (
        <table style={{ borderCollapse: 'collapse', width: '100%' }} data-testid="identity-table">
          <caption className="muted" style={{ textAlign: 'left' }}>
            Attributes carrying identity{teachingSafe ? ' (values hidden: teaching-safe)' : ''}
          </caption>
          <thead><tr><th style={CELL}>Attribute</th><th style={CELL}>Value</th><th style={CELL}>On export (default)</th></tr></thead>
          <tbody>
            {attributes.map((a) => (
              <tr key={a.tag} data-testid="identity-row" data-keyword={a.keyword}>
                <td style={CELL}>{breakable(a.keyword)}<div className="muted">{a.tag}</div></td>
                <td style={VALUE_CELL} data-testid="identity-value">{teachingSafe ? <span className="muted" style={{ whiteSpace: 'nowrap' }}>hidden</span> : a.value || '—'}</td>
                <td style={CELL}>{EXPORT_ACTION_LABEL[a.action]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>Private tags: {privateCount}{privateCount > 0 ? ' (removed on export)' : ''}</p>
      {sequencesWithIdentity.length > 0 && (
        <p data-testid="identity-sequences">Sequences holding identity (their items are de-identified or the sequence removed): {sequencesWithIdentity.join(', ')}</p>
      )}
    </>
  );
}

/** Memoised: the review view re-renders on every slice, pan and window change. */
export const IdentityPanel = memo(IdentityPanelView);
