// `lucid screen <files, folders or DICOMweb addresses...> --out DIR`: anomaly screening of every input image (a DICOMweb
// address is retrieved first, then each instance takes the same path as a file). Writes DIR/report.json
// (per input file: its position, max score, boxes with row/column bounds in source pixels, peak and region score) and each image's
// score map as a float32 .npy of the input's rows × columns. A bad file is reported by error name. By default the
// report names inputs by position and de-identified SOP Instance UID (the one `lucid deidentify` with the same
// --secret gives), never by path; --keep-identity lists paths and original UIDs. `onFrame` sees every screened frame
// (`--push` makes its SR and SEG from them: cli/screenPush.ts); without an output folder nothing is written. Node only.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { MODEL_CATALOG } from '../models/catalog';
import { writeNpy } from '../src/dicom/writeNpy';
import { toErrorInfo, type ErrorInfo } from '../src/shared/errors';
import { REGION_SCORE_MEANING, type Box } from '../models/anomaly/postprocess';
import { makePseudonyms } from '../src/dicom/deidentify/pseudonyms';
import type { ParsedInstance } from '../src/dicom/parseInstance';
import type { InferenceApi, ScreenResult } from '../workers/inference/inferenceApi';
import { readImageFile } from './engine';
import { collectInputs, type InputSource } from './dicomwebInput';
import type { Privacy } from './privacy';

export const SCREEN_USAGE = 'usage: lucid screen <files, folders or DICOMweb addresses...> [--out DIR] [--push] [--threshold T] [--threads N]   (--out, --push or both; --push stores an anomaly SR and SEG per series back to the DICOMweb server the images came from, identity kept)';

/** `scoreReference`: what each box's `score` is its `peak` divided by (the modality's default threshold, reached by regions on fewer than one in ten lesion-free validation slices). */
export interface ScreenFrameReport { frame: number; rows: number; columns: number; maxScore: number; scoreReference: number; boxes: Box[]; scoresFile?: string }
/** `path` only with --keep-identity; `input` is the position in the order the inputs were read. */
type ScreenFileId = { input: number; path?: string; sopInstanceUID?: string };
export type ScreenFileReport = ScreenFileId & ({ ok: true; frames: ScreenFrameReport[]; maxScore: number; boxes: Box[] } | { ok: false; error: ErrorInfo });
export interface ScreenReport {
  model: { id: 'anomaly'; sha256: string };
  threshold: number | null;
  identity: 'removed' | 'kept';
  note: string;
  files: ScreenFileReport[];
}

export async function screenFiles(
  api: InferenceApi, inputs: readonly InputSource[], outDir: string | undefined, threshold: number | undefined, privacy: Privacy, log: (line: string) => void,
  onFrame?: (parsed: ParsedInstance, frame: number, result: ScreenResult) => void,
): Promise<ScreenReport> {
  const keep = privacy.keepIdentity;
  const pseudonyms = makePseudonyms(privacy.secret.secret);
  if (outDir) await mkdir(outDir, { recursive: true });
  const report: ScreenReport = {
    model: { id: 'anomaly', sha256: MODEL_CATALOG.anomaly.sha256 }, threshold: threshold ?? null, identity: keep ? 'kept' : 'removed',
    note: `Anomaly scores for teaching and review only; not a diagnosis. Box bounds are inclusive source-pixel rows/columns. ${REGION_SCORE_MEANING}`,
    files: [],
  };
  let n = 0;
  for (const { path, error, bytes } of await collectInputs(inputs, outDir)) {
    let entry: ScreenFileReport;
    const id: ScreenFileId = keep ? { input: n, path } : { input: n };
    try {
      if (error) throw error;
      const file = await readImageFile(path, bytes);
      const h = file.parsed.header;
      id.sopInstanceUID = keep ? h.sopInstanceUID : pseudonyms.uid(h.sopInstanceUID);
      const frames: ScreenFrameReport[] = [];
      let f = 0;
      for await (const image of file.frames()) {
        const r = await api.screen(image, threshold);
        if (report.threshold === null) report.threshold = r.threshold;
        onFrame?.(file.parsed, f, r);
        const stem = keep ? `_${basename(path).replace(/[^\w.-]/g, '_')}` : '';
        const name = `${String(n).padStart(5, '0')}${stem}${h.frames > 1 ? `_f${f}` : ''}.npy`;
        if (outDir) await writeFile(resolve(outDir, name), writeNpy(r.scores, [r.rows, r.columns]));
        frames.push({ frame: f++, rows: r.rows, columns: r.columns, maxScore: r.maxScore, scoreReference: r.reference, boxes: r.boxes, ...(outDir ? { scoresFile: name } : {}) });
      }
      entry = { ...id, ok: true, frames, maxScore: Math.max(...frames.map((f) => f.maxScore)), boxes: frames.flatMap((f) => f.boxes) };
      log(JSON.stringify({ path, ok: true, maxScore: entry.maxScore, boxes: entry.boxes.length }));
    } catch (e) {
      entry = { ...id, ok: false, error: toErrorInfo(e) };
      log(JSON.stringify({ path, ...entry }));
    }
    report.files.push(entry);
    n++;
  }
  if (outDir) await writeFile(resolve(outDir, 'report.json'), JSON.stringify(report, null, 1) + '\n');
  return report;
}
