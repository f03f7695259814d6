// A derived image (an enhanced slice) as a DICOM file beside its source: patient, study and frame of reference copied,
// new Series and SOP Instance UIDs, ImageType DERIVED\SECONDARY, a DerivationDescription naming the model and its
// sha256, Rows/Columns/PixelSpacing/ImagePositionPatient updated for a ×2 result, and stored values + rescale chosen so
// modality values (HU) are preserved (PS3.3 C.7.6.1.1.2 derivation, C.11.1 rescale). Copied text is decoded with the
// source's Specific Character Set and written as UTF-8 under ISO_IR 192. Thread-neutral, pure.
import type { DataSet } from 'dicom-parser';
import type { InstanceHeader } from '../shared/types';
import { readText, specificCharacterSetOf } from './readText';
import { SPECIFIC_CHARACTER_SET, UTF8 } from './declareCharset';
import { TS_UID } from './transferSyntax';
import { writeDicom, type WriteElement } from './writeDicom';
import { storedWithRescale } from '../shared/rescale';

export interface DerivedFrames {
  rows: number;
  columns: number;
  /** Modality values of each frame, rows × columns each. */
  frames: Float32Array[];
  /** Output pixels per source pixel along each axis (sr-x2: 2). */
  scale: number;
}

export interface Derivation {
  modelId: string;
  modelTitle: string;
  sha256: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
}

/** A UUID (32 hex digits, dashes allowed) as a UID: "2.25." + the UUID as a decimal integer (PS3.5 B.2). */
export function uuidUid(uuid: string): string {
  return `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}

/** A UID from 128 random bits (PS3.5 B.2). */
export function newUid(): string {
  return uuidUid(crypto.randomUUID());
}

/** How a derived series' description ends: "<source description> [Lucid <model id>]". */
const derivedDescription = (source: string, modelId: string) => `${source} [Lucid ${modelId}]`.slice(0, 64);
/** Whether a series description is one writeDerived wrote (false when a long source description cut the suffix off). */
export const isLucidDerivedDescription = (description: string): boolean => /\[Lucid [\w-]+\]$/.test(description);

/** Tags copied verbatim (as text) from the source when present: patient, study, frame of reference, acquisition. */
const COPIED: [number, string][] = [
  [0x00080020, 'DA'], [0x00080030, 'TM'], [0x00080050, 'SH'], [0x00080060, 'CS'], [0x00080070, 'LO'], [0x00080080, 'LO'],
  [0x00081030, 'LO'], [0x00100010, 'PN'], [0x00100020, 'LO'], [0x00100030, 'DA'], [0x00100040, 'CS'],
  [0x00180015, 'CS'], [0x00180050, 'DS'], [0x00180088, 'DS'], [0x0020000d, 'UI'], [0x00200010, 'SH'], [0x00200013, 'IS'],
  [0x00200052, 'UI'], [0x00201041, 'DS'], [0x00281054, 'LO'],
];

const hex = (tag: number) => `x${tag.toString(16).padStart(8, '0')}`;

/** The derived file's bytes (Explicit VR Little Endian). */
export function writeDerived(source: { header: InstanceHeader; dataSet: DataSet }, result: DerivedFrames, d: Derivation): Uint8Array {
  const h = source.header, ds = source.dataSet;
  const E = (tag: number, vr: string, value: WriteElement['value']): WriteElement => ({ tag, vr, value });
  // Always ISO_IR 192 (PS3.3 C.12.1.1.2), whatever the source used: writeDicom encodes every string as UTF-8, the
  // copied names may be Latin-1, Japanese or Korean in the source, the description holds "×" from the model title,
  // and ASCII is a subset of UTF-8, so the declaration is true for every file we write. No code extensions needed.
  const els: WriteElement[] = [E(SPECIFIC_CHARACTER_SET, 'CS', UTF8)];
  const charset = specificCharacterSetOf(ds);
  for (const [tag, vr] of COPIED) {
    const s = readText(ds, hex(tag), vr, charset).trim();
    if (s !== '') els.push(E(tag, vr, s));
  }
  const { stored, slope, intercept } = storedWithRescale(result.frames, h.rescaleSlope, h.rescaleIntercept, h.pixelKind === 'int');
  const spacing = h.pixelSpacing ? [h.pixelSpacing[0] / result.scale, h.pixelSpacing[1] / result.scale] : null;
  let position = h.imagePositionPatient;
  if (position && h.imageOrientationPatient && h.pixelSpacing && result.scale !== 1) {
    // The first output pixel's centre sits (1 − 1/scale)/2 of a source pixel before the source's first centre.
    const shift = -(1 - 1 / result.scale) / 2;
    const [rx, ry, rz, cx, cy, cz] = h.imageOrientationPatient;
    const dc = shift * h.pixelSpacing[1], dr = shift * h.pixelSpacing[0];
    position = [position[0] + rx * dc + cx * dr, position[1] + ry * dc + cy * dr, position[2] + rz * dc + cz * dr];
  }
  const description = `Lucid ${d.modelId} (${d.modelTitle}), model sha256 ${d.sha256}. For teaching and review only; not for diagnosis.`;
  els.push(
    E(0x00080008, 'CS', ['DERIVED', 'SECONDARY']),
    E(0x00080016, 'UI', h.sopClassUID || '1.2.840.10008.5.1.4.1.1.7'),
    E(0x00080018, 'UI', d.sopInstanceUID),
    E(0x0008103e, 'LO', derivedDescription(h.seriesDescription || h.modality, d.modelId)),
    E(0x00082111, 'ST', description),
    E(0x00082112, 'SQ', [[E(0x00081150, 'UI', h.sopClassUID), E(0x00081155, 'UI', h.sopInstanceUID)]]),
    E(0x0020000e, 'UI', d.seriesInstanceUID),
    E(0x00200011, 'IS', 1000 + (h.seriesNumber ?? 0)),
    E(0x00280002, 'US', 1),
    E(0x00280004, 'CS', h.photometricInterpretation === 'MONOCHROME1' ? 'MONOCHROME1' : 'MONOCHROME2'),
    E(0x00280010, 'US', result.rows),
    E(0x00280011, 'US', result.columns),
    E(0x00280100, 'US', 16), E(0x00280101, 'US', 16), E(0x00280102, 'US', 15), E(0x00280103, 'US', 1),
    E(0x00281052, 'DS', intercept), E(0x00281053, 'DS', slope),
    E(0x7fe00010, 'OW', stored),
  );
  if (result.frames.length > 1) els.push(E(0x00280008, 'IS', result.frames.length));
  if (spacing) els.push(E(0x00280030, 'DS', spacing));
  if (position) els.push(E(0x00200032, 'DS', position));
  if (h.imageOrientationPatient) els.push(E(0x00200037, 'DS', h.imageOrientationPatient));
  if (h.windowCenter.length && h.windowWidth.length) els.push(E(0x00281050, 'DS', h.windowCenter[0]!), E(0x00281051, 'DS', h.windowWidth[0]!));
  els.sort((a, b) => a.tag - b.tag);
  return writeDicom(els, { transferSyntaxUID: TS_UID.explicitLE });
}
