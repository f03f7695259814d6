// Bytes of a DICOM text value → a JS string, honouring Specific Character Set (0008,0005): PS3.3 C.12.1.1.2 (the
// Defined Terms), PS3.5 §6.1 (repertoires, ISO 2022 code extension) and its Annexes H–K (worked examples). Only the
// escape-sequence segmentation is ours; TextDecoder does the decoding. Never throws, work is linear in the input.
// Thread-neutral and DOM-free (decode worker, UI thread and Node alike); knows nothing of dicom-parser (see readText.ts).

const ESC = 0x1b;

/** G0 (bytes 0x21–0x7E): ASCII, or a 94×94 Japanese set invoked by an escape sequence (PS3.5 §6.1.2.5.3). */
type G0 = 'ascii' | 'jis0208' | 'jis0212';
/** G0 and G1 in force. `g1` is a TextDecoder label whose lower half is ASCII, used for bytes ≥ 0x80. */
interface State { readonly g0: G0; readonly g1: string }

/** The default repertoire has no G1; bytes ≥ 0x80 there are invalid and are shown as Latin-1 rather than dropped. */
const FALLBACK = 'iso-8859-1';

/**
 * Single-byte sets by ISO-IR number, as 'ISO_IR n' and 'ISO 2022 IR n' (PS3.3 Tables C.12-2, C.12-3). WHATWG maps
 * 'iso-8859-1' and 'iso-8859-9' to windows-1252/1254, which differ only in 0x80–0x9F (C1 controls, not valid in DICOM;
 * Node 20 still reads 'iso-8859-1' as ISO 8859-1 there, so those bytes may come out as C1 controls).
 * JIS X 0201 (IR 13): shift_jis decodes its katakana half (0xA1–0xDF); its Roman half is read as ASCII, as pydicom does.
 */
const SINGLE_BYTE: Record<number, string> = {
  6: FALLBACK, 100: 'iso-8859-1', 101: 'iso-8859-2', 109: 'iso-8859-3', 110: 'iso-8859-4', 144: 'iso-8859-5',
  127: 'iso-8859-6', 126: 'iso-8859-7', 138: 'iso-8859-8', 148: 'iso-8859-9', 203: 'iso-8859-15', 13: 'shift_jis',
  166: 'windows-874',
};

/** Multi-byte sets with code extension (PS3.3 Table C.12-4): Korean and Chinese go to G1, Japanese to G0. */
const MULTI_BYTE_G1: Record<number, string> = { 149: 'euc-kr', 58: 'gbk' };
const MULTI_BYTE_G0: Record<number, G0> = { 87: 'jis0208', 159: 'jis0212' };

/** Sets without code extension (PS3.3 Table C.12-5): the whole value is in one encoding and ESC has no meaning. */
const WHOLE_VALUE: Record<string, string> = { 'ISO_IR 192': 'utf-8', GB18030: 'gb18030', GBK: 'gbk' };

/** Escape sequences (the bytes after ESC) and what they designate (PS3.3 Tables C.12-3, C.12-4). */
const ESCAPES: Record<string, (s: State) => State> = {
  '(B': (s) => ({ ...s, g0: 'ascii' }), // ISO-IR 6
  '(J': (s) => ({ ...s, g0: 'ascii' }), // JIS X 0201 Roman, read as ASCII
  '$B': (s) => ({ ...s, g0: 'jis0208' }),
  '$(D': (s) => ({ ...s, g0: 'jis0212' }),
  ')I': (s) => ({ ...s, g1: 'shift_jis' }), // JIS X 0201 katakana
  '$)C': (s) => ({ ...s, g1: 'euc-kr' }), // KS X 1001
  '$)A': (s) => ({ ...s, g1: 'gbk' }), // GB 2312
  '-A': (s) => ({ ...s, g1: 'iso-8859-1' }), '-B': (s) => ({ ...s, g1: 'iso-8859-2' }),
  '-C': (s) => ({ ...s, g1: 'iso-8859-3' }), '-D': (s) => ({ ...s, g1: 'iso-8859-4' }),
  '-L': (s) => ({ ...s, g1: 'iso-8859-5' }), '-G': (s) => ({ ...s, g1: 'iso-8859-6' }),
  '-F': (s) => ({ ...s, g1: 'iso-8859-7' }), '-H': (s) => ({ ...s, g1: 'iso-8859-8' }),
  '-M': (s) => ({ ...s, g1: 'iso-8859-9' }), '-b': (s) => ({ ...s, g1: 'iso-8859-15' }),
  '-T': (s) => ({ ...s, g1: 'windows-874' }),
};

/** Where the designation returns to value 1's set (PS3.5 §6.1.2.5.3): controls (CR, LF, FF, TAB…), '\' and, in PN, '^' '='. */
const TEXT_DELIMITERS = new Set([0x5c]);
const PN_DELIMITERS = new Set([0x5c, 0x5e, 0x3d]);

/** One Defined Term as the standard spells it; common misspellings ("ISO-IR 100", "ISO_IR100", lower case) tolerated. */
function normalise(term: string): string {
  const t = term.trim().toUpperCase();
  const single = /^ISO[ _-]?IR[ _-]?(\d+)$/.exec(t);
  if (single) return `ISO_IR ${single[1]}`;
  const extended = /^ISO[ _-]?2022[ _-]?IR[ _-]?(\d+)$/.exec(t);
  return extended ? `ISO 2022 IR ${extended[1]}` : t;
}

function irNumber(term: string): number | null {
  const m = /^ISO(?:_| 2022 )IR (\d+)$/.exec(term);
  return m ? Number(m[1]) : null;
}

function isKnown(term: string): boolean {
  if (term === '' || term in WHOLE_VALUE) return true;
  const n = irNumber(term);
  if (n === null) return false;
  if (term.startsWith('ISO_IR')) return n in SINGLE_BYTE;
  return n in SINGLE_BYTE || n in MULTI_BYTE_G1 || n in MULTI_BYTE_G0;
}

/** The terms of a (0008,0005) value that this decoder does not know; the caller may warn. Bytes ≥ 0x80 then read as Latin-1. */
export function findUnsupportedCharsets(specificCharacterSet: string): string[] {
  return specificCharacterSet.split('\\').map(normalise).filter((t) => !isKnown(t));
}

/** State at the start of a value and after each delimiter: value 1, or the default repertoire when it is empty. */
function initialState(term: string): State {
  const n = irNumber(term);
  const g1 = n === null ? FALLBACK : (SINGLE_BYTE[n] ?? MULTI_BYTE_G1[n] ?? FALLBACK);
  return { g0: 'ascii', g1 };
}

const decoders = new Map<string, TextDecoder | null>();

function decodeWith(label: string, bytes: Uint8Array): string {
  if (!decoders.has(label)) {
    try { decoders.set(label, new TextDecoder(label)); } catch { decoders.set(label, null); } // a build without this label
  }
  const decoder = decoders.get(label);
  if (decoder) return decoder.decode(bytes);
  if (label !== FALLBACK) return decodeWith(FALLBACK, bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/** JIS X 0208/0212 bytes in G0 → EUC-JP (high bit set; 0x8F before each JIS X 0212 pair), which TextDecoder reads. */
function decodeJis(run: Uint8Array, g0: G0): string {
  if (g0 === 'jis0208') return decodeWith('euc-jp', run.map((b) => b | 0x80));
  const euc = new Uint8Array(run.length + Math.ceil(run.length / 2));
  let o = 0;
  run.forEach((b, k) => {
    if (k % 2 === 0) euc[o++] = 0x8f;
    euc[o++] = b | 0x80;
  });
  return decodeWith('euc-jp', euc.subarray(0, o));
}

/** Bytes in one state: below 0x80 through G0, from 0x80 through G1 (PS3.5 §6.1.2.5.2). */
function decodeRun(run: Uint8Array, state: State): string {
  if (run.length === 0) return '';
  if (state.g0 === 'ascii') return decodeWith(state.g1, run);
  let out = '';
  for (let i = 0; i < run.length;) {
    const high = run[i]! >= 0x80;
    let j = i + 1;
    while (j < run.length && run[j]! >= 0x80 === high) j++;
    out += high ? decodeWith(state.g1, run.subarray(i, j)) : decodeJis(run.subarray(i, j), state.g0);
    i = j;
  }
  return out;
}

/** The escape sequence at `at` (which holds ESC): its length with ESC and the new state, or null when unknown/truncated. */
function readEscape(bytes: Uint8Array, at: number, state: State): { length: number; state: State } | null {
  for (const length of [2, 3]) {
    if (at + length >= bytes.length) break;
    const key = String.fromCharCode(...bytes.subarray(at + 1, at + 1 + length));
    const designate = ESCAPES[key];
    if (designate) return { length: length + 1, state: designate(state) };
  }
  return null;
}

/**
 * Decode one element's value bytes (all of its values, still separated by '\'). `vr` matters only for PN, whose '^'
 * and '=' also reset the code extension state. Unknown terms and escape sequences degrade to Latin-1 / are skipped.
 */
export function decodeText(bytes: Uint8Array, specificCharacterSet: string, vr = ''): string {
  const terms = specificCharacterSet.split('\\').map(normalise);
  const whole = terms.find((t) => t in WHOLE_VALUE);
  if (whole) return decodeWith(WHOLE_VALUE[whole]!, bytes);
  const initial = initialState(terms[0] ?? '');
  const delimiters = vr === 'PN' ? PN_DELIMITERS : TEXT_DELIMITERS;
  let state = initial, out = '', start = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b === ESC) {
      out += decodeRun(bytes.subarray(start, i), state);
      const escape = readEscape(bytes, i, state);
      if (escape) state = escape.state;
      i += escape ? escape.length : 1; // an unknown or truncated sequence: drop the ESC, keep the bytes after it
      start = i;
      continue;
    }
    // Inside a 94×94 G0 set, 0x5C/0x5E/0x3D are halves of characters (やまだ holds 0x5E), not delimiters.
    if (state !== initial && (b < 0x20 || (state.g0 === 'ascii' && delimiters.has(b)))) {
      out += decodeRun(bytes.subarray(start, i), state);
      state = initial;
      start = i;
    }
    i++;
  }
  return out + decodeRun(bytes.subarray(start), state);
}
