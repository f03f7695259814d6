// The DICOM tag browser's rows for one instance: every attribute (sequences item by item, nested), with its keyword,
// VR and value as capped text. With `hideIdentity` (teaching-safe mode) the value of every attribute PS3.15's Basic
// Profile would not keep as it is — and of every private attribute — never leaves this function. Pure,
// thread-neutral (runs in the decode worker).
import type { DataSet, Element } from 'dicom-parser';
import { dictionaryVr, keywordOf } from './dictionary';
import { readText } from './readText';
import { inBounds } from './readValues';
import { isPrivateKey, resolveRule, ruleFor } from './deidentify/rules';

export interface TagRow {
  /** "(0010,0010)", or "Item 2" for a sequence item. */
  tag: string;
  keyword: string;
  vr: string;
  value: string;
  depth: number;
  /** The value is hidden (teaching-safe) because it may identify the patient. */
  hidden: boolean;
}

export const HIDDEN_VALUE = 'hidden (teaching-safe)';
const MAX_TEXT = 200, MAX_NUMBERS = 16, MAX_ROWS = 5000, MAX_DEPTH = 6;
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const NUMBER_READERS: Record<string, [bytes: number, read: (ds: DataSet, key: string, i: number) => number | undefined]> = {
  US: [2, (ds, k, i) => ds.uint16(k, i)], SS: [2, (ds, k, i) => ds.int16(k, i)], UL: [4, (ds, k, i) => ds.uint32(k, i)],
  SL: [4, (ds, k, i) => ds.int32(k, i)], FL: [4, (ds, k, i) => ds.float(k, i)], FD: [8, (ds, k, i) => ds.double(k, i)],
};

function tagText(key: string): string {
  const hex = key.slice(1).toUpperCase();
  return `(${hex.slice(0, 4)},${hex.slice(4, 8)})`;
}

function valueText(ds: DataSet, key: string, el: Element, vr: string): string {
  if (el.fragments) return `encapsulated: ${el.fragments.length} fragment${el.fragments.length === 1 ? '' : 's'}`;
  if (!inBounds(ds, el)) return el.length === 0xffffffff ? '(undefined length)' : '(runs past the end of the file)';
  if (TEXT_VRS.has(vr)) {
    const t = readText(ds, key, vr);
    // eslint-disable-next-line no-control-regex -- control characters in a value are shown as spaces
    const clean = t.replace(/[\u0000-\u001f]/g, ' ');
    return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
  }
  const reader = NUMBER_READERS[vr];
  if (reader) {
    const n = Math.floor(el.length / reader[0]);
    const values = Array.from({ length: Math.min(n, MAX_NUMBERS) }, (_, i) => reader[1](ds, key, i));
    return values.map((v) => (v === undefined ? '?' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8))))).join('\\') + (n > MAX_NUMBERS ? `\\… (${n} values)` : '');
  }
  if (vr === 'AT' && el.length >= 4) return tagText(`x${ds.attributeTag(key)?.slice(1) ?? '00000000'}`);
  return `${el.length} bytes`;
}

/** Rows for `ds`; `hideIdentity` hides identifying values (and everything inside a sequence the profile removes). */
export function tagList(ds: DataSet, { hideIdentity }: { hideIdentity: boolean }): TagRow[] {
  const rows: TagRow[] = [];
  const walk = (set: DataSet, depth: number, hideAll: boolean) => {
    const keys = Object.keys(set.elements).sort();
    for (const key of keys) {
      if (rows.length >= MAX_ROWS) return;
      const el = set.elements[key]!;
      const vr = el.items ? 'SQ' : (el.vr ?? dictionaryVr(key) ?? 'UN');
      const rule = ruleFor(key.slice(1));
      const identifying = hideAll || isPrivateKey(key.slice(1)) || (!!rule && resolveRule(rule, vr, {}) !== 'keep' && resolveRule(rule, vr, {}) !== 'recurse');
      const hidden = hideIdentity && identifying;
      if (el.items) {
        rows.push({ tag: tagText(key), keyword: keywordOf(key), vr, value: `${el.items.length} item${el.items.length === 1 ? '' : 's'}`, depth, hidden: false });
        if (depth >= MAX_DEPTH) continue;
        el.items.forEach((item, i) => {
          if (rows.length >= MAX_ROWS || !item.dataSet) return;
          rows.push({ tag: `Item ${i + 1}`, keyword: '', vr: '', value: '', depth: depth + 1, hidden: false });
          walk(item.dataSet, depth + 2, hideAll || (hideIdentity && identifying));
        });
        continue;
      }
      rows.push({ tag: tagText(key), keyword: keywordOf(key), vr, value: hidden ? HIDDEN_VALUE : valueText(set, key, el, vr), depth, hidden });
    }
  };
  walk(ds, 0, false);
  return rows;
}
