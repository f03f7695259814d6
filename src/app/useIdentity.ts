// The identity attributes of the instance in view, for the Identity panel: read in the decode worker through
// `identityOf`, one instance at a time, a stale answer dropped. UI thread; holds one small result, never pixels.
import { useEffect, useEffectEvent, useState } from 'react';
import type { InstanceIdentity } from '../dicom/deidentify/identity';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';

export type IdentityOf = (instanceId: string) => Promise<InstanceIdentity | null>;

interface Read { instanceId: string; series: string; identity: InstanceIdentity | null; error: ErrorInfo | null }

/**
 * Which instance is read, and why: while the panel is collapsed, the series' first instance, once per series — only
 * the one-line summary shows, and identity rarely differs between the slices of a series, so scrolling and cine cost
 * nothing. While it is expanded, the instance in view, so the table is exactly that file's (each new slice is one
 * cheap worker call; frames of one multi-frame instance share it). Until the new answer arrives the last one of the
 * same series stays on screen (marked loading); one from another series is never shown for this one.
 */
export function useIdentity(identityOf: IdentityOf | undefined, series: { first: string | null; inView: string | null }, expanded: boolean) {
  const target = expanded ? (series.inView ?? series.first) : series.first;
  const scope = series.first ?? '';
  const [read, setRead] = useState<Read | null>(null);
  // `identityOf` is a new function on every render of App (useStudies returns fresh closures over a stable client):
  // an effect event calls the latest one without making every render a new request.
  const ask = useEffectEvent((instanceId: string) => identityOf?.(instanceId) ?? Promise.resolve(null));

  useEffect(() => {
    if (!target) return;
    let live = true;
    ask(target).then(
      (identity) => { if (live) setRead({ instanceId: target, series: scope, identity, error: null }); },
      (e: unknown) => { if (live) setRead({ instanceId: target, series: scope, identity: null, error: toErrorInfo(e) }); },
    );
    return () => { live = false; };
  }, [target, scope]);

  const shown = read && target && read.series === scope ? read : null;
  return {
    identity: shown?.identity ?? null,
    error: shown?.error ?? null,
    loading: !!target && read?.instanceId !== target,
  };
}
