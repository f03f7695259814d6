// Bounds- and count-checked reads of numeric header values from a dicom-parser DataSet (US, DS, IS).
// dicom-parser accepts an element whose length runs past the end of the bytes (an implicit-VR file cut inside it),
// and then its readers throw bare strings; a multi-valued DS with fewer values than asked throws a TypeError. Every
// read here checks the value's bytes and count first. Text goes through readText.ts. Thread-neutral, pure.
import type { DataSet, Element } from 'dicom-parser';
import { TruncatedError } from '../shared/errors';
import { readText } from './readText';

/** Values at most read from one multi-valued DS/IS (Window Center may have a few; nothing needs more). */
const MAX_VALUES = 16;

/** PS3.5 §7.1: 0xFFFFFFFF is an undefined length, which a numeric value never has. */
const UNDEFINED_LENGTH = 0xffffffff;

/** True when the element's value lies wholly inside the bytes we have. */
export function inBounds(ds: DataSet, el: Element): boolean {
  return el.length !== UNDEFINED_LENGTH && el.dataOffset >= 0 && el.length >= 0 && el.dataOffset + el.length <= ds.byteArray.length;
}

function tagText(tag: string): string {
  return `(${tag.slice(1, 5)},${tag.slice(5, 9)})`.toUpperCase();
}

/**
 * One US value (PS3.5 §6.2), or `fallback` when the element is absent or shorter than 2 bytes.
 * `required` fields (the Image Pixel module) whose value runs past the end of the file throw TruncatedError
 * rather than default: a guessed Rows or Bits Allocated would decode garbage.
 */
export function readUint16(ds: DataSet, tag: string, fallback: number, required = false): number {
  const el = ds.elements[tag];
  if (!el) return fallback;
  if (!inBounds(ds, el)) {
    if (required) throw new TruncatedError(`${tagText(tag)} runs past the end of the file`);
    return fallback;
  }
  if (el.length < 2) return fallback;
  // Group 0002 is always little endian; dicom-parser marks such elements with their own parser.
  const parser = (el as Element & { parser?: DataSet['byteArrayParser'] }).parser ?? ds.byteArrayParser;
  return parser.readUint16(ds.byteArray, el.dataOffset);
}

/** A DS or IS value as a number: NaN when empty or not a number ("1.5abc" is not 1.5). */
function parseNumber(s: string): number {
  const t = s.trim();
  return t === '' ? NaN : Number(t);
}

/** Every value of a DS/IS element (at most MAX_VALUES), NaN for those that are not numbers; [] when absent or out of bounds. */
export function readNumbers(ds: DataSet, tag: string): number[] {
  const el = ds.elements[tag];
  if (!el || !inBounds(ds, el)) return [];
  const s = readText(ds, tag, 'DS', '');
  if (s === '') return [];
  return s.split('\\', MAX_VALUES).map(parseNumber);
}

/** The first value of a DS/IS element when it is a finite number, else null. */
export function readNumber(ds: DataSet, tag: string): number | null {
  const v = readNumbers(ds, tag)[0];
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** The first `count` values when there are at least `count` and all are finite (IPP needs 3, IOP 6), else null. */
export function readNumberTuple(ds: DataSet, tag: string, count: number): number[] | null {
  const values = readNumbers(ds, tag).slice(0, count);
  return values.length === count && values.every(Number.isFinite) ? values : null;
}

/** The finite values of a multi-valued DS (Window Center/Width), ignoring those that are not numbers. */
export function readFiniteNumbers(ds: DataSet, tag: string): number[] {
  return readNumbers(ds, tag).filter(Number.isFinite);
}

/** An IS value truncated to an integer, or null when absent or not a number. `required`: out of bounds throws. */
export function readInteger(ds: DataSet, tag: string, required = false): number | null {
  const el = ds.elements[tag];
  if (el && !inBounds(ds, el) && required) throw new TruncatedError(`${tagText(tag)} runs past the end of the file`);
  const v = readNumber(ds, tag);
  return v === null ? null : Math.trunc(v);
}
