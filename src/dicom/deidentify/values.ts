// Replacement values for the de-identifier, as value bytes: dummies consistent with the VR (PS3.15 E.1.1 "D"),
// dates moved by whole days (E.3.6), and identifying text scrubbed from kept or cleaned text. Pure, thread-neutral.
// Text is handled as bytes: identifying values are found in the same character set they were written in.
import { stripPadding } from '../readText';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Even-length value bytes for a string (PS3.5 6.2: UI pads with NUL, other text with a space). */
export function padValue(bytes: Uint8Array, vr: string): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return out;
}

const DUMMY_TEXT: Record<string, string> = {
  AE: 'ANONYMOUS', AS: '000Y', CS: 'ANONYMIZED', DA: '19000101', DT: '19000101000000', TM: '000000', DS: '0', IS: '0',
  LO: 'ANONYMIZED', LT: 'ANONYMIZED', PN: 'ANONYMIZED', SH: 'ANONYMIZED', ST: 'ANONYMIZED', UC: 'ANONYMIZED',
  UT: 'ANONYMIZED', UR: 'urn:anonymized',
};
const DUMMY_BINARY_BYTES: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, AT: 4, SV: 8, UV: 8, OB: 2, OW: 2, OF: 4, OD: 8, OL: 4, OV: 8, UN: 2 };

/** A non-empty value of the VR that carries no information. */
export function dummyValue(vr: string): Uint8Array {
  const text = DUMMY_TEXT[vr];
  if (text !== undefined) return padValue(ascii(text), vr);
  return new Uint8Array(DUMMY_BINARY_BYTES[vr] ?? 2);
}

const DAY_MS = 86_400_000;

function shiftYmd(ymd: string, days: number): string | null {
  const y = Number(ymd.slice(0, 4)), m = Number(ymd.slice(4, 6)), d = Number(ymd.slice(6, 8));
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (!Number.isFinite(t) || back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  const moved = new Date(t - days * DAY_MS);
  const yy = moved.getUTCFullYear();
  if (yy < 1 || yy > 9999) return null;
  return `${String(yy).padStart(4, '0')}${String(moved.getUTCMonth() + 1).padStart(2, '0')}${String(moved.getUTCDate()).padStart(2, '0')}`;
}

/**
 * Each value of a DA or DT moved back by `days` (multi-valued and DA ranges "a-b" included); times of day and a DT's
 * UTC offset are kept, since whole days keep every interval. Returns null when a value is not a full date (the caller
 * then writes a dummy: a partial date cannot be shifted without keeping part of the original).
 */
export function shiftDateValue(text: string, vr: 'DA' | 'DT', days: number): string | null {
  const shifted: string[] = [];
  for (const raw of stripPadding(text).split('\\')) {
    const value = raw.trim();
    if (value === '') { shifted.push(''); continue; }
    if (vr === 'DA') {
      const parts = value.split('-');
      if (parts.length > 2) return null;
      const out = parts.map((p) => (p === '' ? '' : /^\d{8}$/.test(p) ? shiftYmd(p, days) : null));
      if (out.some((p) => p === null) || out.every((p) => p === '')) return null;
      shifted.push(out.join('-'));
    } else {
      const m = /^(\d{8})(\d{0,6}(?:\.\d{1,6})?)([+-]\d{4})?$/.exec(value);
      const date = m ? shiftYmd(m[1]!, days) : null;
      if (!m || !date) return null;
      shifted.push(`${date}${m[2]}${m[3] ?? ''}`);
    }
  }
  return shifted.join('\\');
}

/** Identifying byte strings of one dataset (names, IDs, birth date, institution...) to sweep from kept text. */
export class IdentifyingValues {
  private readonly needles: Uint8Array[] = [];

  /** Adds a value and, for names, each name component of two characters or more. */
  add(bytes: Uint8Array, isName: boolean): void {
    const trimmed = trim(bytes);
    if (trimmed.length >= 2) this.push(trimmed);
    if (!isName) return;
    let start = 0;
    for (let i = 0; i <= trimmed.length; i++) {
      const b = trimmed[i];
      if (i === trimmed.length || b === 0x5e || b === 0x3d || b === 0x5c || b === 0x20 || b === 0x2c) {
        if (i - start >= 2) this.push(trimmed.subarray(start, i));
        start = i + 1;
      }
    }
  }

  private push(b: Uint8Array): void {
    if (!this.needles.some((n) => equalFold(n, b))) this.needles.push(b.slice());
  }

  get size(): number { return this.needles.length; }

  /**
   * The value with every identifying string replaced by '*' of the same length, as a whole word (ASCII letters
   * compared without case), and how many were replaced.
   */
  scrub(value: Uint8Array): { bytes: Uint8Array; replaced: number } {
    let out: Uint8Array | null = null;
    let replaced = 0;
    for (const needle of this.needles) {
      for (let i = 0; i + needle.length <= value.length; i++) {
        if (!matchesAt(value, i, needle) || isWordByte(value[i - 1]) || isWordByte(value[i + needle.length])) continue;
        out ??= value.slice();
        out.fill(0x2a, i, i + needle.length);
        replaced++;
        i += needle.length - 1;
      }
      if (out) value = out;
    }
    return { bytes: out ?? value, replaced };
  }
}

function trim(b: Uint8Array): Uint8Array {
  let s = 0, e = b.length;
  while (s < e && (b[s] === 0x20 || b[s] === 0)) s++;
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
  return b.subarray(s, e);
}

const fold = (b: number) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b);
const isWordByte = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || (fold(b) >= 0x41 && fold(b) <= 0x5a) || b >= 0x80);

function matchesAt(hay: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let j = 0; j < needle.length; j++) if (fold(hay[at + j]!) !== fold(needle[j]!)) return false;
  return true;
}

function equalFold(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && matchesAt(a, 0, b);
}
