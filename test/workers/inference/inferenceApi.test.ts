// The inference API with the shipped models on onnxruntime-web (WASM, Node): tiled runs equal untiled runs within
// 1e-3 (model units) away from the image border, stored values + rescale come back as modality values, screening
// boxes an inserted lesion in source pixels, and colour images are refused by name.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../models/catalog';
import { createInferenceApi, type InferenceApi, type InferenceImage } from '../../../workers/inference/inferenceApi';
import { createRuntime } from '../../../workers/inference/runtime';
import { createSessionStore } from '../../../workers/inference/sessions';
import { brainMrSlice, chestCtSlice } from '../../../src/dicom/synthetic/phantom';
import { insertLesions } from '../../../src/teaching/syntheticLesions';

let whole: InferenceApi, tiled: InferenceApi, smallTiles: InferenceApi;

beforeAll(async () => {
  const runtime = await createRuntime({ env: { webgpu: false, crossOriginIsolated: true, cores: 1 }, threads: 1 });
  const store = createSessionStore(runtime, async (id) => new Uint8Array(readFileSync(`models/${MODEL_CATALOG[id].file}`)));
  whole = createInferenceApi(runtime, store);
  tiled = createInferenceApi(runtime, store, { tile: 128, margin: 32, ramp: 16 });
  smallTiles = createInferenceApi(runtime, store, { tile: 64, margin: 20, ramp: 8 });
});

/** A CT slice as a scanner stores it: int16 with rescale intercept −1024. */
function ctImage(n: number): InferenceImage {
  const hu = chestCtSlice(n, 0.4, 3);
  return { data: Int16Array.from(hu, (v) => Math.round(v) + 1024), rows: n, columns: n, samples: 1, rescaleSlope: 1, rescaleIntercept: -1024, modality: 'CT' };
}

function worstInterior(a: Float32Array, b: Float32Array, rows: number, columns: number, border: number, unit: number): number {
  let worst = 0;
  for (let r = border; r < rows - border; r++) for (let c = border; c < columns - border; c++) {
    worst = Math.max(worst, Math.abs(a[r * columns + c]! - b[r * columns + c]!) / unit);
  }
  return worst;
}

describe('inference API (shipped models, WASM)', () => {
  it('denoise: tiled equals untiled within 1e-3 away from the border, in HU', async () => {
    const img = ctImage(160);
    const progress: string[] = [];
    const a = await whole.enhance('denoise', img);
    const b = await tiled.enhance('denoise', img, (done, total) => progress.push(`${done}/${total}`));
    expect(progress).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(a.backend).toBe('wasm');
    expect(worstInterior(a.values, b.values, 160, 160, 4, 2048)).toBeLessThan(1e-3); // 2048 HU = 1 model unit
    // Modality values: the output is in HU, not stored values (air stays near −1000).
    expect(a.values[0]).toBeLessThan(-900);
  }, 60_000);

  it('sr-x2: tiled equals untiled within 1e-3 at twice the size', async () => {
    const img = ctImage(80);
    const a = await whole.enhance('sr-x2', img);
    const b = await smallTiles.enhance('sr-x2', img);
    expect([a.rows, a.columns, b.rows, b.columns]).toEqual([160, 160, 160, 160]);
    expect(worstInterior(a.values, b.values, 160, 160, 8, 2048)).toBeLessThan(1e-3);
  }, 60_000);

  it('anomaly: tiled equals untiled and an inserted lesion gets a box', async () => {
    const n = 160, spacing: [number, number] = [1.5, 1.5];
    const slice = brainMrSlice(n, 0.5, 21);
    const lesion = { centerRow: 60, centerColumn: 90, diameterMm: 18, axisRatio: 0.8, angle: 0.3, contrast: 300, lobulation: 0.1, texture: 0.1 };
    const withLesion = insertLesions(slice, n, n, spacing, [lesion], 5);
    const img: InferenceImage = { data: withLesion.values, rows: n, columns: n, samples: 1, rescaleSlope: 1, rescaleIntercept: 0, modality: 'MR' };
    const a = await whole.screen(img);
    const b = await tiled.screen(img);
    expect(worstInterior(a.scores, b.scores, n, n, 4, 1)).toBeLessThan(1e-3);
    expect(a.boxes.length).toBeGreaterThan(0);
    const top = a.boxes[0]!;
    expect(top.rowMin).toBeLessThanOrEqual(60);
    expect(top.rowMax).toBeGreaterThanOrEqual(60);
    expect(top.columnMin).toBeLessThanOrEqual(90);
    expect(top.columnMax).toBeGreaterThanOrEqual(90);
    expect(a.maxScore).toBeGreaterThan(a.threshold);
  }, 60_000);

  it('refuses colour and empty images with UnsupportedImageError', async () => {
    const rgb: InferenceImage = { data: new Uint8Array(8 * 8 * 3), rows: 8, columns: 8, samples: 3, rescaleSlope: 1, rescaleIntercept: 0, modality: 'OT' };
    await expect(whole.enhance('denoise', rgb)).rejects.toMatchObject({ name: 'UnsupportedImageError' });
    await expect(whole.screen({ ...rgb, samples: 1, rows: 0 })).rejects.toMatchObject({ name: 'UnsupportedImageError' });
  });
});
