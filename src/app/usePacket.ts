// Export the open teaching set as one .lucid.zip and import one: storage ↔ packet bytes. Packing, unpacking, the
// de-identification check and every validation run in a worker (workers/decodeApi.ts: dicom-parser and fflate stay
// off this thread); import writes to storage only after the whole packet has validated, in one transaction. UI thread.
import { useCallback, useRef, useState } from 'react';
import { MODEL_CARDS } from '../components/ModelCardDialog';
import { instancesOfCase } from '../teaching/model';
import type { PacketContents } from '../teaching/packet/format';
import { PACKET_EXTENSION } from '../teaching/packet/format';
import { namedError, toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { LucidDb } from '../storage/db';
import { casesOfSet } from '../storage/cases';
import { getImages } from '../storage/images';
import { annotationsForInstances } from '../storage/annotations';
import { getOutputs } from '../storage/outputs';
import { importSet } from '../storage/importSet';
import { createDecodeClient, type DecodeClient } from '../sources/decodeClient';
import type { Teaching } from './useTeaching';
import { downloadBytes } from './download';

/** Everything a packet of `setId` holds, read from storage (images as stored: already de-identified or refused). */
export async function gatherPacket(db: LucidDb, set: Teaching['sets'][number], cardOf: (modelId: string) => Promise<string>): Promise<PacketContents> {
  const cases = await casesOfSet(db, set.id);
  const sops = [...new Set(cases.flatMap(instancesOfCase))];
  const stored = await getImages(db, sops);
  const missing = sops.filter((s) => !stored.has(s));
  if (missing.length) throw namedError('StorageMissingImageError', `${missing.length} image(s) of this set are not stored in this browser; open their studies and save the cases again.`);
  const images = new Map([...stored].map(([sop, bytes]) => [sop, new Uint8Array(bytes)]));
  const attachments = cases.flatMap((c) => c.attachments);
  const outputs = new Map([...await getOutputs(db, attachments.map((a) => a.dataKey))].map(([k, o]) => [k, { values: o.values, rows: o.rows, columns: o.columns }]));
  const modelCards: PacketContents['modelCards'] = {};
  for (const a of attachments) modelCards[a.modelId] ??= { sha256: a.modelSha256, markdown: await cardOf(a.modelId) };
  return { set, cases, annotations: await annotationsForInstances(db, sops), images, outputs, modelCards };
}

/** The bundled model card of a model (the same text the model panel shows). */
async function bundledCard(modelId: string): Promise<string> {
  return (MODEL_CARDS as Record<string, string>)[modelId] ?? `# ${modelId}\n\n(model card not available)`;
}

const fileName = (title: string) => `${title.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'teaching-set'}${PACKET_EXTENSION}`;

export function usePacket({ db, teaching }: { db: () => Promise<LucidDb>; teaching: Teaching }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const client = useRef<DecodeClient | null>(null);
  const worker = () => (client.current ??= createDecodeClient(undefined, { timeoutMs: 300_000 }));

  const exportSet = useCallback(async () => {
    const set = teaching.activeSet;
    if (!set) return;
    setBusy('Exporting…');
    setError(null);
    try {
      const contents = await gatherPacket(await db(), set, bundledCard);
      downloadBytes(await worker().exportPacket(contents), fileName(set.title), 'application/zip');
    } catch (e) { setError(toErrorInfo(e)); } finally { setBusy(null); }
  }, [db, teaching.activeSet]);

  const importFile = useCallback(async (file: File) => {
    setBusy(`Importing ${file.name}…`);
    setError(null);
    try {
      const contents = await worker().importPacket(new Uint8Array(await file.arrayBuffer()));
      await importSet(await db(), {
        set: contents.set, cases: contents.cases, annotations: contents.annotations,
        images: [...contents.images].map(([sop, bytes]) => ({ sopInstanceUID: sop, ...uidsOf(contents, sop), bytes: bytes.slice().buffer })),
        outputs: [...contents.outputs].map(([key, o]) => ({ key, ...o })),
      });
      await teaching.reload(contents.set.id);
    } catch (e) { setError(toErrorInfo(e)); } finally { setBusy(null); }
  }, [db, teaching]);

  return { busy, error, exportSet, importFile, dismissError: () => setError(null) };
}

/** Study and series UIDs of an instance, from the case that lists it. */
function uidsOf(p: PacketContents, sop: string): { studyInstanceUID: string; seriesInstanceUID: string } {
  for (const c of p.cases) for (const s of c.series) if (s.sopInstanceUIDs.includes(sop)) return { studyInstanceUID: s.studyInstanceUID, seriesInstanceUID: s.seriesInstanceUID };
  return { studyInstanceUID: '', seriesInstanceUID: '' };
}
