// One text element of a dicom-parser DataSet as a JS string, decoded with the dataset's Specific Character Set
// (0008,0005) for the VRs it governs (PS3.5 §6.1.2.3: SH, LO, UC, ST, LT, UT, PN) and as the default repertoire
// for the rest. Never throws; out-of-range elements read as ''. Thread-neutral (decode worker, UI, Node).
import type { DataSet } from 'dicom-parser';
import { decodeText } from './charset';
import { TAG } from './tags';

/** VRs whose values are in the Specific Character Set; every other string VR is ASCII by definition. */
const TEXT_VRS = new Set(['SH', 'LO', 'UC', 'ST', 'LT', 'UT', 'PN']);

function valueBytes(ds: DataSet, tag: string): Uint8Array | null {
  const el = ds.elements[tag];
  if (!el || !(el.length > 0) || el.length === 0xffffffff) return null;
  const start = el.dataOffset, end = start + el.length;
  if (!(start >= 0) || end > ds.byteArray.length) return null;
  return ds.byteArray.subarray(start, end);
}

/** Trailing space/NUL padding off (a loop: a regex anchored at $ is quadratic on a megabyte of spaces). */
export function stripPadding(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\0')) end--;
  return s.slice(0, end);
}

/** The raw (0008,0005) value, e.g. "\ISO 2022 IR 87"; '' (the default repertoire) when absent. */
export function specificCharacterSetOf(ds: DataSet): string {
  const bytes = valueBytes(ds, TAG.SpecificCharacterSet);
  return bytes ? stripPadding(decodeText(bytes, '')) : '';
}

/**
 * The value of `tag` (all of its values, '\'-separated) with trailing space/NUL padding removed. `charset` defaults to
 * the dataset's own; pass the enclosing dataset's for a sequence item that does not declare one (PS3.5 §7.5.3).
 */
export function readText(ds: DataSet, tag: string, vr: string, charset = specificCharacterSetOf(ds)): string {
  const bytes = valueBytes(ds, tag);
  if (!bytes) return '';
  return stripPadding(decodeText(bytes, TEXT_VRS.has(vr) ? charset : '', vr));
}
