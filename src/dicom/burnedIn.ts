// Burned-in text risk for de-identification: why an instance's pixels may carry identifying text (header rules here,
// the pixel screen in detectCornerText). PS3.15 Annex E's Basic Profile cleans attributes, never pixels, so a caller
// must never pass pixels as clean when this returns a reason. It decides nothing and edits nothing. Thread-neutral, pure.
import type { DataSet } from 'dicom-parser';
import type { InstanceHeader } from '../shared/types';
import { readText } from './readText';
export { detectCornerText } from './detectCornerText';

/**
 * Why pixels may carry identifying text: the header's Burned In Annotation flag, a modality that stamps text, a
 * secondary capture, or (added by the caller when detectCornerText(frame).found) text seen in the frame's corners.
 */
export type BurnedInReason = 'flag' | 'modality' | 'secondary-capture' | 'corner-text';

export interface BurnedInHeader {
  /** Burned In Annotation (0028,0301), PS3.3 C.7.6.1.1.3: YES, NO or empty. */
  burnedInAnnotation: string;
  /** Modality (0008,0060). */
  modality: string;
  /** SOP Class UID (0008,0016). */
  sopClassUID: string;
  /** Image Type (0008,0008) values. */
  imageType: readonly string[];
  /** Conversion Type (0008,0064), PS3.3 C.8.6.1: present only on secondary captures. */
  conversionType: string;
}

/**
 * Modalities whose images usually carry burned-in text (PS3.15 E.3.1, the Clean Pixel Data Option, and the
 * modalities de-identification pipelines such as RSNA CTP's pixel anonymiser screen by default):
 * US, ES and OP/XC/GM cameras stamp patient name, date and institution into the frame; XA and RF fluoroscopy write
 * them into the corners; CR, DX, MG, IO and PX radiographs carry ID-flasher labels or stamped names and dates
 * (older CR: a flashed patient card is part of the exposure); OT and SC are screen captures under another name.
 * CT, MR, PT and NM are left out: scanners keep their text in the header and screenshots are caught by the
 * secondary-capture rules. SM is listed separately: only its LABEL and OVERVIEW images show the slide label.
 */
export const TEXT_MODALITIES: ReadonlySet<string> = new Set(['US', 'XA', 'RF', 'ES', 'XC', 'GM', 'OP', 'CR', 'DX', 'MG', 'IO', 'PX', 'OT', 'SC']);

/** Secondary Capture Image Storage and the four multi-frame Secondary Capture classes (PS3.4 B.5). */
export const SECONDARY_CAPTURE_CLASSES: ReadonlySet<string> = new Set([
  '1.2.840.10008.5.1.4.1.1.7',
  '1.2.840.10008.5.1.4.1.1.7.1',
  '1.2.840.10008.5.1.4.1.1.7.2',
  '1.2.840.10008.5.1.4.1.1.7.3',
  '1.2.840.10008.5.1.4.1.1.7.4',
]);

/**
 * Image Type values that mark a screen grab or a report page (vendor "SCREEN SAVE", dose screens, captures).
 * DERIVED\SECONDARY alone is not one: scanner reformats (MPR, MIP) are SECONDARY and rarely carry text; the pixel
 * screen still looks at them.
 */
const SCREEN_IMAGE_TYPE = /SCREEN|CAPTURE|DOSE|REPORT/;

const norm = (s: string) => s.trim().toUpperCase();

/** Reasons from the header alone, each once, in the order of BurnedInReason. */
export function burnedInFromHeader(h: BurnedInHeader): BurnedInReason[] {
  const reasons: BurnedInReason[] = [];
  const imageType = h.imageType.map(norm);
  if (norm(h.burnedInAnnotation) === 'YES') reasons.push('flag');
  // A 'NO' flag does not clear the modality: devices default it and are often wrong (PS3.15 E.3.1 asks for review).
  const modality = norm(h.modality);
  if (TEXT_MODALITIES.has(modality) || (modality === 'SM' && imageType.some((t) => t === 'LABEL' || t === 'OVERVIEW'))) reasons.push('modality');
  if (SECONDARY_CAPTURE_CLASSES.has(h.sopClassUID.trim()) || norm(h.conversionType) !== '' || imageType.some((t) => SCREEN_IMAGE_TYPE.test(t))) {
    reasons.push('secondary-capture');
  }
  return reasons;
}

/** burnedInFromHeader for a parsed instance: the two fields InstanceHeader does not carry are read from the dataset. */
export function burnedInOfInstance(dataSet: DataSet, header: InstanceHeader, sopClassUID = header.sopClassUID): BurnedInReason[] {
  return burnedInFromHeader({
    burnedInAnnotation: readText(dataSet, 'x00280301', 'CS'), modality: header.modality, sopClassUID,
    imageType: header.imageType, conversionType: readText(dataSet, 'x00080064', 'CS'),
  });
}
