// Every model Lucid ships, as data (OHIF: declarative over code). Sizes, sha256 and FLOPs come from the export
// script's model.json; the rest is the model card in brief. Thread-neutral; the UI and workers read it alike.
import srX2 from './sr-x2/model.json';
import denoise from './denoise/model.json';
import anomaly from './anomaly/model.json';

export interface ModelEntry {
  id: string;
  title: string;
  task: 'enhance' | 'screen';
  /** Output rows/columns per input row/column. */
  scale: number;
  modalities: readonly ('CT' | 'MR')[];
  /** In-plane pixel spacing (mm) the model was trained on; outside it the app warns (out of distribution). */
  pixelSpacingMm: readonly [number, number];
  /** Bits Stored of the training data (8-bit IXI to 12/16-bit CT and 3 T/7 T MR). */
  bitsStored: readonly [number, number];
  file: string;
  sha256: string;
  bytes: number;
  opset: number;
  parameters: number;
  flopsPer512Input: number;
  /** Dynamic height and width: the app tiles large images only to bound memory. */
  dynamicShape: true;
  card: string;
}

/** The export script's facts about one ONNX file (models/<id>/model.json). */
interface ExportedModel { id: string; file: string; sha256: string; bytes: number; opset: number; parameters: number; flopsPer512Input: number }

function entry(meta: ExportedModel, card: Pick<ModelEntry, 'title' | 'task' | 'scale'>): ModelEntry {
  return {
    ...card,
    id: meta.id,
    modalities: ['CT', 'MR'],
    pixelSpacingMm: [0.4, 2.0],
    bitsStored: [8, 16],
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

export const MODEL_CATALOG = Object.freeze({
  'sr-x2': entry(srX2, { title: 'Super-resolution ×2', task: 'enhance', scale: 2 }),
  denoise: entry(denoise, { title: 'Denoise', task: 'enhance', scale: 1 }),
  anomaly: entry(anomaly, { title: 'Anomaly screening', task: 'screen', scale: 1 }),
});

export type ModelId = keyof typeof MODEL_CATALOG;
