// Export the open teaching set as one .lucid.zip and import one. Reading storage, packing, unpacking, validation and
// the import's one-transaction write all happen in a worker (workers/decodeApi.ts: exportStoredSet,
// importPacketFile), so a 300 MB set never passes through or freezes this thread. UI thread.
import { useCallback, useRef, useState } from 'react';
import { PACKET_EXTENSION } from '../teaching/packet/format';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import { createDecodeClient, type DecodeClient } from '../sources/decodeClient';
import type { Teaching } from './useTeaching';
import { downloadBlob } from './download';

const fileName = (title: string) => `${title.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'teaching-set'}${PACKET_EXTENSION}`;

export function usePacket({ teaching }: { teaching: Teaching }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const client = useRef<DecodeClient | null>(null);
  // Its own worker, with a long timeout: packets can be hundreds of megabytes.
  const worker = () => (client.current ??= createDecodeClient(undefined, { timeoutMs: 600_000 }));

  const exportSet = useCallback(async () => {
    const set = teaching.activeSet;
    if (!set) return;
    setBusy('Exporting…');
    setError(null);
    try { downloadBlob(await worker().exportStoredSet(set.id), fileName(set.title)); }
    catch (e) { setError(toErrorInfo(e)); }
    finally { setBusy(null); }
  }, [teaching.activeSet]);

  const importFile = useCallback(async (file: File) => {
    setBusy(`Importing ${file.name}…`);
    setError(null);
    try {
      const { setId } = await worker().importPacketFile(file);
      await teaching.reload(setId);
    } catch (e) { setError(toErrorInfo(e)); } finally { setBusy(null); }
  }, [teaching]);

  return { busy, error, exportSet, importFile, dismissError: () => setError(null) };
}
