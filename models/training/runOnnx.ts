// Runs a shipped model the way the app does (TypeScript pre/post-processing + onnxruntime-web WASM) on a folder
// of modality-valued slices, for models/training/evaluate.py:
//   npx tsx models/training/runOnnx.ts <model-id> <in-dir> <out-dir>
// Input files: NNNN_<CT|MR>.npy (float32, rows × columns). Output: NNNN.npy (float32 modality values; for anomaly,
// the score map).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { MODEL_CATALOG, type ModelId } from '../catalog';
import * as sr from '../sr-x2/preprocess';
import * as srPost from '../sr-x2/postprocess';
import * as dn from '../denoise/preprocess';
import * as dnPost from '../denoise/postprocess';
import { cropScores } from '../anomaly/postprocess';
import { readNpy } from '../../src/dicom/readNpy';
import { writeNpy } from '../../src/dicom/writeNpy';

async function main(id: ModelId, inDir: string, outDir: string): Promise<void> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(join('models', MODEL_CATALOG[id].file))));
  mkdirSync(outDir, { recursive: true });
  const files = readdirSync(inDir).filter((f) => f.endsWith('.npy')).sort();
  for (const f of files) {
    const modality = /_(CT|MR)\.npy$/.exec(f)?.[1] as 'CT' | 'MR';
    const { shape, data } = readNpy(new Uint8Array(readFileSync(join(inDir, f))));
    const rows = shape[0]!, columns = shape[1]!;
    const pre = id === 'sr-x2' ? sr.preprocess(data, rows, columns, modality) : dn.preprocess(data, rows, columns, modality);
    const res = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', pre.x, pre.dims) });
    const out = res[session.outputNames[0]!]!;
    const [values, outShape] = id === 'sr-x2'
      ? [srPost.postprocess(out.data as Float32Array, out.dims, pre.offset, pre.scale).modality, [rows * 2, columns * 2]]
      : id === 'denoise'
        ? [dnPost.postprocess(out.data as Float32Array, out.dims, rows, columns, pre.offset, pre.scale, modality, data), [rows, columns]]
        : [cropScores(out.data as Float32Array, out.dims, rows, columns), [rows, columns]];
    writeFileSync(join(outDir, f.replace(/_(CT|MR)\.npy$/, '.npy')), writeNpy(values, outShape));
  }
  await session.release();
  console.log(`${id}: ${files.length} slices`);
}

const [id, inDir, outDir] = process.argv.slice(2);
main(id as ModelId, inDir!, outDir!).catch((e) => { console.error(e); process.exit(1); });
