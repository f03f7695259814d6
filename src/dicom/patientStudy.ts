// The Patient and General Study modules (PS3.3 C.7.1.1, C.7.2.1) of a source image, as naturalized dcmjs attributes,
// for the objects Lucid derives from it (anomaly SR, SEG): copied as they are, so an object stored back into the same
// PACS files under the same patient and study. Whoever sends one elsewhere runs it through src/dicom/deidentify first.
// Values are read from the parsed dataset when given (all of them, in the source's character set), else from the
// header's fields (fewer). Thread-neutral, pure.
import type { DataSet } from 'dicom-parser';
import type { InstanceHeader } from '../shared/types';
import { readText } from './readText';

/** What a writer needs of one source image: its header and, for the full patient/study modules, its parsed dataset. */
export interface SourceImage {
  header: InstanceHeader;
  dataSet?: DataSet;
}

/** Naturalized keyword → value (strings, PN as "Family^Given"; several values as an array). */
export type PatientStudyModule = Record<string, string | string[]>;

/** [keyword, tag, VR] of every attribute copied; Type 2 ones are written empty when the source has none. */
const COPIED: readonly [string, string, string][] = [
  ['PatientName', 'x00100010', 'PN'], ['PatientID', 'x00100020', 'LO'], ['IssuerOfPatientID', 'x00100021', 'LO'],
  ['PatientBirthDate', 'x00100030', 'DA'], ['PatientSex', 'x00100040', 'CS'], ['PatientAge', 'x00101010', 'AS'],
  ['PatientIdentityRemoved', 'x00120062', 'CS'], ['DeidentificationMethod', 'x00120063', 'LO'],
  ['StudyInstanceUID', 'x0020000d', 'UI'], ['StudyDate', 'x00080020', 'DA'], ['StudyTime', 'x00080030', 'TM'],
  ['AccessionNumber', 'x00080050', 'SH'], ['ReferringPhysicianName', 'x00080090', 'PN'], ['StudyID', 'x00200010', 'SH'],
  ['StudyDescription', 'x00081030', 'LO'],
];
const TYPE_2 = new Set(['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime', 'AccessionNumber', 'ReferringPhysicianName', 'StudyID']);

/** The source's patient and study attributes (Type 2 ones present, possibly empty; others only when the source has them). */
export function patientStudyOf(source: SourceImage): PatientStudyModule {
  const h = source.header, ds = source.dataSet;
  const fromHeader: Record<string, string> = {
    PatientName: h.patientName.replace(/ /g, '^'), PatientID: h.patientID, PatientBirthDate: h.patientBirthDate,
    StudyInstanceUID: h.studyInstanceUID, StudyDate: h.studyDate, StudyDescription: h.studyDescription,
    ...(h.patientIdentityRemoved ? { PatientIdentityRemoved: 'YES' } : {}),
  };
  const out: PatientStudyModule = {};
  for (const [keyword, tag, vr] of COPIED) {
    const value = ds ? readText(ds, tag, vr).trim() : (fromHeader[keyword] ?? '');
    if (value !== '' || TYPE_2.has(keyword)) out[keyword] = value.includes('\\') ? value.split('\\') : value;
  }
  out.StudyInstanceUID = h.studyInstanceUID;
  return out;
}
