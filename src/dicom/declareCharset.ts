// Makes a dataset about to be written say which character set its text is in: writeDicom encodes every string as
// UTF-8, so non-ASCII text needs Specific Character Set (0008,0005) = ISO_IR 192 (PS3.3 C.12.1.1.2, PS3.5 §6.1.2.3),
// and a declaration that says otherwise would make other readers show mojibake. Thread-neutral, pure.
import type { WriteElement } from './writeDicom';

export const SPECIFIC_CHARACTER_SET = 0x00080005;
/** Unicode in UTF-8, without code extensions (PS3.3 Table C.12-5). */
export const UTF8 = 'ISO_IR 192';

const NON_ASCII = /[^\x00-\x7f]/; // eslint-disable-line no-control-regex

function hasNonAscii(elements: WriteElement[]): boolean {
  return elements.some(({ value }) => {
    if (typeof value === 'string') return NON_ASCII.test(value);
    if (!Array.isArray(value)) return false;
    return value.some((v) => (typeof v === 'string' ? NON_ASCII.test(v) : Array.isArray(v) && hasNonAscii(v)));
  });
}

/**
 * `elements` plus (0008,0005) = ISO_IR 192 when any string (sequence items included) is non-ASCII and none is declared;
 * unchanged when all text is ASCII (the default repertoire needs no declaration, so ASCII-only files stay as they were).
 * Throws when non-ASCII text meets a declaration other than ISO_IR 192: those bytes would be misread.
 */
export function declareCharset(elements: WriteElement[]): WriteElement[] {
  if (!hasNonAscii(elements)) return elements;
  const declared = elements.find((e) => e.tag === SPECIFIC_CHARACTER_SET);
  if (!declared) return [...elements, { tag: SPECIFIC_CHARACTER_SET, vr: 'CS', value: UTF8 }];
  const value = Array.isArray(declared.value) ? declared.value.join('\\') : String(declared.value ?? '');
  if (value.trim() !== UTF8) {
    throw new Error(`writeDicom: strings are written as UTF-8 but (0008,0005) is "${value}"; declare ${UTF8} instead`);
  }
  return elements;
}
