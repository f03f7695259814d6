// The fuzz corpus and its cases: small fixtures of every transfer syntax (plus pydicom files under 1 MB when fetched),
// each with the places worth hitting (element and item length fields, small numeric values, codestream headers), and
// case `index` of seed `seed` as a pure function of (corpus, seed, index), so any case replays alone. Node only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Element } from 'dicom-parser';
import { parseInstance } from '../src/dicom/parseInstance';
import { TS_UID } from '../src/dicom/transferSyntax';
import { makeRandom } from '../src/dicom/synthetic/random';
import { concatBytes } from '../src/dicom/writeDicom';
import { PYDICOM_DIR, robustnessCorpus } from '../test/fixtures/robustnessCorpus';

/** A place in a file to overwrite with an extreme: `size` bytes at `offset`, `big` when its dataset is big endian. */
export interface FuzzField { offset: number; size: 2 | 4; big: boolean; what: string }
export interface FuzzSource { name: string; bytes: Uint8Array; fields: FuzzField[] }
export interface FuzzCase { index: number; source: string; ops: string[]; bytes: Uint8Array }

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const EXTREMES_16 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const EXTREMES_32 = [...EXTREMES_16, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffe, 0xffffffff];

/** Length fields of every element, item and fragment dicom-parser finds, small values in group 0028, codec headers. */
function findFields(bytes: Uint8Array): FuzzField[] {
  let parsed;
  try { parsed = parseInstance(bytes); } catch { return []; }
  const deflated = parsed.header.transferSyntaxUID === TS_UID.deflatedLE; // dataset offsets are into the inflated bytes
  const bigDataset = parsed.header.transferSyntaxUID === TS_UID.explicitBE;
  const fields: FuzzField[] = [];
  const visit = (elements: Record<string, Element>) => {
    for (const [key, e] of Object.entries(elements)) {
      const meta = key.startsWith('x0002');
      if (deflated && !meta) continue;
      const big = bigDataset && !meta;
      const explicit = e.vr !== undefined;
      if (explicit && !LONG_VRS.has(e.vr!)) fields.push({ offset: e.dataOffset - 2, size: 2, big, what: `length of ${key}` });
      else fields.push({ offset: e.dataOffset - 4, size: 4, big, what: `length of ${key}` });
      if (key.startsWith('x0028') && (e.length === 2 || e.length === 4)) fields.push({ offset: e.dataOffset, size: e.length, big, what: `value of ${key}` });
      for (const item of e.items ?? []) {
        fields.push({ offset: item.dataOffset - 4, size: 4, big, what: `item length in ${key}` });
        if (item.dataSet) visit(item.dataSet.elements);
      }
      for (const [k, f] of (e.fragments ?? []).entries()) {
        fields.push({ offset: f.position - 4, size: 4, big, what: `fragment ${k} length` });
        // The codestream header (JPEG SOF, JPEG-LS SOF55, J2K SIZ, RLE segment table): big and little endian both.
        for (let p = f.position; p < f.position + Math.min(f.length, 64) - 1; p += 2) {
          fields.push({ offset: p, size: 2, big: true, what: `fragment ${k} header +${p - f.position}` });
          fields.push({ offset: p, size: 4, big: false, what: `fragment ${k} header +${p - f.position} (32-bit LE)` });
        }
      }
    }
  };
  visit(parsed.dataSet.elements);
  return fields.filter((f) => f.offset >= 0 && f.offset + f.size <= bytes.length);
}

/** The robustness test's fixtures and every pydicom file under 1 MB, sorted by name, with their fields. */
export async function fuzzCorpus(): Promise<FuzzSource[]> {
  const pydicom = existsSync(PYDICOM_DIR)
    ? readdirSync(PYDICOM_DIR).filter((f) => f.endsWith('.dcm') && statSync(`${PYDICOM_DIR}/${f}`).size < 1 << 20).sort()
    : [];
  const files = await robustnessCorpus(pydicom);
  return files.map((f) => ({ ...f, fields: findFields(f.bytes) }));
}

/** One number mixed from seed and index (splitmix-like), so neighbouring cases do not share a random stream. */
function caseSeed(seed: number, index: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
}

type Op = 'field' | 'flip' | 'duplicate' | 'remove' | 'truncate';
const OP_ORDER: Op[] = ['field', 'flip', 'duplicate', 'remove', 'truncate']; // offset-keeping edits first

function pickOp(r: number): Op {
  if (r < 0.4) return 'field';
  if (r < 0.65) return 'flip';
  if (r < 0.75) return 'duplicate';
  if (r < 0.85) return 'remove';
  return 'truncate';
}

/** Case `index` of run `seed`: a source file and one to three mutations, described in `ops`. */
export function fuzzCase(corpus: FuzzSource[], seed: number, index: number): FuzzCase {
  const rand = makeRandom(caseSeed(seed, index));
  const int = (n: number) => Math.floor(rand() * n);
  const src = corpus[int(corpus.length)]!;
  let b: Uint8Array = src.bytes.slice();
  const ops = Array.from({ length: 1 + int(3) }, () => pickOp(rand())).sort((x, y) => OP_ORDER.indexOf(x) - OP_ORDER.indexOf(y));
  const done: string[] = [];
  for (const op of ops) {
    if (op === 'field' && src.fields.length) {
      const f = src.fields[int(src.fields.length)]!;
      if (f.offset + f.size > b.length) continue;
      const dv = new DataView(b.buffer, b.byteOffset);
      const old = f.size === 2 ? dv.getUint16(f.offset, !f.big) : dv.getUint32(f.offset, !f.big);
      const table = f.size === 2 ? EXTREMES_16 : EXTREMES_32;
      const max = f.size === 2 ? 0xffff : 0xffffffff;
      const choices = [...table, Math.min(max, old + 1), Math.max(0, old - 1), Math.min(max, old * 2), old >>> 1];
      const v = choices[int(choices.length)]!;
      if (f.size === 2) dv.setUint16(f.offset, v, !f.big); else dv.setUint32(f.offset, v, !f.big);
      done.push(`${f.what} @${f.offset}: ${old} → ${v}`);
    } else if (op === 'flip' || op === 'field') {
      const n = 1 + int(8);
      const at: string[] = [];
      for (let k = 0; k < n; k++) { const p = int(b.length); b[p] = int(256); at.push(String(p)); }
      done.push(`bytes set at ${at.join(',')}`);
    } else if (op === 'duplicate' || op === 'remove') {
      const len = 1 + int(Math.max(1, Math.min(4096, b.length >> 3)));
      const from = int(Math.max(1, b.length - len));
      const chunk = b.slice(from, from + len);
      if (op === 'remove') {
        b = concatBytes([b.subarray(0, from), b.subarray(from + len)]);
        done.push(`removed ${len} bytes at ${from}`);
      } else {
        const to = int(b.length + 1);
        b = concatBytes([b.subarray(0, to), chunk, b.subarray(to)]);
        done.push(`copied ${len} bytes from ${from} to ${to}`);
      }
    } else {
      const cut = int(b.length);
      b = b.slice(0, cut);
      done.push(`truncated at ${cut}`);
    }
  }
  return { index, source: src.name, ops: done, bytes: b };
}

/** Decoded bytes of one frame as the header declares it: Rows × Columns × Samples × Bits Allocated / 8. */
export function declaredFrameBytes(r: { rows?: number; columns?: number; samplesPerPixel?: number; bitsAllocated?: number }): number {
  const n = (r.rows ?? 0) * (r.columns ?? 0) * (r.samplesPerPixel ?? 1) * ((r.bitsAllocated ?? 0) / 8);
  return Number.isFinite(n) ? n : 0;
}

/** The corpus as scripts/fuzz.ts writes it: JSON with base64 bytes. */
export function readCorpus(path: string): FuzzSource[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as (Omit<FuzzSource, 'bytes'> & { bytes: string })[];
  return raw.map((s) => ({ ...s, bytes: new Uint8Array(Buffer.from(s.bytes, 'base64')) }));
}
