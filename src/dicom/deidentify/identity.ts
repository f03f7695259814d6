// Which attributes of a loaded instance carry identity (the ones PS3.15 Table E.1-1 would remove, empty, replace or
// dummy by default), and whether the file says it was de-identified (0012,0062/0063). For the viewer's Identity
// panel. Pure, thread-neutral (runs in the decode worker); values are capped text, decoded as the header reader does.
import type { DataSet } from 'dicom-parser';
import { dictionaryVr, keywordOf } from '../dictionary';
import { readText } from '../readText';
import { isPrivateKey, resolveRule, ruleFor, type DeidAction } from './rules';

export interface IdentityAttribute { tag: string; keyword: string; action: DeidAction; value: string }

export interface InstanceIdentity {
  /** Patient Identity Removed (0012,0062) = YES. */
  identityRemoved: boolean;
  /** De-identification Method (0012,0063), as written by whoever de-identified it. */
  method: string;
  /** Top-level attributes with a value that the Basic Profile would not keep as it is. */
  attributes: IdentityAttribute[];
  privateCount: number;
  /** Sequences holding identifying attributes inside (their items are not listed one by one). */
  sequencesWithIdentity: string[];
}

const MAX_TEXT = 128;

/** The value as text in the file's character set (capped; control characters shown as spaces). */
function text(ds: DataSet, key: string, vr = 'LO'): string {
  // eslint-disable-next-line no-control-regex -- control characters in a header value are replaced on purpose
  return readText(ds, key, vr).slice(0, MAX_TEXT).replace(/[\u0000-\u001f]/g, ' ').trim();
}

function hasIdentity(ds: DataSet, depth: number): boolean {
  if (depth > 8) return true;
  return Object.entries(ds.elements).some(([key, el]) => {
    if (isPrivateKey(key.slice(1))) return true;
    const rule = ruleFor(key.slice(1));
    if (el.items) return (rule && resolveRule(rule, 'SQ', {}) !== 'recurse') || el.items.some((i) => i.dataSet && hasIdentity(i.dataSet, depth + 1));
    return !!rule && el.length > 0 && resolveRule(rule, el.vr ?? dictionaryVr(key) ?? 'UN', {}) !== 'keep';
  });
}

export function instanceIdentity(ds: DataSet): InstanceIdentity {
  const attributes: IdentityAttribute[] = [];
  const sequencesWithIdentity: string[] = [];
  let privateCount = 0;
  for (const [key, el] of Object.entries(ds.elements)) {
    if (key.startsWith('x0002')) continue;
    if (isPrivateKey(key.slice(1))) { privateCount++; continue; }
    const rule = ruleFor(key.slice(1));
    if (el.items) {
      if ((rule && resolveRule(rule, 'SQ', {}) !== 'recurse' && el.items.length > 0) || el.items.some((i) => i.dataSet && hasIdentity(i.dataSet, 1))) sequencesWithIdentity.push(keywordOf(key));
      continue;
    }
    if (!rule || el.length === 0) continue;
    const action = resolveRule(rule, el.vr ?? dictionaryVr(key) ?? 'UN', {});
    if (action === 'keep') continue;
    const hex = key.slice(1).toUpperCase();
    attributes.push({ tag: `(${hex.slice(0, 4)},${hex.slice(4)})`, keyword: keywordOf(key), action, value: text(ds, key, el.vr ?? dictionaryVr(key) ?? 'UN') });
  }
  attributes.sort((a, b) => a.tag.localeCompare(b.tag));
  return { identityRemoved: text(ds, 'x00120062').toUpperCase() === 'YES', method: text(ds, 'x00120063'), attributes, privateCount, sequencesWithIdentity };
}
