// The DICOMweb servers the user works with, and opening a study from one into the viewer. Servers are kept for the
// session; a server the user asks to remember is saved in IndexedDB, its credentials only then. A retrieval streams
// into the same loader as dropped files (useStudies), so the first image shows while the rest arrives, and a cut
// retrieval keeps what arrived and offers a retry. All HTTP goes through src/sources/dicomweb. UI thread.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LucidDb } from '../storage/db';
import { getSetting, putSetting } from '../storage/settings';
import type { DicomwebServer } from '../sources/dicomweb/server';
import { retrieveStudy, type RetrievedInstance } from '../sources/dicomweb/wado';
import { withRetry } from '../sources/dicomweb/retry';
import { storeInstances, type StoreResult } from '../sources/dicomweb/stow';
import type { StudyRecord } from '../sources/dicomweb/qido';
import type { PickedFile } from '../sources/localFiles';
import type { FileStream } from './useStudies';

export interface SavedServer extends DicomwebServer {
  /** Saved on this device (with its credentials, if any) rather than for this session only. */
  remember: boolean;
}

/** A study being opened from a server, or one whose retrieval stopped with an error (kept for Retry). */
export interface Retrieval {
  server: SavedServer;
  study: StudyRecord;
  /** Images that arrived in this attempt. */
  received: number;
  error: Error | null;
  running: boolean;
}

const SETTING = 'dicomweb-servers';

/** What may be stored of a server: its address, and its credentials only when the user asked to remember them. */
function storable(list: SavedServer[]): SavedServer[] {
  return list.filter((s) => s.remember).map((s) => ({ ...s }));
}

function isSavedServer(v: unknown): v is SavedServer {
  const s = v as SavedServer;
  return typeof s === 'object' && s !== null && typeof s.id === 'string' && typeof s.url === 'string' && typeof s.label === 'string';
}

/**
 * The origins this build's Content-Security-Policy lets the page connect to: its own and the DICOMweb servers the
 * deployment listed (README, Deploying). A server elsewhere would be blocked by the browser; the UI says so first.
 */
export function allowedByPolicy(url: string, allowed: readonly string[] = import.meta.env.LUCID_DICOMWEB_ORIGINS ?? []): boolean {
  try {
    const origin = new URL(url).origin;
    return origin === location.origin || allowed.includes(origin);
  } catch { return false; }
}

export function usePacs({ db, load, onFirst }: { db: () => Promise<LucidDb>; load: (s: FileStream, onFirst: (id: string) => void) => Promise<{ error?: Error }>; onFirst: (instanceId: string) => void }) {
  const [servers, setServers] = useState<SavedServer[]>([]);
  const [retrieval, setRetrieval] = useState<Retrieval | null>(null);
  /** The server each study opened from a PACS came from (results are stored back there, identity kept). */
  const [origins, setOrigins] = useState<ReadonlyMap<string, SavedServer>>(new Map());
  const abort = useRef<AbortController | null>(null);
  const latest = useRef(servers);
  useEffect(() => { latest.current = servers; }, [servers]);

  useEffect(() => {
    let live = true;
    void db().then((d) => getSetting(d, SETTING)).then((v) => {
      if (live && Array.isArray(v)) setServers((now) => [...v.filter(isSavedServer).filter((s) => !now.some((n) => n.id === s.id)), ...now]);
    }).catch(() => { /* no storage: servers last for the session */ });
    return () => { live = false; };
  }, [db]);

  const save = useCallback((next: SavedServer[]) => {
    setServers(next);
    void db().then((d) => putSetting(d, SETTING, storable(next))).catch(() => { /* kept for the session */ });
  }, [db]);

  /** Adds or replaces a server (same id). */
  const putServer = useCallback((server: SavedServer) => {
    const list = latest.current;
    save(list.some((s) => s.id === server.id) ? list.map((s) => (s.id === server.id ? server : s)) : [...list, server]);
  }, [save]);
  const removeServer = useCallback((id: string) => save(latest.current.filter((s) => s.id !== id)), [save]);

  /** Streams a study into the viewer. Resolves when it has all arrived or stopped. */
  const openStudy = useCallback(async (server: SavedServer, study: StudyRecord) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    let received = 0;
    setRetrieval({ server, study, received, error: null, running: true });
    setOrigins((m) => new Map(m).set(study.studyInstanceUID, server));
    // A failure before anything arrived (5xx, network) is retried with backoff; once images arrive, a cut stream stops
    // here and the user retries (instances already shown stay; a retry skips none but loads each once).
    async function* files(): AsyncGenerator<PickedFile> {
      let parts!: AsyncGenerator<RetrievedInstance>;
      const first = await withRetry(() => { parts = retrieveStudy(server, study.studyInstanceUID, { signal: controller.signal }); return parts.next(); }, {}, controller.signal);
      for (let r = first; !r.done; r = await parts.next()) {
        received++;
        setRetrieval((x) => (x && x.study === study ? { ...x, received } : x));
        const name = `${received}.dcm`;
        yield { file: new File([r.value.bytes as Uint8Array<ArrayBuffer>], name, { type: 'application/dicom' }), path: `${server.label}/${study.studyInstanceUID}/${name}` };
      }
    }
    const { error } = await load({ files: files(), expected: study.numberOfInstances ?? 0 }, onFirst);
    if (abort.current === controller) abort.current = null;
    const cancelled = controller.signal.aborted;
    setRetrieval((x) => (x && x.study === study ? { ...x, running: false, error: cancelled ? null : error ?? null } : x));
  }, [load, onFirst]);

  const cancel = useCallback(() => { abort.current?.abort(); }, []);
  const dismiss = useCallback(() => setRetrieval((x) => (x?.running ? x : null)), []);

  /** STOW-RS of new instances into `study` on `server`: one result per instance. */
  const push = useCallback((server: SavedServer, studyUID: string, files: Uint8Array[]): Promise<StoreResult[]> => storeInstances(server, studyUID, files), []);

  return { servers, putServer, removeServer, retrieval, openStudy, cancel, dismiss, origins, push };
}
