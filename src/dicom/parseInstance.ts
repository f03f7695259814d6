// Bytes of one file → parsed dataset + typed header (the only place dicom-parser parses).
// Thread-neutral (runs in the decode worker and in Node). Every failure is a named DicomError;
// lengths are checked against the bytes we have before anything is allocated.
import dicomParser, { type DataSet } from 'dicom-parser';
import { Inflate } from 'fflate';
import {
  DicomError, LimitExceededError, MalformedDicomError, NotDicomError, TruncatedError,
} from '../shared/errors';
import { LIMITS } from '../shared/limits';
import type { InstanceHeader } from '../shared/types';
import { TS_UID } from './transferSyntax';
import { readPalette } from './readPalette';
import { readHeaderFields } from './readHeaderFields';

export interface ParsedInstance {
  header: InstanceHeader;
  dataSet: DataSet;
  /** Whether the file had a Part 10 preamble + file meta (false for a bare dataset). */
  part10: boolean;
}

export const VRS: ReadonlySet<string> = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV']);

/**
 * Guess the transfer syntax of a dataset without file meta from its first element.
 * Returns null when the bytes do not look like a DICOM dataset at all.
 */
export function guessBareSyntax(bytes: Uint8Array, offset = 0): string | null {
  if (bytes.length - offset < 8) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!);
  const groupLE = dv.getUint16(0, true);
  const groupBE = dv.getUint16(0, false);
  const plausible = (g: number) => g >= 0x0002 && g <= 0x0010 && g % 2 === 0;
  if (plausible(groupLE)) return VRS.has(vr) ? TS_UID.explicitLE : TS_UID.implicitLE;
  if (plausible(groupBE) && VRS.has(vr)) return TS_UID.explicitBE;
  return null;
}

/** Where the group 0002 elements end (explicit VR LE), for files whose meta lacks a transfer syntax. */
function metaEnd(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 132;
  while (p + 8 <= bytes.length && dv.getUint16(p, true) === 0x0002) {
    const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
    const long = ['OB', 'OW', 'SQ', 'UN', 'UT', 'UC', 'UR', 'OD', 'OF', 'OL', 'OV'].includes(vr);
    const len = long ? dv.getUint32(p + 8, true) : dv.getUint16(p + 6, true);
    p += (long ? 12 : 8) + len;
  }
  return p;
}

/** Raw-inflate the dataset after `position`, refusing output beyond LIMITS.maxInflatedBytes. */
function cappedInflater(bytes: Uint8Array, position: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
    if (total > LIMITS.maxInflatedBytes) throw new LimitExceededError(`Deflated dataset inflates past ${LIMITS.maxInflatedBytes} bytes`);
    chunks.push(chunk);
  });
  try {
    const src = bytes.subarray(position);
    const step = 1 << 16;
    for (let o = 0; o < src.length; o += step) inflate.push(src.subarray(o, o + step), o + step >= src.length);
  } catch (e) {
    if (e instanceof DicomError) throw e;
    throw new MalformedDicomError(`Deflated dataset does not inflate: ${(e as Error).message}`);
  }
  const out = new Uint8Array(position + total);
  out.set(bytes.subarray(0, position));
  let o = position;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

/** Map dicom-parser's thrown strings/objects to our named errors. */
function translateParserError(e: unknown): DicomError {
  if (e instanceof DicomError) return e;
  const inner = e && typeof e === 'object' && 'exception' in e ? (e as { exception: unknown }).exception : e;
  if (inner instanceof DicomError) return inner;
  if (inner instanceof RangeError && /call stack/i.test(inner.message)) {
    return new LimitExceededError('Sequences nest too deeply to parse');
  }
  const msg = inner instanceof Error ? inner.message : String(inner);
  if (/past end|overrun|end of buffer|beyond|exceeds|cannot seek|out of bounds|not enough/i.test(msg)) {
    return new TruncatedError(`File ends before its data does (${msg.replace(/^dicomParser\./, '')})`);
  }
  if (/DICM prefix/i.test(msg)) return new NotDicomError('Not a DICOM file: no "DICM" marker and not a bare dataset');
  return new MalformedDicomError(`Broken DICOM structure: ${msg.replace(/^dicomParser\./, '')}`);
}

function checkDepth(dataSet: DataSet, depth: number, count: { n: number }): void {
  for (const key in dataSet.elements) {
    if (++count.n > LIMITS.maxElements) throw new LimitExceededError(`More than ${LIMITS.maxElements} elements`);
    const items = dataSet.elements[key]!.items;
    if (!items) continue;
    if (depth >= LIMITS.maxSequenceDepth) throw new LimitExceededError(`Sequences nest deeper than ${LIMITS.maxSequenceDepth}`);
    for (const item of items) if (item.dataSet) checkDepth(item.dataSet, depth + 1, count);
  }
}

function runParser(bytes: Uint8Array, bareSyntax: string | undefined): DataSet {
  try {
    const options = { inflater: cappedInflater, ...(bareSyntax ? { TransferSyntaxUID: bareSyntax } : {}) };
    return dicomParser.parseDicom(bytes, options as dicomParser.ParseDicomOptions);
  } catch (e) {
    throw translateParserError(e);
  }
}

export function parseInstance(input: Uint8Array): ParsedInstance {
  if (input.length > LIMITS.maxFileBytes) throw new LimitExceededError(`File larger than ${LIMITS.maxFileBytes} bytes`);
  const part10 = input.length >= 132 && input[128] === 0x44 && input[129] === 0x49 && input[130] === 0x43 && input[131] === 0x4d;
  let bytes = input;
  let bare: string | undefined;
  if (!part10) {
    bare = guessBareSyntax(input) ?? undefined;
    if (!bare) {
      throw new NotDicomError(input.length < 132 ? 'Not a DICOM file: too short and not a bare dataset' : 'Not a DICOM file: no "DICM" marker at byte 128 and not a bare dataset');
    }
  }
  let dataSet: DataSet;
  try {
    dataSet = runParser(bytes, bare);
  } catch (e) {
    // File meta without (0002,0010): guess the syntax from the dataset that follows it.
    if (part10 && e instanceof MalformedDicomError && /0002,0010/.test(e.message)) {
      const end = metaEnd(input);
      bare = guessBareSyntax(input, end) ?? undefined;
      if (!bare) throw new NotDicomError('File meta has no transfer syntax and the dataset is unrecognisable');
      bytes = input.subarray(end);
      dataSet = runParser(bytes, bare);
    } else {
      throw e;
    }
  }
  try {
    checkDepth(dataSet, 0, { n: 0 });
  } catch (e) {
    throw translateParserError(e);
  }
  if (Object.keys(dataSet.elements).filter((k) => !k.startsWith('x0002')).length === 0) {
    throw new NotDicomError('Not a DICOM file: no dataset elements');
  }
  let header: InstanceHeader;
  try {
    header = readHeaderFields(dataSet, bare ?? TS_UID.explicitLE);
  } catch (e) {
    // dicom-parser's value readers throw bare strings for an element that runs past the end (an implicit-VR file cut
    // inside a header value): named here, so no caller ever sees an unnamed error.
    throw translateParserError(e);
  }
  if (header.photometricInterpretation.startsWith('PALETTE')) {
    header.palette = readPalette(dataSet, header.pixelRepresentation === 1);
  }
  return { header, dataSet, part10 };
}

