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

export const MODEL_CATALOG = Object.freeze({
  'sr-x2': {
    id: 'sr-x2',
    title: 'Super-resolution ×2',
    task: 'enhance',
    scale: 2,
    modalities: ['CT', 'MR'],
    pixelSpacingMm: [0.4, 2.0],
    file: `sr-x2/${srX2.file}`,
    sha256: srX2.sha256,
    bytes: srX2.bytes,
    opset: srX2.opset,
    parameters: srX2.parameters,
    flopsPer512Input: srX2.flopsPer512Input,
    dynamicShape: true,
    card: 'sr-x2/MODEL_CARD.md',
  },
  denoise: {
    id: 'denoise',
    title: 'Denoise',
    task: 'enhance',
    scale: 1,
    modalities: ['CT', 'MR'],
    pixelSpacingMm: [0.4, 2.0],
    file: `denoise/${denoise.file}`,
    sha256: denoise.sha256,
    bytes: denoise.bytes,
    opset: denoise.opset,
    parameters: denoise.parameters,
    flopsPer512Input: denoise.flopsPer512Input,
    dynamicShape: true,
    card: 'denoise/MODEL_CARD.md',
  },
  anomaly: {
    id: 'anomaly',
    title: 'Anomaly screening',
    task: 'screen',
    scale: 1,
    modalities: ['CT', 'MR'],
    pixelSpacingMm: [0.4, 2.0],
    file: `anomaly/${anomaly.file}`,
    sha256: anomaly.sha256,
    bytes: anomaly.bytes,
    opset: anomaly.opset,
    parameters: anomaly.parameters,
    flopsPer512Input: anomaly.flopsPer512Input,
    dynamicShape: true,
    card: 'anomaly/MODEL_CARD.md',
  },
} satisfies Record<string, ModelEntry>);

export type ModelId = keyof typeof MODEL_CATALOG;
