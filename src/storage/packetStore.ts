// Teaching packets ↔ storage: everything a set's packet holds, read from the stores, and a validated packet's
// contents written in one transaction. Runs in the packet worker (IndexedDB works there), so hundreds of megabytes
// of DICOM never pass through the UI thread. Validation itself is readPacket's (src/teaching/packet).
import { MODEL_CARDS } from '../../models/cards';
import { instancesOfCase } from '../teaching/model';
import type { PacketContents } from '../teaching/packet/format';
import { namedError } from '../shared/errors';
import type { LucidDb } from './db';
import { getSet } from './sets';
import { casesOfSet } from './cases';
import { getImages, toStoredImages } from './images';
import { annotationsForInstances } from './annotations';
import { getOutputs } from './outputs';
import { importSet } from './importSet';

/** The packet contents of set `setId`: its cases, their images as stored, annotations on them, attached outputs and cards. */
export async function gatherPacket(db: LucidDb, setId: string): Promise<PacketContents> {
  const set = await getSet(db, setId);
  if (!set) throw namedError('StorageMissingSetError', 'This teaching set is no longer stored in this browser.');
  const cases = await casesOfSet(db, setId);
  const sops = [...new Set(cases.flatMap(instancesOfCase))];
  const stored = await getImages(db, sops);
  const missing = sops.filter((s) => !stored.has(s));
  if (missing.length) throw namedError('StorageMissingImageError', `${missing.length} image(s) of this set are not stored in this browser; open their studies and save the cases again.`);
  const attachments = cases.flatMap((c) => c.attachments);
  const outputs = new Map([...await getOutputs(db, attachments.map((a) => a.dataKey))].map(([k, o]) => [k, { values: o.values, rows: o.rows, columns: o.columns }]));
  const modelCards: PacketContents['modelCards'] = {};
  for (const a of attachments) {
    modelCards[a.modelId] ??= { sha256: a.modelSha256, markdown: (MODEL_CARDS as Record<string, string>)[a.modelId] ?? `# ${a.modelId}\n\n(model card not available)` };
  }
  return {
    set, cases, annotations: await annotationsForInstances(db, sops), outputs, modelCards,
    images: new Map([...stored].map(([sop, bytes]) => [sop, new Uint8Array(bytes)])),
  };
}

/** Stores a validated packet's set (replacing a stored set with the same id) in one transaction. */
export async function storePacket(db: LucidDb, p: PacketContents): Promise<void> {
  await importSet(db, {
    set: p.set, cases: p.cases, annotations: p.annotations,
    images: toStoredImages(p.cases, p.images),
    outputs: [...p.outputs].map(([key, o]) => ({ key, values: o.values, rows: o.rows, columns: o.columns })),
  });
}
