// dicom-parser DataSet → InstanceHeader: typed, defaulted, sanitised header values.
// Thread-neutral, pure. Hostile values (NaN, negative, absurd sizes) are normalised here or rejected later
// by validatePixelModule; strings are decoded with (0008,0005) (readText.ts) and capped so a megabyte PatientName
// cannot flood the UI.
import type { DataSet } from 'dicom-parser';
import type { InstanceHeader } from '../shared/types';
import { readText, specificCharacterSetOf } from './readText';
import { TAG } from './tags';

const MAX_TEXT = 256;

/** `vr` decides whether the Specific Character Set applies (PN, LO, SH…); codes, dates and UIDs are ASCII. */
function text(ds: DataSet, tag: string, vr = 'CS', charset = ''): string {
  const s = readText(ds, tag, vr, charset);
  // C0 and C1 controls (the latter from stray 0x80–0x9F bytes read as ISO 8859-1) are replaced on purpose
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, MAX_TEXT);
}

function finite(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) ? n : null;
}

function floats(ds: DataSet, tag: string, count: number): number[] | null {
  const el = ds.elements[tag];
  if (!el) return null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = finite(ds.floatString(tag, i));
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

function allFloats(ds: DataSet, tag: string): number[] {
  const n = Math.min(ds.numStringValues(tag) ?? 0, 16);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = finite(ds.floatString(tag, i));
    if (v !== null) out.push(v);
  }
  return out;
}

function us(ds: DataSet, tag: string, fallback: number): number {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return fallback;
  return ds.uint16(tag) ?? fallback;
}

function intString(ds: DataSet, tag: string): number | null {
  const v = finite(ds.intString(tag));
  return v === null ? null : Math.trunc(v);
}

export function readHeaderFields(ds: DataSet, fallbackSyntax: string): InstanceHeader {
  const charset = specificCharacterSetOf(ds);
  const rescaleSlope = finite(ds.floatString(TAG.RescaleSlope));
  const rescaleIntercept = finite(ds.floatString(TAG.RescaleIntercept));
  const ipp = floats(ds, TAG.ImagePositionPatient, 3);
  const iop = floats(ds, TAG.ImageOrientationPatient, 6);
  const spacing = floats(ds, TAG.PixelSpacing, 2);
  const framesRaw = intString(ds, TAG.NumberOfFrames);
  const bitsAllocated = us(ds, TAG.BitsAllocated, 0);
  const pixelKind = ds.elements[TAG.PixelData] ? 'int' : ds.elements[TAG.FloatPixelData] ? 'float32' : ds.elements[TAG.DoubleFloatPixelData] ? 'float64' : 'none';
  return {
    transferSyntaxUID: text(ds, TAG.TransferSyntaxUID).replace(/\0/g, '') || fallbackSyntax,
    sopClassUID: text(ds, TAG.SOPClassUID),
    sopInstanceUID: text(ds, TAG.SOPInstanceUID),
    studyInstanceUID: text(ds, TAG.StudyInstanceUID),
    seriesInstanceUID: text(ds, TAG.SeriesInstanceUID),
    studyDescription: text(ds, TAG.StudyDescription, 'LO', charset),
    seriesDescription: text(ds, TAG.SeriesDescription, 'LO', charset),
    studyDate: text(ds, TAG.StudyDate),
    seriesNumber: intString(ds, TAG.SeriesNumber),
    instanceNumber: intString(ds, TAG.InstanceNumber),
    modality: text(ds, TAG.Modality).toUpperCase(),
    patientName: text(ds, TAG.PatientName, 'PN', charset).replace(/\^+/g, ' ').trim(),
    patientID: text(ds, TAG.PatientID, 'LO', charset),
    patientBirthDate: text(ds, TAG.PatientBirthDate),
    institutionName: text(ds, TAG.InstitutionName, 'LO', charset),
    patientIdentityRemoved: text(ds, TAG.PatientIdentityRemoved).toUpperCase() === 'YES',
    imageType: text(ds, TAG.ImageType).split('\\').filter(Boolean),
    rows: us(ds, TAG.Rows, 0),
    columns: us(ds, TAG.Columns, 0),
    frames: framesRaw === null ? 1 : framesRaw,
    samplesPerPixel: us(ds, TAG.SamplesPerPixel, 1),
    photometricInterpretation: text(ds, TAG.PhotometricInterpretation).toUpperCase() || 'MONOCHROME2',
    planarConfiguration: us(ds, TAG.PlanarConfiguration, 0),
    bitsAllocated: pixelKind === 'float32' ? 32 : pixelKind === 'float64' ? 64 : bitsAllocated,
    bitsStored: us(ds, TAG.BitsStored, bitsAllocated),
    highBit: us(ds, TAG.HighBit, Math.max(0, us(ds, TAG.BitsStored, bitsAllocated) - 1)),
    pixelRepresentation: us(ds, TAG.PixelRepresentation, 0),
    rescaleSlope: rescaleSlope === null || rescaleSlope === 0 ? 1 : rescaleSlope,
    rescaleIntercept: rescaleIntercept ?? 0,
    windowCenter: allFloats(ds, TAG.WindowCenter),
    windowWidth: allFloats(ds, TAG.WindowWidth).filter((w) => w > 0),
    imagePositionPatient: ipp ? [ipp[0]!, ipp[1]!, ipp[2]!] : null,
    imageOrientationPatient: iop ? [iop[0]!, iop[1]!, iop[2]!, iop[3]!, iop[4]!, iop[5]!] : null,
    pixelSpacing: spacing && spacing[0]! > 0 && spacing[1]! > 0 ? [spacing[0]!, spacing[1]!] : null,
    sliceThickness: finite(ds.floatString(TAG.SliceThickness)),
    frameTimeMs: finite(ds.floatString(TAG.FrameTime)),
    pixelKind,
    palette: null,
  };
}
