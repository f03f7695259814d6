// A small, non-blocking notice that a new version of the app has installed: Reload applies it, × hides it until the
// next visit. Presentational: the caller decides what Reload does.
import { useState } from 'react';

export function UpdateNotice({ onReload }: { onReload: () => void }) {
  const [hidden, setHidden] = useState(false);
  if (hidden) return null;
  return (
    <div className="update-notice" role="status" data-testid="update-notice">
      A new version of Lucid is ready —{' '}
      <button type="button" data-testid="update-reload" onClick={onReload}>Reload</button>
      <button type="button" className="update-dismiss" aria-label="Not now" title="Not now" onClick={() => setHidden(true)}>×</button>
    </div>
  );
}
