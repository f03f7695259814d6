// How much of this browser's storage Lucid uses, whether it is persistent (the browser will not evict it), and the
// button that asks for persistence — asked only after this click, as browsers require a user action. UI thread.
import { useCallback, useEffect, useState } from 'react';
import { isPersisted, requestPersistence, storageEstimate } from '../storage/quota';

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

/** `changed`: any value that changes when something was stored, so the figures follow a save at once. */
export function StorageStatus({ changed }: { changed?: unknown }) {
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const [estimate, setEstimate] = useState<{ usage: number; quota: number } | null>(null);
  const refresh = useCallback(async () => {
    setPersisted(await isPersisted());
    setEstimate(await storageEstimate());
  }, []);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- refresh sets state only after awaiting the storage APIs
    void refresh();
    const t = setInterval(() => void refresh(), 10_000);
    return () => clearInterval(t);
  }, [refresh]);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- as above: state is set after the storage APIs answer
  useEffect(() => { if (changed !== undefined) void refresh(); }, [changed, refresh]);
  return (
    <div className="storage-status small" data-testid="storage-status">
      <span data-testid="storage-usage">{estimate ? `Stored here: ${mb(estimate.usage)} of ${mb(estimate.quota)}` : 'Storage use unknown'}</span>
      {' · '}
      {persisted ? <span data-testid="storage-persisted">kept until you delete it</span> : (
        <>
          <span className="muted">the browser may clear it when space runs low</span>{' '}
          <button className="link" onClick={() => void requestPersistence().then(refresh)} data-testid="persist">Keep on this device</button>
        </>
      )}
    </div>
  );
}
