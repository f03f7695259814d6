// Writes a parsed dataset back out with each attribute's de-identification action applied, at every sequence depth.
// Values that are kept are copied byte for byte from the source (pixel data and encapsulated fragments included);
// only replaced values are encoded anew. Pure, thread-neutral; dicom-parser's DataSet in, bytes out (same byte order).
import type { DataSet, Element } from 'dicom-parser';
import { DeidentificationError } from '../../shared/errors';
import { dictionaryVr } from '../dictionary';
import { VRS } from '../parseInstance';
import { ByteWriter, writeElement, writeHeader, type WriteElement } from '../writeDicom';
import { isPrivateKey, resolveRule, ruleFor, type DeidAction, type DeidOptions } from './rules';
import type { Pseudonyms } from './pseudonyms';
import { IdentifyingValues, dummyValue, padValue, shiftDateValue } from './values';
import { stripPadding } from '../readText';

export type DeidCount = 'removed' | 'emptied' | 'dummied' | 'uidsReplaced' | 'datesShifted' | 'textCleaned' | 'privateRemoved' | 'kept';

export interface RewriteContext {
  bytes: Uint8Array;
  littleEndian: boolean;
  explicitVR: boolean;
  options: DeidOptions;
  pseudonyms: Pseudonyms;
  identifying: IdentifyingValues;
  counts: Record<DeidCount, number>;
  warnings: string[];
  /**
   * Where the dataset proper starts in `bytes`. dicom-parser re-reads a deflated file's preamble and meta from byte 0
   * after inflating, so depth 0 can hold phantom elements made of preamble bytes; anything before this is skipped.
   */
  datasetStart: number;
  /** Elements written at depth 0 in place of (or beside) the source's, by numeric tag. */
  replacements: Map<number, WriteElement>;
}

const TEXT_VRS = new Set(['AE', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT', 'UR']);
const STANDARD_UID_ROOT = '1.2.840.10008.';

const tagNumber = (key: string) => parseInt(key.slice(1), 16) >>> 0;
const tagText = (key: string) => `(${key.slice(1, 5).toUpperCase()},${key.slice(5, 9).toUpperCase()})`;

/** Keeps a private element only when the Retain Safe Private option lists it (by its block's private creator). */
function isSafePrivate(ds: DataSet, key: string, ctx: RewriteContext): boolean {
  const safe = ctx.options.safePrivate;
  if (!safe?.length) return false;
  const group = parseInt(key.slice(1, 5), 16), element = parseInt(key.slice(5, 9), 16);
  if (element < 0x10) return false;
  if (element <= 0xff) return safe.some((s) => s.group === group && s.creator === readText(ds, key, ctx));
  const creatorKey = `x${key.slice(1, 5)}00${key.slice(5, 7)}`;
  const creator = ds.elements[creatorKey] ? readText(ds, creatorKey, ctx) : '';
  return safe.some((s) => s.group === group && s.element === (element & 0xff) && s.creator === creator);
}

function readText(ds: DataSet, key: string, ctx: RewriteContext): string {
  const el = ds.elements[key]!;
  return stripPadding(new TextDecoder('latin1').decode(valueBytes(el, ctx))).trim();
}

function valueBytes(el: Element, ctx: RewriteContext): Uint8Array {
  const end = el.dataOffset + el.length;
  if (el.dataOffset < 0 || end > ctx.bytes.length) throw new DeidentificationError(`Element ${tagText(`x${el.tag.slice(1)}`)} runs past the end of the file`);
  return ctx.bytes.subarray(el.dataOffset, end);
}

function actionFor(ds: DataSet, key: string, vr: string, depth: number, ctx: RewriteContext): DeidAction | 'private' {
  const group = parseInt(key.slice(1, 5), 16);
  if (group === 0x0002 || group === 0x0000 || key.endsWith('0000') || group === 0xfffe) return 'remove';
  if (depth === 0 && ctx.replacements.has(tagNumber(key))) return 'remove';
  if (depth === 0 && ds.elements[key]!.dataOffset < ctx.datasetStart) return 'remove';
  if (isPrivateKey(key.slice(1))) return isSafePrivate(ds, key, ctx) ? (vr === 'SQ' ? 'recurse' : 'keep') : 'private';
  // Overlays (60xx, PS3.3 C.9.2): the table removes their data and comments; without them the rest is meaningless,
  // and an overlay is where burned-in style text is kept, so the whole group goes.
  if (group >= 0x6000 && group <= 0x60ff) return 'remove';
  const rule = ruleFor(key.slice(1));
  if (rule) return resolveRule(rule, vr, ctx.options);
  // A public attribute the data dictionary does not know cannot be judged (a damaged tag, or one newer than the
  // dictionary): it goes, as the profile allows removing more than it lists.
  if (!dictionaryVr(key)) { ctx.warnings.push(`unknown attribute ${tagText(key)} removed`); return 'remove'; }
  return vr === 'SQ' ? 'recurse' : 'keep';
}

function writeValue(w: ByteWriter, key: string, vr: string, bytes: Uint8Array, ctx: RewriteContext): void {
  const padded = padValue(bytes, vr);
  writeHeader(w, tagNumber(key), vr, padded.length, ctx.explicitVR);
  w.bytes(padded);
}

function replaceUids(value: Uint8Array, ctx: RewriteContext): Uint8Array {
  const text = new TextDecoder('latin1').decode(value);
  const out = stripPadding(text).split('\\').map((u) => {
    const uid = u.trim();
    return uid === '' || uid.startsWith(STANDARD_UID_ROOT) ? uid : ctx.pseudonyms.uid(uid);
  });
  return new TextEncoder().encode(out.join('\\'));
}

function copyRaw(w: ByteWriter, key: string, vr: string, el: Element, ctx: RewriteContext): void {
  const raw = valueBytes(el, ctx);
  if (TEXT_VRS.has(vr)) {
    const { bytes, replaced } = ctx.identifying.scrub(raw);
    if (replaced > 0) {
      ctx.counts.textCleaned++;
      ctx.warnings.push(`identifying text replaced in ${tagText(key)}`);
      writeValue(w, key, vr, bytes, ctx);
      return;
    }
  }
  writeHeader(w, tagNumber(key), vr, el.hadUndefinedLength ? 0xffffffff : raw.length, ctx.explicitVR);
  w.bytes(raw);
  if (el.hadUndefinedLength && !endsWithDelimiter(raw, ctx.littleEndian)) {
    w.u16(0xfffe); w.u16(0xe0dd); w.u32(0);
  }
}

function endsWithDelimiter(raw: Uint8Array, littleEndian: boolean): boolean {
  if (raw.length < 8) return false;
  const dv = new DataView(raw.buffer, raw.byteOffset + raw.length - 8, 8);
  return dv.getUint16(0, littleEndian) === 0xfffe && dv.getUint16(2, littleEndian) === 0xe0dd;
}

function writeSequence(w: ByteWriter, key: string, el: Element, depth: number, ctx: RewriteContext): void {
  writeHeader(w, tagNumber(key), 'SQ', 0xffffffff, ctx.explicitVR);
  for (const item of el.items ?? []) {
    w.u16(0xfffe); w.u16(0xe000); w.u32(0xffffffff);
    if (item.dataSet) writeDataSet(w, item.dataSet, depth + 1, ctx);
    w.u16(0xfffe); w.u16(0xe00d); w.u32(0);
  }
  w.u16(0xfffe); w.u16(0xe0dd); w.u32(0);
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

/**
 * The VR to act on and write: the file's own when it is a real VR; for UN, an unknown VR (a damaged file) or an
 * implicit-VR file, the dictionary's when the value fits it (PS3.5 6.2.2: UN values are little-endian bytes as the
 * real VR would hold them), else UN. So a Patient Name sent as UN is still found, and a garbled VR is never copied.
 */
function vrOf(el: Element, key: string, ctx: RewriteContext): string {
  if (el.items) return 'SQ';
  const own = el.vr && VRS.has(el.vr) ? el.vr : undefined;
  if (own && own !== 'UN') return own;
  const dict = dictionaryVr(key);
  if (dict && dict !== 'SQ' && ctx.littleEndian && !el.hadUndefinedLength && (LONG_VRS.has(dict) || el.length <= 0xffff)) return dict;
  return 'UN';
}

function writeOne(w: ByteWriter, ds: DataSet, key: string, depth: number, ctx: RewriteContext): void {
  const el = ds.elements[key]!;
  const vr = vrOf(el, key, ctx);
  const action = actionFor(ds, key, vr, depth, ctx);
  const c = ctx.counts;
  switch (action) {
    case 'private': c.privateRemoved++; return;
    case 'remove': if (parseInt(key.slice(1, 5), 16) !== 0x0002) c.removed++; return;
    case 'empty': c.emptied++; writeHeader(w, tagNumber(key), vr, 0, ctx.explicitVR); return;
    case 'dummy': c.dummied++; writeValue(w, key, vr, dummyValue(vr), ctx); return;
    case 'uid': c.uidsReplaced++; writeValue(w, key, vr, replaceUids(valueBytes(el, ctx), ctx), ctx); return;
    case 'shift': {
      const shifted = shiftDateValue(new TextDecoder('latin1').decode(valueBytes(el, ctx)), vr as 'DA' | 'DT', ctx.pseudonyms.dateOffsetDays);
      if (shifted === null) { c.dummied++; ctx.warnings.push(`${tagText(key)} is not a full date: replaced with a dummy`); writeValue(w, key, vr, dummyValue(vr), ctx); return; }
      c.datesShifted++; writeValue(w, key, vr, new TextEncoder().encode(shifted), ctx); return;
    }
    case 'recurse':
    case 'keep':
    case 'clean':
      if (vr === 'SQ' || el.items) {
        if (!el.items && el.length > 0) { c.removed++; ctx.warnings.push(`${tagText(key)} is a sequence that could not be read: removed`); return; }
        writeSequence(w, key, el, depth, ctx);
        return;
      }
      c.kept++;
      copyRaw(w, key, vr, el, ctx);
  }
}

/** Writes every element of `ds` (sorted by tag), plus the depth-0 replacements, through the de-identification rules. */
export function writeDataSet(w: ByteWriter, ds: DataSet, depth: number, ctx: RewriteContext): void {
  const keys = Object.keys(ds.elements).sort((a, b) => tagNumber(a) - tagNumber(b));
  const added = depth === 0 ? [...ctx.replacements.values()].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0)) : [];
  let a = 0;
  for (const key of keys) {
    while (a < added.length && (added[a]!.tag >>> 0) < tagNumber(key)) writeElement(w, added[a++]!, ctx.explicitVR);
    writeOne(w, ds, key, depth, ctx);
  }
  while (a < added.length) writeElement(w, added[a++]!, ctx.explicitVR);
}
