// The model card (intended use, metrics, limits) as shipped in models/<id>/MODEL_CARD.md, one click from the model
// panel, rendered as formatted text (headings, emphasis, lists, GFM tables) by react-markdown into React elements:
// no HTML string is ever injected, and raw HTML in a card is dropped (skipHtml). Bundled, so there offline. Presentational.
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { MODEL_CARDS } from '../../models/cards';
import type { Task } from '../app/useInference';

const PLUGINS = [remarkGfm];

export function ModelCardDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  return (
    <div className="help" role="dialog" aria-label="Model card" data-testid="model-card" onClick={onClose}>
      <div className="help-body card-body" onClick={(e) => e.stopPropagation()}>
        <button className="close" onClick={onClose} aria-label="Close">×</button>
        <Markdown remarkPlugins={PLUGINS} skipHtml>{MODEL_CARDS[task]}</Markdown>
      </div>
    </div>
  );
}
