// Annotations → a DICOM Comprehensive SR, TID 1500 Imaging Measurement Report (PS3.16 TID 1500/1501/300), as a Part 10
// file other viewers (OHIF, Weasis, dcmtk) read. dcmjs builds the content tree and writes the bytes; we map our records
// (srMeasurements.ts). Patient identity is copied only from headers marked de-identified. Thread-neutral, pure but for UIDs.
import dcmjs from 'dcmjs';
import type { Annotation } from '../teaching/model';
import { toTid300, type SrSource } from './srMeasurements';

export type { SrSource } from './srMeasurements';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;
const { TID1500MeasurementReport, TID1501MeasurementGroup } = dcmjs.utilities.TID1500;

export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1401.1';

export interface MeasurementReportOptions {
  seriesDescription?: string;
  /** Content date/time (default now). */
  now?: Date;
  /** Person Observer Name (PN, "Family^Given"); default "Lucid". */
  observerName?: string;
  /** New UIDs are generated (2.25.<uuid>) unless given. */
  sopInstanceUID?: string;
  seriesInstanceUID?: string;
  seriesNumber?: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const da = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
const tm = (d: Date) => `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;

/**
 * Part 10 bytes (Explicit VR Little Endian) of one SR holding one measurement group per annotation. Every annotation's
 * image must be in `sources` and all must be in one study. Annotations that cannot be measured (a degenerate angle)
 * are left out; none at all is an error.
 */
export function writeMeasurementReport(annotations: Annotation[], sources: Map<string, SrSource>, options: MeasurementReportOptions = {}): Uint8Array {
  const now = options.now ?? new Date();
  const measurements = [];
  const seriesOf: Record<string, string> = {};
  const used: SrSource[] = [];
  for (const a of annotations) {
    const source = sources.get(a.image.sopInstanceUID);
    if (!source) throw new Error(`writeMeasurementReport: no header for the image of annotation ${a.id} (${a.image.sopInstanceUID})`);
    const h = source.header;
    const referencedSop: Record<string, unknown> = { ReferencedSOPClassUID: h.sopClassUID, ReferencedSOPInstanceUID: h.sopInstanceUID };
    if (h.frames > 1) referencedSop.ReferencedFrameNumber = a.image.frame + 1; // 1-based (PS3.3 C.17.3.2.5)
    const m = toTid300(a, source, referencedSop);
    if (!m) continue;
    measurements.push(m);
    seriesOf[h.sopInstanceUID] = h.seriesInstanceUID;
    if (!used.includes(source)) used.push(source);
  }
  const first = used[0]?.header;
  if (!first) throw new Error('writeMeasurementReport: no measurable annotation to report');
  if (used.some((s) => s.header.studyInstanceUID !== first.studyInstanceUID)) {
    throw new Error('writeMeasurementReport: annotations from more than one study; write one report per study');
  }
  const derivation = [...new Set(used.map((s) => s.header.seriesInstanceUID))].map((SeriesInstanceUID) => ({ StudyInstanceUID: first.studyInstanceUID, SeriesInstanceUID }));
  const report = new TID1500MeasurementReport({ TID1501MeasurementGroups: [new TID1501MeasurementGroup(measurements)] });
  const content = report.contentItem(derivation, { PersonName: options.observerName ?? 'Lucid', sopInstanceUIDsToSeriesInstanceUIDMap: seriesOf });

  // Never copy patient identity unless every source says it was removed (the packet export refuses the rest too).
  const deidentified = used.every((s) => s.header.patientIdentityRemoved);
  const sopInstanceUID = options.sopInstanceUID ?? DicomMetaDictionary.uid();
  const dataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: sopInstanceUID,
    PatientName: deidentified ? first.patientName.replace(/ /g, '^') : '',
    PatientID: deidentified ? first.patientID : '',
    PatientBirthDate: deidentified ? first.patientBirthDate : '',
    PatientSex: '',
    ...(deidentified ? { PatientIdentityRemoved: 'YES', DeidentificationMethod: 'Copied from de-identified source images' } : {}),
    StudyInstanceUID: first.studyInstanceUID,
    StudyDate: first.studyDate,
    StudyTime: '',
    StudyID: '',
    AccessionNumber: '',
    ReferringPhysicianName: '',
    Modality: 'SR',
    SeriesInstanceUID: options.seriesInstanceUID ?? DicomMetaDictionary.uid(),
    SeriesNumber: String(options.seriesNumber ?? 99),
    SeriesDescription: options.seriesDescription ?? 'Lucid measurements',
    Manufacturer: 'Lucid',
    InstanceNumber: '1',
    ContentDate: da(now),
    ContentTime: tm(now),
    ValueType: 'CONTAINER', // the root content item (PS3.3 C.17.3); dcmjs's tree starts below it
    ...content,
  };
  const meta = DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: COMPREHENSIVE_SR,
    MediaStorageSOPInstanceUID: sopInstanceUID,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'LUCID',
  });
  const dict = new DicomDict(meta);
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
