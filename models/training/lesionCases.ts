// Makes the anomaly evaluation pool with the app's own lesion generator (src/teaching/syntheticLesions.ts):
//   npx tsx models/training/lesionCases.ts <in-dir> <out-dir>
// Input: NNNN_<CT|MR>_<rowSpacing>_<colSpacing>.npy (float32 modality values). Output: NNNN_<CT|MR>.npy (image, with
// 1–3 lesions in every second slice, none in the others) and NNNN_mask.npy (uint8).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lesionCase } from '../../src/teaching/syntheticLesions';
import { readNpy } from '../../src/dicom/readNpy';
import { writeNpy } from '../../src/dicom/writeNpy';

const [inDir, outDir] = process.argv.slice(2) as [string, string];
mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(inDir).filter((x) => x.endsWith('.npy')).sort()) {
  const m = /^(\d+)_(CT|MR)_([\d.]+)_([\d.]+)\.npy$/.exec(f);
  if (!m) continue;
  const [, id, modality, sr, sc] = m as unknown as [string, string, 'CT' | 'MR', string, string];
  const { shape, data } = readNpy(new Uint8Array(readFileSync(join(inDir, f))));
  const index = Number(id);
  const withLesions = index % 2 === 1;
  const r = lesionCase(data, shape[0]!, shape[1]!, [Number(sr), Number(sc)], modality, 10007 * index + 17, withLesions ? undefined : 0);
  writeFileSync(join(outDir, `${id}_${modality}.npy`), writeNpy(r.values, shape));
  writeFileSync(join(outDir, `${id}_mask.npy`), writeNpy(r.mask, shape));
}
