// The bundled sample study: a synthetic chest CT series (512², HU via rescale) and a brain MR series (256²),
// written as real DICOM by our writer. Deterministic; no real patient data. Thread-neutral.
import { writeDicom, type WriteElement } from '../writeDicom';
import { TS_UID } from '../transferSyntax';
import { brainMrSlice, chestCtSlice } from './phantom';

export const SAMPLE_UID_ROOT = '1.2.826.0.1.3680043.10.1401';

export interface SeriesSpec {
  modality: 'CT' | 'MR';
  size: number;
  slices: number;
  seriesNumber: number;
  description: string;
  /** Pixel spacing (mm) and slice spacing (mm). */
  spacing: number;
  sliceSpacing: number;
  studyUID: string;
}

export interface SyntheticImage {
  spec: SeriesSpec;
  index: number;
  /** Stored values (uint16) for the slice, rows × columns. */
  stored: Uint16Array;
  elements: WriteElement[];
}

/** Stored values: CT as HU + 1024 in 12 bits (slope 1, intercept −1024); MR as rounded intensities. */
function toStored(values: Float32Array, modality: 'CT' | 'MR'): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = modality === 'CT' ? values[i]! + 1024 : values[i]!;
    out[i] = Math.max(0, Math.min(4095, Math.round(v)));
  }
  return out;
}

export function syntheticImage(spec: SeriesSpec, index: number): SyntheticImage {
  const z = spec.slices > 1 ? index / (spec.slices - 1) : 0.5;
  const seed = spec.seriesNumber * 100003 + index;
  const values = spec.modality === 'CT' ? chestCtSlice(spec.size, z, seed) : brainMrSlice(spec.size, 0.25 + 0.5 * z, seed);
  const stored = toStored(values, spec.modality);
  const seriesUID = `${spec.studyUID}.${spec.seriesNumber}`;
  const half = (spec.size * spec.spacing) / 2;
  const E = (tag: number, vr: string, value: WriteElement['value']): WriteElement => ({ tag, vr, value });
  const elements: WriteElement[] = [
    E(0x00080008, 'CS', ['ORIGINAL', 'PRIMARY', 'AXIAL']),
    E(0x00080016, 'UI', spec.modality === 'CT' ? '1.2.840.10008.5.1.4.1.1.2' : '1.2.840.10008.5.1.4.1.1.4'),
    E(0x00080018, 'UI', `${seriesUID}.${index + 1}`),
    E(0x00080020, 'DA', '20260101'),
    E(0x00080060, 'CS', spec.modality),
    E(0x00080080, 'LO', 'Lucid Synthetic Teaching Hospital'),
    E(0x00081030, 'LO', 'Synthetic phantom study'),
    E(0x0008103e, 'LO', spec.description),
    E(0x00100010, 'PN', 'PHANTOM^SYNTHETIC'),
    E(0x00100020, 'LO', 'LUCID-0001'),
    E(0x00100030, 'DA', '19700101'),
    // A phantom, not a patient: say so (PS3.3 C.7.1.1) so teaching packets may carry it (src/teaching/packet).
    E(0x00120062, 'CS', 'YES'),
    E(0x00120063, 'LO', 'Synthetic phantom: no patient data'),
    E(0x00180050, 'DS', spec.sliceSpacing),
    E(0x0020000d, 'UI', spec.studyUID),
    E(0x0020000e, 'UI', seriesUID),
    E(0x00200011, 'IS', spec.seriesNumber),
    E(0x00200013, 'IS', index + 1),
    // Axial, feet-first along +z: slice i at z = i × spacing (LPS, mm).
    E(0x00200032, 'DS', [-half, -half, index * spec.sliceSpacing]),
    E(0x00200037, 'DS', [1, 0, 0, 0, 1, 0]),
    E(0x00280002, 'US', 1),
    E(0x00280004, 'CS', 'MONOCHROME2'),
    E(0x00280010, 'US', spec.size),
    E(0x00280011, 'US', spec.size),
    E(0x00280030, 'DS', [spec.spacing, spec.spacing]),
    E(0x00280100, 'US', 16),
    E(0x00280101, 'US', 12),
    E(0x00280102, 'US', 11),
    E(0x00280103, 'US', 0),
    ...(spec.modality === 'CT'
      ? [E(0x00281050, 'DS', 40), E(0x00281051, 'DS', 400), E(0x00281052, 'DS', -1024), E(0x00281053, 'DS', 1), E(0x00281054, 'LO', 'HU')]
      : []),
    E(0x7fe00010, 'OW', stored),
  ];
  return { spec, index, stored, elements };
}

export function sampleSeriesSpecs(): SeriesSpec[] {
  const studyUID = `${SAMPLE_UID_ROOT}.1.1`;
  return [
    { modality: 'CT', size: 512, slices: 24, seriesNumber: 2, description: 'Synthetic chest CT (phantom)', spacing: 0.7, sliceSpacing: 5, studyUID },
    { modality: 'MR', size: 256, slices: 20, seriesNumber: 3, description: 'Synthetic brain T1 MR (phantom)', spacing: 0.9, sliceSpacing: 4, studyUID },
  ];
}

export interface SyntheticFile { name: string; bytes: Uint8Array }

/** Every file of the sample study, in Explicit VR Little Endian. */
export function makeSampleStudy(specs = sampleSeriesSpecs()): SyntheticFile[] {
  const files: SyntheticFile[] = [];
  for (const spec of specs) {
    for (let i = 0; i < spec.slices; i++) {
      const img = syntheticImage(spec, i);
      files.push({ name: `${spec.modality.toLowerCase()}-${String(i + 1).padStart(3, '0')}.dcm`, bytes: writeDicom(img.elements, { transferSyntaxUID: TS_UID.explicitLE }) });
    }
  }
  return files;
}
