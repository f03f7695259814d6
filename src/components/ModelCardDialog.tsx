// The model card (intended use, metrics, limits) as shipped in models/<id>/MODEL_CARD.md, one click from the model
// panel, rendered as formatted text (headings, emphasis, lists, GFM tables) by react-markdown into React elements:
// no HTML string is ever injected, and raw HTML in a card is dropped (skipHtml). Bundled, so there offline. Presentational.
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { MODEL_CARDS } from '../../models/cards';
import type { Task } from '../app/useInference';
import { Modal } from './Modal';

const PLUGINS = [remarkGfm];

export function ModelCardDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  return (
    <Modal label="Model card" onClose={onClose} testId="model-card">
      <div className="card-body" tabIndex={0} role="region" aria-label="Model card text">
        <Markdown remarkPlugins={PLUGINS} skipHtml>{MODEL_CARDS[task]}</Markdown>
      </div>
    </Modal>
  );
}
