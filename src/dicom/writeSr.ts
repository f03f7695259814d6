// Annotations → a DICOM Comprehensive SR, TID 1500 Imaging Measurement Report (PS3.16 TID 1500/1501/300), as a Part 10
// file other viewers (OHIF, Weasis, dcmtk) read. dcmjs builds the content tree and writes the bytes; we map our records
// (srMeasurements.ts). writeTid1500 is the report shell other SR writers share (writeAnomalySr.ts). Thread-neutral,
// pure but for UIDs and the clock.
import dcmjs, { type Json, type TID300Measurement } from 'dcmjs';
import type { InstanceHeader } from '../shared/types';
import type { Annotation } from '../teaching/model';
import { patientStudyOf } from './patientStudy';
import { toTid300, type SrSource } from './srMeasurements';

export type { SrSource } from './srMeasurements';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;
const { TID1500MeasurementReport, TID1501MeasurementGroup } = dcmjs.utilities.TID1500;

export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1401.1';

/** What every object Lucid derives (SR, SEG) lets the caller choose. */
export interface NewSeriesOptions {
  seriesDescription?: string;
  /** Content date/time (default now). */
  now?: Date;
  /** New UIDs are generated (2.25.<uuid>) unless given. */
  sopInstanceUID?: string;
  seriesInstanceUID?: string;
  seriesNumber?: number;
}

export interface MeasurementReportOptions extends NewSeriesOptions {
  /** Person Observer Name (PN, "Family^Given"); default "Lucid". */
  observerName?: string;
  /**
   * 'copy': the source's patient and study modules, for storing back into the same PACS (de-identify before it goes
   * anywhere else). Default 'deidentified-only': patient identity only from sources that all say it was removed.
   */
  identity?: ReportParts['identity'];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** DA and TM values (local time) of a Date. */
export const da = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
export const tm = (d: Date) => `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;

/** One measurement group: its TID 300 content and the image it refers to. */
export interface MeasuredImage { measurement: TID300Measurement; source: SrSource }

/** What a TID 1500 report is made of besides its measurement groups (writeMeasurementReport, writeAnomalyReport). */
export interface ReportParts {
  /** Where the groups' images came from; when there are no groups, the first names the study. */
  sources: SrSource[];
  /**
   * 'copy': the sources' patient and study modules as they are (the object belongs with its study; de-identify it
   * before it leaves). 'deidentified-only': patient identity only from sources that all say it was removed.
   */
  identity: 'copy' | 'deidentified-only';
  /** TID 1002 Observer Context items in place of dcmjs's Person Observer Name (e.g. a device, TID 1004). */
  observerContext?: Json[];
  /** General Equipment (PS3.3 C.7.5.1) besides Manufacturer "Lucid": ManufacturerModelName, SoftwareVersions. */
  equipment?: Record<string, string>;
  defaultSeriesDescription: string;
}

/** The 1-based frame number goes in the reference only for multi-frame images (PS3.3 C.17.3.2.5). */
export function referencedSopOf(h: InstanceHeader, frame: number): Json {
  return { ReferencedSOPClassUID: h.sopClassUID, ReferencedSOPInstanceUID: h.sopInstanceUID, ...(h.frames > 1 ? { ReferencedFrameNumber: frame + 1 } : {}) };
}

/**
 * Part 10 bytes (Explicit VR Little Endian) of one SR holding one measurement group per annotation. Every annotation's
 * image must be in `sources` and all must be in one study. Annotations that cannot be measured (a degenerate angle)
 * are left out; none at all is an error. Patient identity is copied only from sources marked de-identified, unless
 * `options.identity` is 'copy'.
 */
export function writeMeasurementReport(annotations: Annotation[], sources: Map<string, SrSource>, options: MeasurementReportOptions = {}): Uint8Array {
  const measured: MeasuredImage[] = [];
  for (const a of annotations) {
    const source = sources.get(a.image.sopInstanceUID);
    if (!source) throw new Error(`writeMeasurementReport: no header for the image of annotation ${a.id} (${a.image.sopInstanceUID})`);
    const m = toTid300(a, source, referencedSopOf(source.header, a.image.frame));
    if (m) measured.push({ measurement: m, source });
  }
  if (!measured.length) throw new Error('writeMeasurementReport: no measurable annotation to report');
  return writeTid1500(measured, { sources: [], identity: options.identity ?? 'deidentified-only', defaultSeriesDescription: 'Lucid measurements' }, options);
}

/** A TID 1500 Imaging Measurement Report of the given groups as a Comprehensive SR (Part 10, Explicit VR LE). */
export function writeTid1500(measured: MeasuredImage[], parts: ReportParts, options: MeasurementReportOptions = {}): Uint8Array {
  const now = options.now ?? new Date();
  const seriesOf: Record<string, string> = {};
  const used: SrSource[] = [];
  for (const { source } of measured) {
    seriesOf[source.header.sopInstanceUID] = source.header.seriesInstanceUID;
    if (!used.includes(source)) used.push(source);
  }
  const first = used[0] ?? parts.sources[0];
  if (!first) throw new Error('writeTid1500: no image to report on');
  const study = first.header.studyInstanceUID;
  if (used.some((s) => s.header.studyInstanceUID !== study)) {
    throw new Error('writeTid1500: images from more than one study; write one report per study');
  }
  const derivation = [...new Set([first, ...used].map((s) => s.header.seriesInstanceUID))].map((SeriesInstanceUID) => ({ StudyInstanceUID: study, SeriesInstanceUID }));
  const report = new TID1500MeasurementReport({ TID1501MeasurementGroups: [new TID1501MeasurementGroup(measured.map((m) => m.measurement))] });
  const content = report.contentItem(derivation, { PersonName: options.observerName ?? 'Lucid', sopInstanceUIDsToSeriesInstanceUIDMap: seriesOf });
  if (!(content.CurrentRequestedProcedureEvidenceSequence as Json[]).length) delete content.CurrentRequestedProcedureEvidenceSequence; // 1C: none referenced
  if (parts.observerContext) {
    const items = content.ContentSequence as Json[];
    const person = items.findIndex((i) => (i.ConceptNameCodeSequence as Json | undefined)?.CodeValue === '121008');
    items.splice(person, 1, ...parts.observerContext);
  }

  const sopInstanceUID = options.sopInstanceUID ?? DicomMetaDictionary.uid();
  const dataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: sopInstanceUID,
    ...identityOf([first, ...used], parts.identity),
    Modality: 'SR',
    SeriesInstanceUID: options.seriesInstanceUID ?? DicomMetaDictionary.uid(),
    SeriesNumber: String(options.seriesNumber ?? 99),
    SeriesDescription: options.seriesDescription ?? parts.defaultSeriesDescription,
    Manufacturer: 'Lucid',
    ...parts.equipment,
    InstanceNumber: '1',
    ContentDate: da(now),
    ContentTime: tm(now),
    ValueType: 'CONTAINER', // the root content item (PS3.3 C.17.3); dcmjs's tree starts below it
    ...content,
  };
  return part10(dataset, COMPREHENSIVE_SR, sopInstanceUID);
}

/** Patient and study attributes of the report: the first source's, or blanks where identity may not be copied. */
function identityOf(sources: SrSource[], mode: ReportParts['identity']): Json {
  const module = patientStudyOf(sources[0]!);
  if (mode === 'copy') return module;
  // Never copy patient identity unless every source says it was removed (the packet export refuses the rest too).
  if (sources.every((s) => s.header.patientIdentityRemoved)) {
    return { ...module, PatientIdentityRemoved: 'YES', DeidentificationMethod: 'Copied from de-identified source images' };
  }
  const { StudyInstanceUID, StudyDate, StudyDescription } = module;
  return {
    PatientName: '', PatientID: '', PatientBirthDate: '', PatientSex: '',
    StudyInstanceUID, StudyDate, StudyTime: '', StudyID: '', AccessionNumber: '', ReferringPhysicianName: '',
    ...(StudyDescription ? { StudyDescription } : {}),
  };
}

/** A naturalized dataset as Part 10 bytes (Explicit VR Little Endian) with our file meta information. */
export function part10(dataset: Json, sopClassUID: string, sopInstanceUID: string): Uint8Array {
  const meta = DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUID,
    MediaStorageSOPInstanceUID: sopInstanceUID,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'LUCID',
  });
  const dict = new DicomDict(meta);
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
