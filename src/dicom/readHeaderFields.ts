// dicom-parser DataSet → InstanceHeader: typed, defaulted, sanitised header values.
// Thread-neutral, pure. Hostile values (NaN, negative, absurd sizes) are normalised here or rejected later
// by validatePixelModule; strings are capped so a megabyte PatientName cannot flood the UI.
import type { DataSet } from 'dicom-parser';
import type { InstanceHeader } from '../shared/types';
import { TAG } from './tags';

const MAX_TEXT = 256;

function text(ds: DataSet, tag: string): string {
  try {
    const s = ds.string(tag);
    // eslint-disable-next-line no-control-regex -- control characters in a header value are replaced on purpose
    return s ? s.replace(/[\u0000-\u001f]/g, ' ').trim().slice(0, MAX_TEXT) : '';
  } catch {
    return '';
  }
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
    studyDescription: text(ds, TAG.StudyDescription),
    seriesDescription: text(ds, TAG.SeriesDescription),
    studyDate: text(ds, TAG.StudyDate),
    seriesNumber: intString(ds, TAG.SeriesNumber),
    instanceNumber: intString(ds, TAG.InstanceNumber),
    modality: text(ds, TAG.Modality).toUpperCase(),
    patientName: text(ds, TAG.PatientName).replace(/\^+/g, ' ').trim(),
    patientID: text(ds, TAG.PatientID),
    patientBirthDate: text(ds, TAG.PatientBirthDate),
    institutionName: text(ds, TAG.InstitutionName),
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
