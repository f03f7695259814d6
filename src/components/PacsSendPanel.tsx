// "Send to <PACS>": for a series opened from a PACS, what Lucid made of it goes back there as new series of the same
// study (STOW-RS): the enhanced slices as a derived series, the measurements as an SR, the screening as an SR and a SEG.
// One button per thing there is to send, and one sentence for what the server said. Presentational.
import { useState } from 'react';

export interface PacsSendAction { id: string; label: string; run: () => Promise<string> }

export function PacsSendPanel({ to, actions }: { to: string; actions: PacsSendAction[] }) {
  const [state, setState] = useState<{ busy: string | null; result: string | null }>({ busy: null, result: null });
  if (actions.length === 0) return null;
  return (
    <section className="panel" aria-label={`Send to ${to}`} data-testid="pacs-send">
      <h3>Send to {to}</h3>
      <div className="row wrap">
        {actions.map((a) => (
          <button key={a.id} disabled={state.busy !== null} data-testid={`send-${a.id}`} onClick={() => {
            setState({ busy: a.id, result: null });
            a.run().then((result) => setState({ busy: null, result }), (e: unknown) => setState({ busy: null, result: `${(e as Error).name}: ${(e as Error).message}` }));
          }}>{state.busy === a.id ? 'Sending…' : a.label}</button>
        ))}
      </div>
      {state.result && <p className="small" role="status" data-testid="pacs-send-result">{state.result}</p>}
      <p className="muted small">Stored with the study's identity: it goes back to the archive the images came from.</p>
    </section>
  );
}
