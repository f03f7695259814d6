// Bytes of one file → parsed dataset + typed header (the only place dicom-parser parses).
// Thread-neutral (runs in the decode worker and in Node). Every failure is a named DicomError;
// lengths are checked against the bytes we have before anything is allocated.
import dicomParser, { type DataSet } from 'dicom-parser';
import {
  DicomError, LimitExceededError, MalformedDicomError, NotDicomError, TruncatedError,
} from '../shared/errors';
import { LIMITS } from '../shared/limits';
import type { InstanceHeader } from '../shared/types';
import { TRANSFER_SYNTAX, TS_UID } from './transferSyntax';
import { readPalette } from './readPalette';
import { readHeaderFields } from './readHeaderFields';
import { LONG_VRS, VRS, inflateDataset } from './inflateDataset';
import { readText } from './readText';
import { TAG } from './tags';

export interface ParsedInstance {
  header: InstanceHeader;
  dataSet: DataSet;
  /** Whether the file had a Part 10 preamble + file meta (false for a bare dataset). */
  part10: boolean;
}

export { VRS };

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
    const long = LONG_VRS.has(vr);
    if (long && p + 12 > bytes.length) return p + 12; // cut inside a 32-bit length: runs past the end
    const len = long ? dv.getUint32(p + 8, true) : dv.getUint16(p + 6, true);
    p += (long ? 12 : 8) + len;
  }
  return p;
}

/**
 * A Part 10 file cut inside its file meta information is truncated, not "not DICOM": the meta's own group length
 * (0002,0000), or walking its elements, runs past the end of the file.
 */
function checkMetaComplete(bytes: Uint8Array): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const groupLength = bytes.length >= 144 && dv.getUint32(132, true) === 0x00000002 && bytes[136] === 0x55 && bytes[137] === 0x4c ? dv.getUint32(140, true) : null;
  const end = groupLength !== null ? 144 + groupLength : metaEnd(bytes);
  if (bytes.length <= 136 || end > bytes.length || metaEnd(bytes) > bytes.length) {
    throw new TruncatedError('File ends inside its file meta information');
  }
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
  if (/past end|overrun|end of buffer|beyond|exceeds|cannot seek|out of bounds|not enough|greater than or equal to 'byteArray' length/i.test(msg)) {
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

/**
 * Deflated Explicit VR Little Endian is parsed here, not through dicom-parser's `inflater` hook: dicom-parser 1.8
 * restarts parsing at byte 0 of the buffer the hook returns, so the 128-byte preamble, "DICM" and the meta are read as
 * data elements — phantom elements (x49444d43 'DICM') at best, and a valid file whose preamble holds text is refused
 * ("buffer overrun") while DCMTK and pydicom read it. Giving the hook a doctored prefix would still depend on how
 * dicom-parser reads bytes that are not a dataset. Instead the inflated dataset is parsed from its first byte, as the
 * other syntaxes are, and the meta merged in as parseDicom does. The buffer keeps the meta bytes at their offsets (its
 * elements point there, and deidentify/ skips what lies before the meta end); the preamble is zeroed: nothing reads it.
 */
function parseDeflated(bytes: Uint8Array, meta: DataSet & { position?: number }): DataSet {
  const position = meta.position ?? 0;
  const inflated = inflateDataset(bytes, position);
  inflated.fill(0, 0, Math.min(128, position));
  const parser = dicomParser.littleEndianByteArrayParser;
  const stream = new dicomParser.ByteStream(parser, inflated, position);
  const DataSetOf = (dicomParser as unknown as { DataSet: new (p: typeof parser, b: Uint8Array, e: object) => DataSet }).DataSet;
  const dataSet = new DataSetOf(parser, inflated, {});
  (dataSet as DataSet & { warnings: string[] }).warnings = stream.warnings;
  try {
    dicomParser.parseDicomDataSetExplicit(dataSet, stream, inflated.length);
  } catch (e) {
    throw translateParserError(e);
  }
  Object.assign(dataSet.elements, meta.elements);
  return dataSet;
}

/**
 * A file whose meta names an explicit VR little endian syntax but whose dataset is implicit VR (seen in the wild, e.g.
 * pydicom's SC_rgb_jpeg.dcm; pydicom reads such files with a warning, DCMTK refuses them): the first dataset element
 * has no valid VR where explicit VR puts one, and reads plausibly as implicit VR.
 */
function implicitDespiteMeta(bytes: Uint8Array, meta: DataSet & { position?: number }, syntax: string): boolean {
  const ts = TRANSFER_SYNTAX[syntax];
  if (!ts || !ts.explicitVR || !ts.littleEndian || ts.deflated || meta.position === undefined) return false;
  const at = meta.position;
  if (at + 8 > bytes.length || VRS.has(String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!))) return false;
  return guessBareSyntax(bytes, at) === TS_UID.implicitLE;
}

/**
 * The dataset after the meta parsed as implicit VR little endian, the meta kept (its syntax still says how the pixels
 * are coded). Pixel Data is read as OB so an encapsulated value is not taken for a sequence, and its fragments are
 * found as for explicit VR.
 */
function parseImplicitBody(bytes: Uint8Array, meta: DataSet & { position?: number }): DataSet {
  const parser = dicomParser.littleEndianByteArrayParser;
  const DataSetOf = (dicomParser as unknown as { DataSet: new (p: typeof parser, b: Uint8Array, e: object) => DataSet }).DataSet;
  const dataSet = new DataSetOf(parser, bytes, {});
  const stream = new dicomParser.ByteStream(parser, bytes, meta.position ?? 0);
  (dataSet as DataSet & { warnings: string[] }).warnings = [...stream.warnings, 'dataset is implicit VR although the file meta names an explicit VR syntax'];
  const vrCallback = (tag: string) => (tag === 'x7fe00010' ? 'OB' : undefined);
  (dicomParser.parseDicomDataSetImplicit as (d: DataSet, s: dicomParser.ByteStream, end: number, o: object) => void)(dataSet, stream, bytes.length, { vrCallback });
  const px = dataSet.elements.x7fe00010;
  if (px?.hadUndefinedLength) {
    const at = new dicomParser.ByteStream(parser, bytes, px.dataOffset);
    (dicomParser.findEndOfEncapsulatedElement as (s: dicomParser.ByteStream, e: dicomParser.Element, w: string[]) => void)(at, px, []);
  }
  Object.assign(dataSet.elements, meta.elements);
  return dataSet;
}

/** The meta's Transfer Syntax UID without padding; '' when the meta has none (parseDicom then names that). */
function metaSyntax(meta: DataSet): string {
  return readText(meta, TAG.TransferSyntaxUID, 'UI');
}

function runParser(bytes: Uint8Array, bareSyntax: string | undefined): DataSet {
  try {
    if (!bareSyntax) {
      const meta = dicomParser.readPart10Header(bytes);
      const syntax = metaSyntax(meta);
      if (syntax === TS_UID.deflatedLE) return parseDeflated(bytes, meta);
      if (implicitDespiteMeta(bytes, meta, syntax)) return parseImplicitBody(bytes, meta);
    }
    // Only parseDeflated inflates: a padded UID that dicom-parser still takes for deflate must not reach its unbounded zlib path.
    const inflater = () => { throw new MalformedDicomError('Deflated transfer syntax not recognised in the file meta'); };
    const options = { inflater, ...(bareSyntax ? { TransferSyntaxUID: bareSyntax } : {}) };
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
  if (part10) checkMetaComplete(input);
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
  try {
    const header = readHeaderFields(dataSet, bare ?? TS_UID.explicitLE);
    if (header.photometricInterpretation.startsWith('PALETTE')) {
      header.palette = readPalette(dataSet, header.pixelRepresentation === 1);
    }
    return { header, dataSet, part10 };
  } catch (e) {
    // Last line of defence: readHeaderFields reads bounds-checked (readValues.ts), but a dicom-parser value reader
    // that still throws a bare string (readPalette's LUT reads) is named here, so no caller sees an unnamed error.
    throw translateParserError(e);
  }
}

