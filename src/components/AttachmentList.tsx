// The model outputs attached to a case (what AI sees), the outputs available on the slice in view to attach, and
// whether attached anomaly maps are painted. Presentational.
import type { Case, ModelAttachment } from '../teaching/model';
import type { AvailableOutput } from '../app/useAttachments';

interface Props {
  value: Case;
  available: AvailableOutput[];
  onAttach: (modelId: AvailableOutput['modelId']) => void;
  onRemove: (id: string) => void;
  show: boolean;
  onShow: (show: boolean) => void;
  sliceOf: (a: ModelAttachment) => string;
}

export function AttachmentList({ value, available, onAttach, onRemove, show, onShow, sliceOf }: Props) {
  return (
    <div className="attachments" data-testid="attachments">
      <h3>AI output ({value.attachments.length})</h3>
      <ul className="plain">
        {value.attachments.map((a) => (
          <li key={a.id} data-testid="attachment-item">
            {a.modelId} ({a.kind}) on {sliceOf(a)} <span className="muted small" title={`model sha256 ${a.modelSha256}`}>sha256 {a.modelSha256.slice(0, 12)}…</span>
            <button className="link" onClick={() => onRemove(a.id)} aria-label={`Remove ${a.modelId} output`}>remove</button>
          </li>
        ))}
      </ul>
      {value.attachments.some((a) => a.kind === 'anomaly-map') && (
        <label className="small"><input type="checkbox" checked={show} onChange={(e) => onShow(e.target.checked)} data-testid="show-ai" /> Show attached anomaly maps on the image</label>
      )}
      <div className="row">
        {available.length === 0 ? <span className="muted small">Run a model on this slice in Review to attach its output.</span>
          : available.map((o) => <button key={o.modelId} onClick={() => onAttach(o.modelId)} data-testid={`attach-${o.modelId}`}>Attach {o.title} output of this slice</button>)}
      </div>
    </div>
  );
}
