// `lucid screen <files or folders...> --out DIR`: anomaly screening of every input image. Writes DIR/report.json
// (per input file: path, max score, boxes with row/column bounds in source pixels and a confidence) and each image's
// score map as a float32 .npy of the input's rows × columns. A bad file is reported by error name. Node only.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { MODEL_CATALOG } from '../models/catalog';
import { writeNpy } from '../src/dicom/writeNpy';
import { toErrorInfo, type ErrorInfo } from '../src/shared/errors';
import type { Box } from '../models/anomaly/postprocess';
import type { InferenceApi } from '../workers/inference/inferenceApi';
import { listInputs, readImageFile } from './engine';

export const SCREEN_USAGE = 'usage: lucid screen <files or folders...> --out DIR [--threshold T] [--threads N]';

export interface ScreenFrameReport { frame: number; rows: number; columns: number; maxScore: number; boxes: Box[]; scoresFile: string }
export type ScreenFileReport = { path: string; ok: true; frames: ScreenFrameReport[]; maxScore: number; boxes: Box[] } | { path: string; ok: false; error: ErrorInfo };
export interface ScreenReport {
  model: { id: 'anomaly'; sha256: string };
  threshold: number | null;
  note: string;
  files: ScreenFileReport[];
}

export async function screenFiles(api: InferenceApi, inputs: string[], outDir: string, threshold: number | undefined, log: (line: string) => void): Promise<ScreenReport> {
  await mkdir(outDir, { recursive: true });
  const report: ScreenReport = {
    model: { id: 'anomaly', sha256: MODEL_CATALOG.anomaly.sha256 }, threshold: threshold ?? null,
    note: 'Anomaly scores for teaching and review only; not a diagnosis. Box bounds are inclusive source-pixel rows/columns.',
    files: [],
  };
  let n = 0;
  for (const { path, error } of await listInputs(inputs, outDir)) {
    let entry: ScreenFileReport;
    try {
      if (error) throw error;
      const file = await readImageFile(path);
      const h = file.parsed.header;
      const frames: ScreenFrameReport[] = [];
      let f = 0;
      for await (const image of file.frames()) {
        const r = await api.screen(image, threshold);
        if (report.threshold === null) report.threshold = r.threshold;
        const name = `${String(n).padStart(5, '0')}_${basename(path).replace(/[^\w.-]/g, '_')}${h.frames > 1 ? `_f${f}` : ''}.npy`;
        await writeFile(resolve(outDir, name), writeNpy(r.scores, [r.rows, r.columns]));
        frames.push({ frame: f++, rows: r.rows, columns: r.columns, maxScore: r.maxScore, boxes: r.boxes, scoresFile: name });
      }
      entry = { path, ok: true, frames, maxScore: Math.max(...frames.map((f) => f.maxScore)), boxes: frames.flatMap((f) => f.boxes) };
      log(JSON.stringify({ path, ok: true, maxScore: entry.maxScore, boxes: entry.boxes.length }));
    } catch (e) {
      entry = { path, ok: false, error: toErrorInfo(e) };
      log(JSON.stringify(entry));
    }
    report.files.push(entry);
    n++;
  }
  await writeFile(resolve(outDir, 'report.json'), JSON.stringify(report, null, 1) + '\n');
  return report;
}
