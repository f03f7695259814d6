// A study arriving from a PACS: how many images have come, Cancel; when it stopped with an error, the sentence and
// Retry (the images that arrived stay open). Presentational.
import type { Retrieval } from '../app/usePacs';

export function RetrievalStatus({ retrieval: r, onCancel, onRetry, onDismiss }: { retrieval: Retrieval; onCancel: () => void; onRetry: () => void; onDismiss: () => void }) {
  const of = r.study.numberOfInstances ? ` of ${r.study.numberOfInstances}` : '';
  const what = r.study.description || r.study.studyDate || 'study';
  return (
    <div className={`retrieval ${r.error ? 'failed' : ''}`} role="status" aria-live="polite" data-testid="retrieval">
      {r.running ? (
        <p>From {r.server.label}: {what}, {r.received}{of} images… <button onClick={onCancel} data-testid="retrieval-cancel">Cancel</button></p>
      ) : r.error ? (
        <p className="error" data-testid="retrieval-error">{r.error.message} <button onClick={onRetry} data-testid="retrieval-retry">Retry</button> <button onClick={onDismiss}>Dismiss</button></p>
      ) : (
        <p>From {r.server.label}: {what}, {r.received} image{r.received === 1 ? '' : 's'}. <button onClick={onDismiss} aria-label="Dismiss">×</button></p>
      )}
    </div>
  );
}
