// Every model Lucid ships, as data (OHIF: declarative over code): the one place ids, titles, tasks, output scale,
// card paths and the input ranges each model was trained on live; types, labels and scale elsewhere derive from it.
// Sizes, sha256 and FLOPs come from the export script's model.json; the rest is the model card in brief (the ranges
// are transcribed from each card, and test/models/catalog.test.ts checks they appear in it). Thread-neutral.
import srX2 from './sr-x2/model.json';
import denoise from './denoise/model.json';
import anomaly from './anomaly/model.json';

export type ModelTask = 'enhance' | 'screen';

/** What the model card says the model was trained on; an image outside it gets an out-of-distribution warning. */
export interface TrainingRange {
  modalities: readonly ('CT' | 'MR')[];
  /** In-plane pixel spacing (mm), inclusive. */
  pixelSpacingMm: readonly [number, number];
  /** Bits Stored (0028,0101), inclusive. */
  bitsStored: readonly [number, number];
}

export interface ModelEntry<T extends ModelTask = ModelTask> extends TrainingRange {
  id: string;
  title: string;
  task: T;
  /** Output rows/columns per input row/column. */
  scale: number;
  /**
   * Input pixels on each side an output pixel depends on, for practical purposes (its receptive field's reach): a tile
   * edge's output is discarded this far in, so tiled output equals untiled output within 1e-3.
   */
  contextPx: number;
  file: string;
  sha256: string;
  bytes: number;
  opset: number;
  parameters: number;
  flopsPer512Input: number;
  /** Dynamic height and width: the app tiles large images only to bound memory. */
  dynamicShape: true;
  /** The model card, relative to models/ (bundled as text by models/cards.ts). */
  card: string;
}

/** The export script's facts about one ONNX file (models/<id>/model.json). */
interface ExportedModel { id: string; file: string; sha256: string; bytes: number; opset: number; parameters: number; flopsPer512Input: number }

function entry<T extends ModelTask>(meta: ExportedModel, card: { title: string; task: T; scale: number; contextPx: number } & TrainingRange): ModelEntry<T> {
  return {
    ...card,
    id: meta.id,
    file: `${meta.id}/${meta.file}`,
    sha256: meta.sha256,
    bytes: meta.bytes,
    opset: meta.opset,
    parameters: meta.parameters,
    flopsPer512Input: meta.flopsPer512Input,
    dynamicShape: true,
    card: `${meta.id}/MODEL_CARD.md`,
  };
}

// Ranges as each card's "Input assumptions" states them ("in-plane pixel spacing 0.43–2 mm and 8- to 12-bit data").
const CT_MR = ['CT', 'MR'] as const;
export const MODEL_CATALOG = Object.freeze({
  'sr-x2': entry(srX2, { title: 'Super-resolution ×2', task: 'enhance', scale: 2, contextPx: 20, modalities: CT_MR, pixelSpacingMm: [0.43, 2], bitsStored: [8, 12] }),
  denoise: entry(denoise, { title: 'Denoise', task: 'enhance', scale: 1, contextPx: 25, modalities: CT_MR, pixelSpacingMm: [0.43, 2], bitsStored: [8, 12] }),
  anomaly: entry(anomaly, { title: 'Anomaly screening', task: 'screen', scale: 1, contextPx: 80, modalities: CT_MR, pixelSpacingMm: [0.43, 2], bitsStored: [8, 12] }),
});

type Catalog = typeof MODEL_CATALOG;
export type ModelId = keyof Catalog;
/** The models that make an image (a derived series) rather than a score map. */
export type EnhanceModelId = { [K in ModelId]: Catalog[K]['task'] extends 'enhance' ? K : never }[ModelId];

/** Every model id, in catalogue order (the order the model panel lists them). */
export const MODEL_IDS = Object.keys(MODEL_CATALOG) as ModelId[];
export const ENHANCE_MODEL_IDS = MODEL_IDS.filter((id): id is EnhanceModelId => MODEL_CATALOG[id].task === 'enhance');
export const isModelId = (s: string): s is ModelId => Object.hasOwn(MODEL_CATALOG, s);
export const isEnhanceModelId = (s: string): s is EnhanceModelId => isModelId(s) && MODEL_CATALOG[s].task === 'enhance';
