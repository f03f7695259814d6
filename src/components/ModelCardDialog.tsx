// The model card (intended use, metrics, limits) as shipped in models/<id>/MODEL_CARD.md, one click from the model
// panel. Bundled as text, so it is there offline. Presentational.
import { MODEL_CARDS } from '../../models/cards';
import type { Task } from '../app/useInference';

export function ModelCardDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  const text = MODEL_CARDS[task].replace(/<!-- [A-Z]+:(BEGIN|END)[^>]*-->\n?/g, '');
  return (
    <div className="help" role="dialog" aria-label="Model card" data-testid="model-card" onClick={onClose}>
      <div className="help-body card-body" onClick={(e) => e.stopPropagation()}>
        <button className="close" onClick={onClose} aria-label="Close">×</button>
        <pre>{text}</pre>
      </div>
    </div>
  );
}
