// decodeText against the DICOM standard's own examples (PS3.5 Annexes H, I, J, K), every single-byte set, the
// PN/text delimiter rules of PS3.5 §6.1.2.5.3, unknown charsets, and hostile ISO 2022 input that must not throw.
import { describe, expect, it } from 'vitest';
import { decodeText, findUnsupportedCharsets } from '../../../src/dicom/charset';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

// The byte sequences are the standard's "encoded representation"s: H.3.2, I.2, J.3 and K.2/K.3 as printed in PS3.5
// (checked against dicom.nema.org), H.3.1 and J.1 as stored in David Clunie's example files chrH31.dcm and chrX1.dcm
// (shipped with pydicom), which encode those same examples. ESC = 1B; ESC $ B = 1B 24 42, ESC ( B = 1B 28 42,
// ESC ( J = 1B 28 4A, ESC $ ) C = 1B 24 29 43, ESC $ ) A = 1B 24 29 41.
const STANDARD: [name: string, charset: string, bytes: string, text: string][] = [
  ['H.3.1 Japanese, value 1 empty', '\\ISO 2022 IR 87',
    '59 61 6d 61 64 61 5e 54 61 72 6f 75 3d 1b 24 42 3b 33 45 44 1b 28 42 5e 1b 24 42 42 40 4f 3a 1b 28 42 3d 1b 24 42 24 64 24 5e 24 40 1b 28 42 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 42',
    'Yamada^Tarou=山田^太郎=やまだ^たろう'],
  ['H.3.2 Japanese, value 1 ISO 2022 IR 13 (katakana)', 'ISO 2022 IR 13\\ISO 2022 IR 87',
    'd4 cf c0 de 5e c0 db b3 3d 1b 24 42 3b 33 45 44 1b 28 4a 5e 1b 24 42 42 40 4f 3a 1b 28 4a 3d 1b 24 42 24 64 24 5e 24 40 1b 28 4a 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 4a',
    'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう'],
  ['I.2 Korean', '\\ISO 2022 IR 149',
    '48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d 1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf',
    'Hong^Gildong=洪^吉洞=홍^길동'],
  ['J.1 Chinese in UTF-8', 'ISO_IR 192',
    '57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d e7 8e 8b 5e e5 b0 8f e6 9d b1 3d', 'Wang^XiaoDong=王^小東='],
  ['J.3 Chinese in GB18030', 'GB18030',
    '57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d', 'Wang^XiaoDong=王^小东='],
  ['J.3 bytes under GBK (J.4: same code points)', 'GBK',
    '57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d', 'Wang^XiaoDong=王^小东='],
  ['K.2 Chinese in GB 2312', '\\ISO 2022 IR 58',
    '5A 68 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D 1B 24 29 41 D5 C5 5E 1B 24 29 41 D0 A1 B6 AB 3D 20',
    'Zhang^XiaoDong=张^小东= '],
];

describe('decodeText: the standard\'s examples', () => {
  it.each(STANDARD)('%s', (_name, charset, bytes, text) => {
    expect(decodeText(hex(bytes), charset, 'PN')).toBe(text);
  });

  it('K.3: a GB 2312 Long Text returns to ASCII at each CR LF', () => {
    const lt = hex(`31 2e 1B 24 29 41 B5 DA D2 BB D0 D0 CE C4 D7 D6 A1 A3 1B 28 42 0D 0A
      32 2e 1B 24 29 41 B5 DA B6 FE D0 D0 CE C4 D7 D6 A1 A3 1B 28 42 0D 0A
      33 2e 1B 24 29 41 B5 DA C8 FD D0 D0 CE C4 D7 D6 A1 A3 1B 28 42 0D 0A 20`);
    expect(decodeText(lt, '\\ISO 2022 IR 58', 'LT')).toBe('1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n ');
  });

  it('J.2: a UTF-8 Long Text', () => {
    const lt = new TextEncoder().encode('The first line includes 中文.\r\nThe second line includes 中文, too.\r\n');
    expect(decodeText(lt, 'ISO_IR 192', 'LT')).toBe('The first line includes 中文.\r\nThe second line includes 中文, too.\r\n');
  });
});

// Names from David Clunie's example files (chrFren, chrGerm, chrGreek, chrArab, chrHbrw, chrRuss) and pydicom's tests.
const SINGLE_BYTE: [ir: number, bytes: string, text: string][] = [
  [100, '42 75 63 5e 4a e9 72 f4 6d 65', 'Buc^Jérôme'],
  [101, '57 61 b3 ea 73 61', 'Wałęsa'],
  [109, '61 6e 74 61 fd 6e 6f 6d 6f', 'antaŭnomo'],
  [110, '76 e0 72 64 73', 'vārds'],
  [144, 'bb ee da 63 65 dc d1 79 70 d3', 'Люкceмбypг'],
  [127, 'e2 c8 c7 e6 ea 5e e4 e6 d2 c7 d1', 'قباني^لنزار'],
  [126, 'c4 e9 ef ed f5 f3 e9 ef f2', 'Διονυσιος'],
  [138, 'f9 f8 e5 ef 5e e3 e1 e5 f8 e4', 'שרון^דבורה'],
  [148, 'c7 61 76 75 fe 6f f0 6c 75', 'Çavuşoğlu'],
  [203, '4d 61 72 63 a4 20 a6', 'Marc€ Š'],
  [13, 'd4 cf c0 de 5e c0 db b3', 'ﾔﾏﾀﾞ^ﾀﾛｳ'],
  [166, 'b9 d2 c1 ca a1 d8 c5', 'นามสกุล'],
];

describe('decodeText: single-byte sets', () => {
  it.each(SINGLE_BYTE)('ISO_IR %i', (ir, bytes, text) => {
    expect(decodeText(hex(bytes), `ISO_IR ${ir}`, 'PN')).toBe(text);
  });

  it.each(SINGLE_BYTE)('ISO 2022 IR %i designated into G1 by its escape sequence', (ir, bytes, text) => {
    const final: Record<number, string> = { 100: '41', 101: '42', 109: '43', 110: '44', 144: '4c', 127: '47', 126: '46', 138: '48', 148: '4d', 203: '62', 13: '', 166: '54' };
    const escape = ir === 13 ? '1b 29 49' : `1b 2d ${final[ir]}`;
    // The designation lasts to the next PN delimiter, so it is repeated after each '^' as the standard's encoders do.
    const encoded = bytes.split(' 5e ').map((part) => `${escape} ${part}`).join(' 5e ');
    expect(decodeText(hex(encoded), `\\ISO 2022 IR ${ir}`, 'PN')).toBe(text);
  });

  it('reads the default repertoire as ASCII and stray high bytes as Latin-1', () => {
    expect(decodeText(latin1('DOE^JOHN'), '')).toBe('DOE^JOHN');
    expect(decodeText(hex('4a e9'), '')).toBe('Jé');
    expect(decodeText(hex('4a e9'), 'ISO_IR 6')).toBe('Jé');
  });

  it('tolerates common misspellings of the Defined Terms', () => {
    expect(decodeText(hex('4a e9'), 'ISO-IR 100')).toBe('Jé');
    expect(decodeText(hex('4a e9'), 'iso_ir100')).toBe('Jé');
    expect(findUnsupportedCharsets('ISO-IR 100\\iso 2022 ir 87')).toEqual([]);
  });
});

describe('decodeText: ISO 2022 code extension', () => {
  it('JIS X 0212 (ESC $ ( D) beside JIS X 0208: Mori^Ogai=森^鷗外=もり^おうがい', () => {
    const bytes = hex(`4d 6f 72 69 5e 4f 67 61 69 3d 1b 24 42 3f 39 1b 28 42 5e 1b 24 28 44 6c 3f 1b 24 42 33 30 1b 28 42 3d
      1b 24 42 24 62 24 6a 1b 28 42 5e 1b 24 42 24 2a 24 26 24 2c 24 24 1b 28 42`);
    expect(decodeText(bytes, '\\ISO 2022 IR 87\\ISO 2022 IR 159', 'PN')).toBe('Mori^Ogai=森^鷗外=もり^おうがい');
  });

  it('mixes JIS X 0201 katakana (G1), JIS X 0208 and JIS X 0212 (G0) in one value', () => {
    const bytes = hex('1b 24 42 24 22 1b 28 4a 61 1b 29 49 b1 1b 24 42 25 22 1b 24 28 44 6d 4e 1b 28 4a');
    expect(decodeText(bytes, 'ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159', 'LO')).toBe('あaｱア齩');
  });

  it('returns to value 1 at PN delimiters but not at 0x5E inside a two-byte character', () => {
    // In PN the KS X 1001 designation ends at '^' (value 1 is the default repertoire, whose stray high bytes read as
    // Latin-1: C8 AB → "È«"); in LO '^' is an ordinary character and it lasts; '\' and CR LF end it in any VR.
    expect(decodeText(hex('1b 24 29 43 c8 ab 5e c8 ab'), '\\ISO 2022 IR 149', 'PN')).toBe('홍^È«');
    expect(decodeText(hex('1b 24 29 43 c8 ab 5e c8 ab'), '\\ISO 2022 IR 149', 'LO')).toBe('홍^홍');
    expect(decodeText(hex('1b 24 29 43 c8 ab 5c c8 ab'), '\\ISO 2022 IR 149', 'LO')).toBe('홍\\È«');
    expect(decodeText(hex('1b 24 29 43 c8 ab 0d 0a c8 ab'), '\\ISO 2022 IR 149', 'LT')).toBe('홍\r\nÈ«');
  });
});

describe('decodeText: unknown and hostile input', () => {
  it('names unsupported charsets and reads their high bytes as Latin-1', () => {
    expect(findUnsupportedCharsets('ISO_IR 999')).toEqual(['ISO_IR 999']);
    expect(findUnsupportedCharsets('\\ISO 2022 IR 87\\KOI8-R')).toEqual(['KOI8-R']);
    expect(findUnsupportedCharsets('')).toEqual([]);
    expect(findUnsupportedCharsets('ISO_IR 192')).toEqual([]);
    expect(decodeText(hex('4a e9'), 'KOI8-R')).toBe('Jé');
  });

  it('a lone ESC, an unknown escape sequence and a truncated multi-byte character decode without throwing', () => {
    expect(decodeText(hex('41 1b'), '\\ISO 2022 IR 87')).toBe('A');
    expect(decodeText(hex('41 1b 24'), '\\ISO 2022 IR 87')).toBe('A$');
    expect(decodeText(hex('41 1b 25 47 42'), '\\ISO 2022 IR 87')).toBe('A%GB');
    expect(decodeText(hex('1b 24 42 3b'), '\\ISO 2022 IR 87')).toBe('\ufffd');
    expect(decodeText(hex('1b 24 28 44 6c'), '\\ISO 2022 IR 159')).toBe('\ufffd');
    expect(decodeText(hex('1b 24 29 43 c8'), '\\ISO 2022 IR 149')).toBe('\ufffd');
    expect(decodeText(hex('e7 8e'), 'ISO_IR 192')).toBe('\ufffd');
  });

  it('stays linear on a megabyte of random bytes and escape sequences', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const escapes = [hex('1b 24 42'), hex('1b 24 28 44'), hex('1b 24 29 43'), hex('1b 28 42'), hex('1b 29 49'), hex('1b')];
    const bytes = new Uint8Array(1 << 20);
    for (let i = 0; i < bytes.length; i++) {
      if (rand() < 24) { const e = escapes[rand() % escapes.length]!; bytes.set(e.subarray(0, bytes.length - i), i); i += e.length - 1; } else bytes[i] = rand();
    }
    const t0 = performance.now();
    for (const [charset, vr] of [['ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159\\ISO 2022 IR 149', 'PN'], ['ISO_IR 192', 'LT'], ['GB18030', 'LO'], ['x', 'ST']]) {
      const s = decodeText(bytes, charset!, vr);
      expect(s.length).toBeLessThanOrEqual(bytes.length);
    }
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
