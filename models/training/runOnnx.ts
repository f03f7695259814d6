// Runs a shipped model the way the app does — the inference API (models' TypeScript pre/post-processing, the one
// onnxruntime-web gateway, WASM, one thread) — on a folder of modality-valued slices, for evaluate.py:
//   npx tsx models/training/runOnnx.ts <model-id> <in-dir> <out-dir>
// Input files: NNNN_<CT|MR>.npy or NNNN_<CT|MR>_<row mm>_<column mm>.npy (float32, rows × columns; the pixel spacing,
// which screening uses). Output: NNNN.npy (float32 modality values; for anomaly, the score map).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelId } from '../catalog';
import { readNpy } from '../../src/dicom/readNpy';
import { writeNpy } from '../../src/dicom/writeNpy';
import { createEngine } from '../../cli/engine';

async function main(id: ModelId, inDir: string, outDir: string): Promise<void> {
  const api = await createEngine(1);
  mkdirSync(outDir, { recursive: true });
  const files = readdirSync(inDir).filter((f) => f.endsWith('.npy')).sort();
  for (const f of files) {
    const [, index, modality, sr, sc] = /^(\d+)_(CT|MR)(?:_([\d.]+)_([\d.]+))?\.npy$/.exec(f)!;
    const { shape, data } = readNpy(new Uint8Array(readFileSync(join(inDir, f))));
    const pixelSpacing = sr && sc ? [Number(sr), Number(sc)] as const : null;
    const image = { data, rows: shape[0]!, columns: shape[1]!, samples: 1 as const, rescaleSlope: 1, rescaleIntercept: 0, modality: modality!, pixelSpacing };
    const out = id === 'anomaly'
      ? await api.screen(image).then((r) => ({ values: r.scores, rows: r.rows, columns: r.columns }))
      : await api.enhance(id, image);
    writeFileSync(join(outDir, `${index}.npy`), writeNpy(out.values, [out.rows, out.columns]));
  }
  console.log(`${id}: ${files.length} slices`);
}

const [id, inDir, outDir] = process.argv.slice(2);
main(id as ModelId, inDir!, outDir!).catch((e) => { console.error(e); process.exit(1); });
