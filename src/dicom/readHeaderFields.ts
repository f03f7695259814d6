// dicom-parser DataSet → InstanceHeader: typed, defaulted, sanitised header values.
// Thread-neutral, pure. Hostile values (NaN, negative, absurd sizes) are normalised here or rejected later
// by validatePixelModule; strings are decoded with (0008,0005) (readText.ts) and capped so a megabyte PatientName
// cannot flood the UI. Every value is read bounds- and count-checked (readValues.ts): a malformed field the display
// does not need degrades (no spacing → no mm measurements); a needed one cut short is a TruncatedError.
import type { DataSet } from 'dicom-parser';
import type { InstanceHeader } from '../shared/types';
import { readText, specificCharacterSetOf } from './readText';
import { readFiniteNumbers, readInteger, readNumber, readNumberTuple, readUint16 } from './readValues';
import { TAG } from './tags';

const MAX_TEXT = 256;

/** `vr` decides whether the Specific Character Set applies (PN, LO, SH…); codes, dates and UIDs are ASCII. */
function text(ds: DataSet, tag: string, vr = 'CS', charset = ''): string {
  const s = readText(ds, tag, vr, charset);
  // C0 and C1 controls (the latter from stray 0x80–0x9F bytes read as ISO 8859-1) are replaced on purpose
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, MAX_TEXT);
}

export function readHeaderFields(ds: DataSet, fallbackSyntax: string): InstanceHeader {
  const charset = specificCharacterSetOf(ds);
  const rescaleSlope = readNumber(ds, TAG.RescaleSlope);
  const ipp = readNumberTuple(ds, TAG.ImagePositionPatient, 3);
  const iop = readNumberTuple(ds, TAG.ImageOrientationPatient, 6);
  const spacing = readNumberTuple(ds, TAG.PixelSpacing, 2);
  const framesRaw = readInteger(ds, TAG.NumberOfFrames, true);
  // The Image Pixel module (PS3.3 C.7.6.3): required, so a value cut short is refused rather than guessed.
  const us = (tag: string, fallback: number) => readUint16(ds, tag, fallback, true);
  const bitsAllocated = us(TAG.BitsAllocated, 0);
  const bitsStored = us(TAG.BitsStored, bitsAllocated);
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
    seriesNumber: readInteger(ds, TAG.SeriesNumber),
    instanceNumber: readInteger(ds, TAG.InstanceNumber),
    modality: text(ds, TAG.Modality).toUpperCase(),
    patientName: text(ds, TAG.PatientName, 'PN', charset).replace(/\^+/g, ' ').trim(),
    patientID: text(ds, TAG.PatientID, 'LO', charset),
    patientBirthDate: text(ds, TAG.PatientBirthDate),
    institutionName: text(ds, TAG.InstitutionName, 'LO', charset),
    patientIdentityRemoved: text(ds, TAG.PatientIdentityRemoved).toUpperCase() === 'YES',
    imageType: text(ds, TAG.ImageType).split('\\').filter(Boolean),
    rows: us(TAG.Rows, 0),
    columns: us(TAG.Columns, 0),
    frames: framesRaw === null ? 1 : framesRaw,
    samplesPerPixel: us(TAG.SamplesPerPixel, 1),
    photometricInterpretation: text(ds, TAG.PhotometricInterpretation).toUpperCase() || 'MONOCHROME2',
    planarConfiguration: us(TAG.PlanarConfiguration, 0),
    bitsAllocated: pixelKind === 'float32' ? 32 : pixelKind === 'float64' ? 64 : bitsAllocated,
    bitsStored,
    highBit: us(TAG.HighBit, Math.max(0, bitsStored - 1)),
    pixelRepresentation: us(TAG.PixelRepresentation, 0),
    rescaleSlope: rescaleSlope === null || rescaleSlope === 0 ? 1 : rescaleSlope,
    rescaleIntercept: readNumber(ds, TAG.RescaleIntercept) ?? 0,
    windowCenter: readFiniteNumbers(ds, TAG.WindowCenter),
    windowWidth: readFiniteNumbers(ds, TAG.WindowWidth).filter((w) => w > 0),
    imagePositionPatient: ipp ? [ipp[0]!, ipp[1]!, ipp[2]!] : null,
    imageOrientationPatient: iop ? [iop[0]!, iop[1]!, iop[2]!, iop[3]!, iop[4]!, iop[5]!] : null,
    pixelSpacing: spacing && spacing[0]! > 0 && spacing[1]! > 0 ? [spacing[0]!, spacing[1]!] : null,
    sliceThickness: readNumber(ds, TAG.SliceThickness),
    sliceLocation: readNumber(ds, TAG.SliceLocation),
    frameTimeMs: readNumber(ds, TAG.FrameTime),
    pixelKind,
    palette: null,
  };
}
