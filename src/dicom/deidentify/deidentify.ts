// De-identifies one DICOM file to PS3.15 Annex E: the Basic Application Level Confidentiality Profile (E.1.1) and the
// options the caller chose (E.3), driven by the generated Table E.1-1. Thread-neutral and pure (decode worker, CLI).
// Pixel data is copied bit for bit; burned-in text is flagged for the caller to show, never cleaned or passed silently.
import type { DataSet } from 'dicom-parser';
import { sha256 } from '@noble/hashes/sha2.js';
import { parseInstance } from '../parseInstance';
import { TS_UID } from '../transferSyntax';
import { ByteWriter, withFileMeta, type WriteElement } from '../writeDicom';
import { burnedInOfInstance, type BurnedInReason } from '../burnedIn';
import { readText } from '../readText';
import { makePseudonyms, type Pseudonyms } from './pseudonyms';
import { writeDataSet, type DeidCount, type RewriteContext } from './rewriteDataSet';
import type { DeidOptions } from './rules';
import { DEID_TABLE_SOURCE } from './table';
import { IdentifyingValues } from './values';

export interface DeidReport {
  counts: Record<DeidCount, number>;
  /** What was done that a reader should know (text scrubbed, dates that could not be shifted); never a PHI value. */
  warnings: string[];
  /** Why the pixels may carry burned-in text (empty: no reason seen in the header). */
  burnedIn: BurnedInReason[];
  sopInstanceUID: string;
  seriesInstanceUID: string;
  studyInstanceUID: string;
  transferSyntaxUID: string;
}

export interface DeidResult { bytes: Uint8Array; report: DeidReport }

/** PS3.16 CID 7050 De-identification Method: the profile and each option applied. */
const METHOD_CODES = {
  basic: ['113100', 'Basic Application Confidentiality Profile'],
  cleanDescriptors: ['113105', 'Clean Descriptors Option'],
  shiftDates: ['113107', 'Retain Longitudinal Temporal Information Modified Dates Option'],
  keepPatientCharacteristics: ['113108', 'Retain Patient Characteristics Option'],
  keepDeviceIdentity: ['113109', 'Retain Device Identity Option'],
  safePrivate: ['113111', 'Retain Safe Private Option'],
} as const;

/** Tags whose values identify the patient or the encounter; their values are swept from every kept text value. */
const IDENTIFYING: [string, boolean][] = [
  ['x00100010', true], ['x00101001', true], ['x00101005', true], ['x00101060', true], ['x00080090', true],
  ['x00081050', true], ['x00081070', true], ['x00081060', true], ['x00081048', true], ['x00321032', true],
  ['x00100020', false], ['x00101000', false], ['x00080050', false], ['x00100030', false], ['x00200010', false],
  ['x00080080', false], ['x00080081', false], ['x00101040', false], ['x00102154', false], ['x00101090', false],
  ['x00380010', false], ['x00401001', false], ['x00400009', false],
];

/** A header value as text, bounds-checked (readText), in the VR's character set. */
const text = (ds: DataSet, key: string, vr = 'UI') => readText(ds, key, vr).trim();

/**
 * The identifying values of a dataset's top level (names, IDs, birth date, institution...), added to `found`. None from
 * a file that says it was de-identified already: its name and ID are pseudonyms or labels ("PHANTOM^SYNTHETIC"), and
 * sweeping for them would only blank ordinary words; its name and ID attributes are still replaced by the table.
 */
export function collectIdentifying(ds: DataSet, found = new IdentifyingValues()): IdentifyingValues {
  if (text(ds, 'x00120062', 'CS').toUpperCase() === 'YES') return found;
  for (const [key, isName] of IDENTIFYING) {
    const el = ds.elements[key];
    if (el && el.dataOffset + el.length <= ds.byteArray.length) found.add(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length), isName);
  }
  return found;
}

function methodElements(options: DeidOptions, pseudonyms: Pseudonyms, ds: DataSet): WriteElement[] {
  const applied = (Object.keys(METHOD_CODES) as (keyof typeof METHOD_CODES)[])
    .filter((k) => k === 'basic' || (k === 'safePrivate' ? !!options.safePrivate?.length : options[k]));
  const patient = pseudonyms.patient(text(ds, 'x00100020', 'LO') || text(ds, 'x00100010', 'PN'));
  return [
    { tag: 0x00100010, vr: 'PN', value: patient },
    { tag: 0x00100020, vr: 'LO', value: patient },
    { tag: 0x00120062, vr: 'CS', value: 'YES' },
    // LO values are at most 64 characters: one value per profile/option (PS3.3 C.7.1.1.1.2).
    { tag: 0x00120063, vr: 'LO', value: [`Lucid PS3.15 ${DEID_TABLE_SOURCE.revision} E.1-1`, ...applied.map((k) => METHOD_CODES[k][1])] },
    {
      tag: 0x00120064, vr: 'SQ',
      value: applied.map((k) => [
        { tag: 0x00080100, vr: 'SH', value: METHOD_CODES[k][0] },
        { tag: 0x00080102, vr: 'SH', value: 'DCM' },
        { tag: 0x00080104, vr: 'LO', value: METHOD_CODES[k][1] },
      ]),
    },
    { tag: 0x00280303, vr: 'CS', value: options.shiftDates ? 'MODIFIED' : 'REMOVED' },
  ];
}

/**
 * De-identifies one file. The same `secret` across a set gives the same new UIDs, patient pseudonym and date offset,
 * so series and references line up. Throws named DicomErrors for files that do not parse, DeidentificationError for a
 * bad secret. Deflated input is written as explicit VR little endian; every other transfer syntax is kept.
 */
export function deidentify(input: Uint8Array, secret: Uint8Array, options: DeidOptions = {}): DeidResult {
  const pseudonyms = makePseudonyms(secret);
  const { dataSet, header } = parseInstance(input);
  const source = header.transferSyntaxUID;
  const transferSyntaxUID = source === TS_UID.deflatedLE ? TS_UID.explicitLE : source;
  const ctx: RewriteContext = {
    bytes: dataSet.byteArray,
    littleEndian: source !== TS_UID.explicitBE,
    explicitVR: source !== TS_UID.implicitLE,
    options,
    pseudonyms,
    identifying: collectIdentifying(dataSet),
    counts: { removed: 0, emptied: 0, dummied: 0, uidsReplaced: 0, datesShifted: 0, textCleaned: 0, privateRemoved: 0, kept: 0 },
    warnings: [],
    datasetStart: Math.max(0, ...Object.entries(dataSet.elements).filter(([k]) => k.startsWith('x0002')).map(([, e]) => e.dataOffset + e.length)),
    replacements: new Map(methodElements(options, pseudonyms, dataSet).map((e) => [e.tag >>> 0, e])),
  };
  if (!header.sopInstanceUID && !text(dataSet, 'x00020003')) {
    // Nothing to replace: the copy is named from its content, so the same file gets the same UID within a set.
    const hex = [...sha256(input)].map((b) => b.toString(16).padStart(2, '0')).join('');
    ctx.replacements.set(0x00080018, { tag: 0x00080018, vr: 'UI', value: pseudonyms.uid(`lucid:content:${hex}`) });
    ctx.warnings.push('the file had no SOP Instance UID: one was made from its content');
  }
  const w = new ByteWriter(ctx.littleEndian);
  writeDataSet(w, dataSet, 0, ctx);
  const mapped = (uid: string) => (uid ? pseudonyms.uid(uid) : '');
  const made = ctx.replacements.get(0x00080018)?.value;
  const sopInstanceUID = typeof made === 'string' ? made : mapped(header.sopInstanceUID || text(dataSet, 'x00020003')); // a few files name it in the meta only
  const sopClassUID = header.sopClassUID || text(dataSet, 'x00020002');
  return {
    bytes: withFileMeta(w.result(), sopClassUID, sopInstanceUID, transferSyntaxUID),
    report: {
      counts: ctx.counts,
      warnings: [...new Set(ctx.warnings)],
      burnedIn: burnedInOfInstance(dataSet, header, sopClassUID),
      sopInstanceUID,
      seriesInstanceUID: mapped(header.seriesInstanceUID),
      studyInstanceUID: mapped(header.studyInstanceUID),
      transferSyntaxUID,
    },
  };
}
