// Export the open teaching set as one de-identified .lucid.zip and import one. Export first opens the privacy dialog
// (options, and images that may carry burned-in text, checked in the worker); reading storage, de-identifying,
// packing, unpacking, validation and the import's one-transaction write all happen in a worker
// (workers/decodeApi.ts), so a 300 MB set never passes through or freezes this thread. UI thread.
import { useCallback, useRef, useState } from 'react';
import { PACKET_EXTENSION } from '../teaching/packet/format';
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import { createDecodeClient, type DecodeClient } from '../sources/decodeClient';
import type { Teaching } from './useTeaching';
import { downloadBlob } from './download';
import type { BurnedInWarning } from '../../workers/decodeApi';
import type { ExportPrivacyChoice } from '../components/ExportPrivacyDialog';

const fileName = (title: string) => `${title.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'teaching-set'}${PACKET_EXTENSION}`;

export function usePacket({ teaching }: { teaching: Teaching }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const client = useRef<DecodeClient | null>(null);
  // Its own worker, with a long timeout: packets can be hundreds of megabytes.
  const worker = () => (client.current ??= createDecodeClient(undefined, { timeoutMs: 600_000 }));

  /** The export dialog: open while not null; `burnedIn` is null while the worker checks the images. */
  const [dialog, setDialog] = useState<{ burnedIn: BurnedInWarning[] | null } | null>(null);

  const exportSet = useCallback(async () => {
    const set = teaching.activeSet;
    if (!set) return;
    setError(null);
    setDialog({ burnedIn: null });
    try { setDialog({ burnedIn: await worker().checkStoredSet(set.id) }); }
    catch (e) { setDialog(null); setError(toErrorInfo(e)); }
  }, [teaching.activeSet]);

  const confirmExport = useCallback(async (choice: ExportPrivacyChoice) => {
    const set = teaching.activeSet;
    if (!set) return;
    setBusy('Exporting…');
    try {
      downloadBlob(await worker().exportStoredSet(set.id, { options: choice.options, acknowledgedBurnedIn: choice.acknowledgedBurnedIn }), fileName(set.title));
      setDialog(null);
    } catch (e) { setDialog(null); setError(toErrorInfo(e)); }
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

  return { busy, error, exportSet, importFile, dismissError: () => setError(null), dialog, confirmExport, cancelExport: () => setDialog(null) };
}
