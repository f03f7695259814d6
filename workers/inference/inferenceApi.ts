// The inference API behind the worker bridge (and used directly by the CLI and bench): stored values in,
// modality values or anomaly scores out, in SOURCE-IMAGE PIXEL SPACE (DESIGN invariant 1). Each call is
// preprocess → tiled model runs → postprocess, with the models' own pure pre/post code. Worker thread or Node.
import { MODEL_CATALOG, type EnhanceModelId, type ModelId } from '../../models/catalog';
import * as srPre from '../../models/sr-x2/preprocess';
import * as srPost from '../../models/sr-x2/postprocess';
import * as dnPre from '../../models/denoise/preprocess';
import * as dnPost from '../../models/denoise/postprocess';
import * as anPre from '../../models/anomaly/preprocess';
import { cropScores, scoreBoxes, SCREEN_THRESHOLD, upsampleScores, type Box } from '../../models/anomaly/postprocess';
import { modelModality } from '../../models/shared/normalise';
import { UnsupportedImageError } from '../../src/shared/errors';
import { differenceMap } from '../../src/shared/differenceMap';
import { displayPixels, type DisplayPixels } from '../../src/shared/rescale';
import type { StoredArray } from '../../src/shared/types';
import type { SessionStore } from './sessions';
import type { Backend, Runtime } from './runtime';
import { DEFAULT_TILING, runTiled, type TileOptions } from './tiling';

/** One greyscale frame as decoded (stored values) with what is needed to get modality values. */
export interface InferenceImage {
  data: StoredArray;
  rows: number;
  columns: number;
  samples: 1 | 3;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** DICOM Modality (0008,0060). CT uses the fixed HU map; everything else the MR-style percentile map. */
  modality: string;
  /** Pixel Spacing (0028,0030), row then column, in mm: screening works at a fixed mm per pixel. Absent: from size. */
  pixelSpacing?: readonly [number, number] | null;
}

export interface EnhanceResult {
  modelId: EnhanceModelId;
  backend: Backend;
  rows: number;
  columns: number;
  /** Modality values (HU for CT), rows × columns, row-major. */
  values: Float32Array;
  /** The same as int16 + rescale, ready for the viewer. */
  display: DisplayPixels;
  /** Enhanced − original (resampled to this grid), a window centred on 0, and its display pixels. */
  difference: { values: Float32Array; window: { center: number; width: number }; display: DisplayPixels };
  /** denoise: the noise SD estimated on the slice (modality units, HU for CT), the level the model was set to. */
  noiseSd?: number;
  ms: number;
}

export interface ScreenResult {
  backend: Backend;
  rows: number;
  columns: number;
  /** Anomaly score per source pixel (0–1: the model's estimate of how strongly the slice differs from normal anatomy there). */
  scores: Float32Array;
  maxScore: number;
  threshold: number;
  /** What region scores are expressed against: the modality's default threshold (see REGION_SCORE_MEANING). */
  reference: number;
  boxes: Box[];
  ms: number;
}

export interface RuntimeInfo { backend: Backend | 'not started'; order: Backend[]; threads: number; cores: number; crossOriginIsolated: boolean; webgpu: boolean; loaded: ModelId[] }

export type TileProgress = (done: number, total: number) => unknown;

/** Largest image edge accepted (the tiler bounds memory; this bounds time and the output buffer). */
export const MAX_EDGE = 4096;

/** Stored values → modality values (PS3.3 C.11.1). Colour and empty images are refused. */
export function modalityValues(image: InferenceImage): Float32Array {
  const { rows, columns } = image;
  if (image.samples !== 1) throw new UnsupportedImageError('The models take greyscale images; this one is colour');
  if (!(rows > 0 && columns > 0) || image.data.length < rows * columns) throw new UnsupportedImageError(`No pixels to process (${rows} × ${columns})`);
  if (rows > MAX_EDGE || columns > MAX_EDGE) throw new UnsupportedImageError(`${rows} × ${columns} is larger than ${MAX_EDGE} × ${MAX_EDGE}`);
  const out = new Float32Array(rows * columns);
  const m = image.rescaleSlope || 1, b = image.rescaleIntercept || 0;
  for (let i = 0; i < out.length; i++) out[i] = image.data[i]! * m + b;
  return out;
}

export interface InferenceApi {
  info(): RuntimeInfo;
  /** Loads (and warms up) a model ahead of use; resolves with the backend it runs on. */
  prepare(id: ModelId): Promise<Backend>;
  enhance(id: EnhanceModelId, image: InferenceImage, onTile?: TileProgress): Promise<EnhanceResult>;
  /** Boxes above `threshold` (default: the modality's operating point, models/anomaly/thresholds.json). */
  screen(image: InferenceImage, threshold?: number, onTile?: TileProgress): Promise<ScreenResult>;
}

function withDisplay(d: { values: Float32Array; window: { center: number; width: number } }): EnhanceResult['difference'] {
  return { ...d, display: displayPixels(d.values, true) };
}

export function createInferenceApi(runtime: Runtime, store: SessionStore, tiling: Omit<TileOptions, 'scale' | 'align'> = DEFAULT_TILING): InferenceApi {
  let lastBackend: Backend | null = null;

  async function runModel(id: ModelId, x: Float32Array, rows: number, columns: number, scale: number, align: number, onTile?: TileProgress): Promise<Float32Array> {
    const session = await store.get(id);
    lastBackend = session.backend;
    // A model that sees further than the tiling's margin gets a wider margin, and tiles twice the overlap then.
    const margin = Math.max(tiling.margin, MODEL_CATALOG[id].contextPx);
    const tile = margin > tiling.margin ? Math.max(tiling.tile, Math.ceil((2 * (2 * margin + tiling.ramp)) / align) * align) : tiling.tile;
    return runTiled(x, rows, columns, { ...tiling, margin, tile, scale, align }, async (tile, h, w) => (await store.serial(() => session.run(tile, [1, 1, h, w]))).data, onTile);
  }

  return {
    info: () => ({
      backend: lastBackend ?? 'not started', order: runtime.plan.order, threads: runtime.plan.threads, cores: runtime.env.cores,
      crossOriginIsolated: runtime.env.crossOriginIsolated, webgpu: runtime.env.webgpu, loaded: store.loaded(),
    }),
    async prepare(id) {
      const s = await store.get(id);
      lastBackend = s.backend;
      return s.backend;
    },
    async enhance(id, image, onTile) {
      if (MODEL_CATALOG[id].task !== 'enhance') throw new UnsupportedImageError(`${id} is not an enhancement model`);
      const t0 = performance.now();
      const values = modalityValues(image);
      const { rows, columns } = image;
      const m = modelModality(image.modality);
      if (id === 'sr-x2') {
        const pre = srPre.preprocess(values, rows, columns, m);
        const s = MODEL_CATALOG[id].scale;
        const y = await runModel(id, pre.x, rows, columns, s, 1, onTile);
        const post = srPost.postprocess(y, [1, 1, rows * s, columns * s], pre.offset, pre.scale);
        const difference = withDisplay(differenceMap(post.modality, post.rows, post.columns, values, rows, columns));
        return { modelId: id, backend: lastBackend!, rows: post.rows, columns: post.columns, values: post.modality, display: displayPixels(post.modality), difference, ms: performance.now() - t0 };
      }
      const pre = dnPre.preprocess(values, rows, columns, m);
      const y = await runModel(id, pre.x, pre.dims[2], pre.dims[3], MODEL_CATALOG[id].scale, dnPre.MULTIPLE, onTile);
      const out = dnPost.postprocess(y, pre.dims, rows, columns, pre.offset, pre.scale, m, values);
      const difference = withDisplay(differenceMap(out, rows, columns, values, rows, columns));
      return { modelId: id, backend: lastBackend!, rows, columns, values: out, display: displayPixels(out), difference, noiseSd: pre.noiseSd, ms: performance.now() - t0 };
    },
    async screen(image, threshold, onTile) {
      const t0 = performance.now();
      const values = modalityValues(image);
      const { rows, columns } = image;
      const m = modelModality(image.modality);
      const reference = SCREEN_THRESHOLD[m];
      threshold ??= reference;
      const pre = anPre.preprocess(values, rows, columns, m, image.pixelSpacing);
      const y = await runModel('anomaly', pre.x, pre.dims[2], pre.dims[3], 1, dnPre.MULTIPLE, onTile);
      const work = cropScores(y, pre.dims, pre.workRows, pre.workColumns);
      for (let i = 0; i < work.length; i++) if (!pre.mask[i]) work[i] = 0; // outside the body or head
      const scores = upsampleScores(work, pre.workRows, pre.workColumns, rows, columns, pre.factor);
      let maxScore = 0;
      for (let i = 0; i < scores.length; i++) if (scores[i]! > maxScore) maxScore = scores[i]!;
      return { backend: lastBackend!, rows, columns, scores, maxScore, threshold, reference, boxes: scoreBoxes(scores, rows, columns, threshold, reference), ms: performance.now() - t0 };
    },
  };
}
