// `lucid enhance --model sr-x2|denoise <files, folders or DICOMweb addresses...> --out DIR`: one derived DICOM file per
// input image (new Series/SOP UIDs, DERIVED\SECONDARY, DerivationDescription with the model's sha256, modality values kept).
// De-identified by default (PS3.15 engine, with Clean Descriptors so the derivation naming the model survives);
// --keep-identity keeps the source's patient and study as they were, and says so. Prints one JSON line per input;
// a bad file gets its error by name and the rest are processed. `onDerived` gets each derived file with identity kept
// (`--push` stores them back to the DICOMweb server the images came from); without an output folder nothing is
// written. Node only.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ENHANCE_MODEL_IDS, MODEL_CATALOG, type EnhanceModelId } from '../models/catalog';
import { deidentify } from '../src/dicom/deidentify/deidentify';
import { newUid, writeDerived } from '../src/dicom/writeDerived';
import { toErrorInfo } from '../src/shared/errors';
import type { InferenceApi } from '../workers/inference/inferenceApi';
import { readImageFile } from './engine';
import { collectInputs, type InputSource } from './dicomwebInput';
import type { Privacy } from './privacy';

export const ENHANCE_USAGE = `usage: lucid enhance --model ${ENHANCE_MODEL_IDS.join('|')} <files, folders or DICOMweb addresses...> [--out DIR] [--push] [--threads N] [--keep-identity | --secret FILE --shift-dates …]   (--out, --push or both; --push stores the derived series back to the DICOMweb server the images came from, identity kept)`;
/**
 * A new UID for a derived object, given what it is derived from (`series|<source series UID>`, `instance|<source SOP
 * instance UID>`, …). The default ignores the key (a fresh UID each time); the batch worker derives it from the job, so
 * running a job again writes the same objects and a PACS keeps one copy.
 */
export type UidMaker = (key: string) => string;

/** Enhance keeps descriptions (cleaned): the Derivation Description naming the model and its sha256 is one. */
export const ENHANCE_DEID_DEFAULTS = { cleanDescriptors: true } as const;

export async function enhanceFiles(
  api: InferenceApi, modelId: EnhanceModelId, inputs: readonly InputSource[], outDir: string | undefined, privacy: Privacy, log: (line: string) => void,
  onDerived?: (bytes: Uint8Array, path: string) => Promise<void>,
  uid: UidMaker = newUid,
): Promise<{ ok: number; failed: number }> {
  if (outDir) await mkdir(outDir, { recursive: true });
  const model = MODEL_CATALOG[modelId];
  const seriesUids = new Map<string, string>();
  let n = 0, ok = 0, failed = 0;
  for (const { path, error, bytes: input } of await collectInputs(inputs, outDir)) {
    try {
      if (error) throw error;
      const file = await readImageFile(path, input);
      const { parsed } = file, h = parsed.header;
      const frames: Float32Array[] = [];
      let rows = 0, columns = 0, ms = 0;
      for await (const image of file.frames()) {
        const r = await api.enhance(modelId, image);
        frames.push(r.values);
        rows = r.rows; columns = r.columns; ms += r.ms;
      }
      let series = seriesUids.get(h.seriesInstanceUID);
      if (!series) seriesUids.set(h.seriesInstanceUID, series = uid(`series|${h.seriesInstanceUID}`));
      const derived = writeDerived(parsed, { rows, columns, frames, scale: model.scale }, {
        modelId, modelTitle: model.title, sha256: model.sha256, seriesInstanceUID: series, sopInstanceUID: uid(`instance|${h.sopInstanceUID}`),
      });
      let written = {};
      if (outDir) {
        const bytes = privacy.keepIdentity ? derived : deidentify(derived, privacy.secret.secret, privacy.options).bytes;
        const stem = privacy.keepIdentity ? `_${basename(path).replace(/[^\w.-]/g, '_').replace(/(\.dcm)?$/i, '')}` : '';
        const out = resolve(outDir, `${String(n).padStart(5, '0')}${stem}_${modelId}.dcm`);
        await writeFile(out, bytes);
        written = { out, identity: privacy.keepIdentity ? 'kept (--keep-identity)' : 'removed' };
      }
      ok++;
      log(JSON.stringify({ path, ok: true, ...written, rows, columns, frames: frames.length, ms: Math.round(ms) }));
      await onDerived?.(derived, path);
    } catch (e) {
      failed++;
      log(JSON.stringify({ path, ok: false, error: toErrorInfo(e) }));
    }
    n++;
  }
  return { ok, failed };
}

