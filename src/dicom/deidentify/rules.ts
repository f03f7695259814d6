// Which action the de-identifier takes on one attribute: the PS3.15 Table E.1-1 row (generated table.ts) read
// through the options the user chose (PS3.15 E.3). Pure, thread-neutral; knows nothing about bytes.
// Our reading of the combined actions is written beside resolveRule, since the standard leaves it to the IOD.
import { DEID_PATTERN_RULES, DEID_PRIVATE_RULE, DEID_RULES, type DeidOptionColumn, type DeidRule } from './table';

export interface DeidOptions {
  /** Retain Longitudinal Temporal Information with Modified Dates: shift every date by one per-set offset (E.3.6). */
  shiftDates?: boolean;
  /** Clean Descriptors (E.3.5): keep descriptions, protocol and comments, with identifying text scrubbed. */
  cleanDescriptors?: boolean;
  /** Retain Patient Characteristics (E.3.4): sex, age, size, weight, ethnic group, smoking and pregnancy status. */
  keepPatientCharacteristics?: boolean;
  /** Retain Device Identity (E.3.3): device serial numbers, station names and the like. */
  keepDeviceIdentity?: boolean;
  /** Retain Safe Private (E.3.10): private attributes known to be safe, by private creator and element byte. */
  safePrivate?: readonly SafePrivateTag[];
}

export interface SafePrivateTag { creator: string; group: number; element: number }

/**
 * remove: the attribute is not written. empty: written with zero length (zero items for a sequence).
 * dummy: a value of the right VR with no information. uid: each UID replaced by its per-set pseudonym.
 * shift: dates moved by the per-set offset. clean: text kept with identifying values scrubbed.
 * keep: written as read (text is still swept for identifying values). recurse: a sequence kept, every item de-identified.
 */
export type DeidAction = 'remove' | 'empty' | 'dummy' | 'uid' | 'shift' | 'clean' | 'keep' | 'recurse';

const DATE_VRS = new Set(['DA', 'DT']);
const TIME_VRS = new Set(['TM']);
const TEXT_VRS = new Set(['AE', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT', 'CS']);

/** The row for a tag key ('ggggeeee', lower-case hex), or undefined when the table does not list it. */
export function ruleFor(key: string): DeidRule | undefined {
  const exact = DEID_RULES[key];
  if (exact) return exact;
  if (isPrivateKey(key)) return DEID_PRIVATE_RULE;
  return DEID_PATTERN_RULES.find(({ pattern }) => [...pattern].every((c, i) => c === 'x' || c === key[i]))?.rule;
}

export function isPrivateKey(key: string): boolean {
  return (parseInt(key.slice(0, 4), 16) & 1) === 1;
}

function enabledColumns(options: DeidOptions): DeidOptionColumn[] {
  const on: DeidOptionColumn[] = [];
  if (options.shiftDates) on.push('modifiedDates');
  if (options.cleanDescriptors) on.push('descriptors');
  if (options.keepPatientCharacteristics) on.push('patientCharacteristics');
  if (options.keepDeviceIdentity) on.push('device');
  return on;
}

/**
 * The action for one attribute of the given VR. Combined Basic Profile actions are chosen without knowing the IOD, so
 * that the result stays valid whatever the attribute's type: anything with D gets a dummy (valid even for Type 1),
 * X/Z gets a zero-length value (valid for Type 2 and 3), X/Z/U* keeps the sequence with its UIDs replaced. A sequence
 * whose action is D is kept with every item de-identified by the same rules (a dummy item would carry no meaning and
 * its content is itself in the table); Z empties it; X removes it.
 */
export function resolveRule(rule: DeidRule, vr: string, options: DeidOptions): DeidAction {
  const cells = enabledColumns(options).map((c) => rule[c]).filter(Boolean);
  if (cells.includes('K')) return vr === 'SQ' ? 'recurse' : 'keep';
  if (cells.includes('C')) {
    if (vr === 'SQ') return 'recurse';
    if (options.shiftDates && rule.modifiedDates === 'C') {
      if (DATE_VRS.has(vr)) return 'shift';
      if (TIME_VRS.has(vr)) return 'keep'; // whole-day shifts leave times of day as they were (E.3.6)
    }
    if (TEXT_VRS.has(vr)) return 'clean';
  }
  const basic = rule.basic;
  if (basic === 'X/Z/U*') return vr === 'SQ' ? 'recurse' : 'uid';
  if (basic === 'U') return vr === 'UI' ? 'uid' : 'dummy';
  if (basic.includes('D')) return vr === 'SQ' ? 'recurse' : 'dummy';
  if (basic.includes('Z')) return 'empty';
  return 'remove';
}
