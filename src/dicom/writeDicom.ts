// Writes DICOM Part 10 files (PS3.10 §7.1) from a list of elements: explicit/implicit VR little endian,
// explicit big endian, deflated, and encapsulated (compressed) pixel data (PS3.5 §A.4).
// Thread-neutral and pure: used for the synthetic sample study, test fixtures and derived series.
import { deflateSync } from 'fflate';
import { TRANSFER_SYNTAX, isEncapsulated } from './transferSyntax';
import { declareCharset } from './declareCharset';

export type NumericArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface WriteElement {
  /** (group << 16) | element, e.g. 0x00280010 for Rows. */
  tag: number;
  vr: string;
  /** Strings (joined with "\"), numbers, typed arrays, sequence items, or encapsulated fragments. */
  value?: string | string[] | number | number[] | NumericArray | WriteElement[][] | { fragments: Uint8Array[]; offsetTable?: number[] };
  /** For SQ: write items and the sequence with undefined length (default true). */
  undefinedLength?: boolean;
}

export interface WriteOptions {
  transferSyntaxUID: string;
  /** Omit preamble and file meta (a "bare" dataset, as some old files are). */
  noMeta?: boolean;
}

const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1401.1';
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);
const NUMERIC_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, AT: 4, OW: 2, OF: 4, OD: 8, OL: 4, OB: 1, UN: 1 };

export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;
  constructor(readonly littleEndian: boolean) {}
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u16(v: number, le = this.littleEndian): void { this.ensure(2); this.view.setUint16(this.length, v, le); this.length += 2; }
  u32(v: number, le = this.littleEndian): void { this.ensure(4); this.view.setUint32(this.length, v >>> 0, le); this.length += 4; }
  bytes(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.length); this.length += b.length; }
  ascii(s: string): void { this.bytes(new TextEncoder().encode(s)); }
  result(): Uint8Array { return this.buf.slice(0, this.length); }
}

function padString(s: string, vr: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = vr === 'UI' || vr === 'OB' ? 0 : 0x20;
  return out;
}

/** Value bytes of a non-sequence element in the requested byte order. */
function encodeValue(el: WriteElement, littleEndian: boolean): Uint8Array {
  const { vr, value } = el;
  if (value === undefined) return new Uint8Array(0);
  if (typeof value === 'string' || (Array.isArray(value) && typeof value[0] === 'string')) {
    const s = Array.isArray(value) ? (value as string[]).join('\\') : value;
    return padString(s, vr);
  }
  if ((vr === 'DS' || vr === 'IS') && (typeof value === 'number' || Array.isArray(value))) {
    const nums = typeof value === 'number' ? [value] : (value as number[]);
    return padString(nums.map((n) => (vr === 'IS' ? String(Math.round(n)) : formatDS(n))).join('\\'), vr);
  }
  const size = NUMERIC_SIZE[vr];
  if (size === undefined) throw new Error(`writeDicom: cannot encode a number as ${vr}`);
  if (ArrayBuffer.isView(value)) {
    const src = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const elementSize = (value as NumericArray).BYTES_PER_ELEMENT;
    const out = new Uint8Array(src.length + (src.length % 2));
    out.set(src);
    if (!littleEndian && elementSize > 1) swapInPlace(out.subarray(0, src.length), elementSize);
    return out;
  }
  const nums = typeof value === 'number' ? [value] : (value as number[]);
  const out = new Uint8Array(nums.length * size);
  const dv = new DataView(out.buffer);
  nums.forEach((n, i) => {
    const o = i * size;
    switch (vr) {
      case 'US': case 'OW': dv.setUint16(o, n, littleEndian); break;
      case 'SS': dv.setInt16(o, n, littleEndian); break;
      case 'UL': case 'OL': dv.setUint32(o, n, littleEndian); break;
      case 'SL': dv.setInt32(o, n, littleEndian); break;
      case 'FL': case 'OF': dv.setFloat32(o, n, littleEndian); break;
      case 'FD': case 'OD': dv.setFloat64(o, n, littleEndian); break;
      case 'AT': dv.setUint16(o, n >>> 16, littleEndian); dv.setUint16(o + 2, n & 0xffff, littleEndian); break;
      default: dv.setUint8(o, n);
    }
  });
  return out;
}

/** Decimal String: at most 16 characters (PS3.5 §6.2). */
export function formatDS(n: number): string {
  if (Number.isInteger(n)) return String(n);
  for (let p = 10; p > 0; p--) {
    const s = String(Number(n.toPrecision(p)));
    if (s.length <= 16) return s;
  }
  return String(Math.round(n));
}

function swapInPlace(b: Uint8Array, size: number): void {
  for (let i = 0; i + size <= b.length; i += size) {
    for (let j = 0; j < size / 2; j++) {
      const t = b[i + j]!;
      b[i + j] = b[i + size - 1 - j]!;
      b[i + size - 1 - j] = t;
    }
  }
}

export function writeHeader(w: ByteWriter, tag: number, vr: string, length: number, explicitVR: boolean): void {
  w.u16(tag >>> 16);
  w.u16(tag & 0xffff);
  if (!explicitVR) { w.u32(length); return; }
  w.ascii(vr);
  if (LONG_VRS.has(vr)) { w.u16(0); w.u32(length); } else { w.u16(length); }
}

function writeElements(w: ByteWriter, elements: WriteElement[], explicitVR: boolean): void {
  const sorted = [...elements].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
  for (const el of sorted) writeElement(w, el, explicitVR);
}

export function writeElement(w: ByteWriter, el: WriteElement, explicitVR: boolean): void {
  if (el.vr === 'SQ') {
    const items = (el.value ?? []) as WriteElement[][];
    const undefinedLength = el.undefinedLength !== false;
    if (undefinedLength) {
      writeHeader(w, el.tag, 'SQ', 0xffffffff, explicitVR);
      for (const item of items) {
        w.u16(0xfffe); w.u16(0xe000); w.u32(0xffffffff);
        writeElements(w, item, explicitVR);
        w.u16(0xfffe); w.u16(0xe00d); w.u32(0);
      }
      w.u16(0xfffe); w.u16(0xe0dd); w.u32(0);
    } else {
      const encodedItems = items.map((item) => {
        const iw = new ByteWriter(w.littleEndian);
        writeElements(iw, item, explicitVR);
        return iw.result();
      });
      const total = encodedItems.reduce((s, b) => s + 8 + b.length, 0);
      writeHeader(w, el.tag, 'SQ', total, explicitVR);
      for (const b of encodedItems) { w.u16(0xfffe); w.u16(0xe000); w.u32(b.length); w.bytes(b); }
    }
    return;
  }
  const v = el.value;
  if (v && typeof v === 'object' && 'fragments' in v) {
    // Encapsulated pixel data (PS3.5 §A.4): undefined length, Basic Offset Table item, one item per fragment.
    writeHeader(w, el.tag, 'OB', 0xffffffff, explicitVR);
    const offsets = v.offsetTable ?? [];
    w.u16(0xfffe); w.u16(0xe000); w.u32(offsets.length * 4);
    for (const o of offsets) w.u32(o);
    for (const f of v.fragments) {
      const padded = f.length % 2 ? concatBytes([f, new Uint8Array(1)]) : f;
      w.u16(0xfffe); w.u16(0xe000); w.u32(padded.length); w.bytes(padded);
    }
    w.u16(0xfffe); w.u16(0xe0dd); w.u32(0);
    return;
  }
  const bytes = encodeValue(el, w.littleEndian);
  writeHeader(w, el.tag, el.vr, bytes.length, explicitVR);
  w.bytes(bytes);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Frames of encapsulated pixel data, one fragment each, with a Basic Offset Table
 * (offsets are from the first byte of the first fragment's item tag, PS3.5 §A.4).
 */
export function encapsulate(frames: Uint8Array[]): { fragments: Uint8Array[]; offsetTable: number[] } {
  const offsetTable: number[] = [];
  let offset = 0;
  for (const f of frames) { offsetTable.push(offset); offset += 8 + f.length + (f.length % 2); }
  return { fragments: frames, offsetTable };
}

function findString(elements: WriteElement[], tag: number): string {
  const el = elements.find((e) => e.tag === tag);
  return typeof el?.value === 'string' ? el.value : '';
}

/** Serialise a dataset as a DICOM Part 10 file in the given transfer syntax. */
export function writeDicom(elements: WriteElement[], options: WriteOptions): Uint8Array {
  const ts = TRANSFER_SYNTAX[options.transferSyntaxUID];
  const littleEndian = ts ? ts.littleEndian : true;
  const explicitVR = ts ? ts.explicitVR : true;
  const body = new ByteWriter(littleEndian);
  writeElements(body, declareCharset(elements.filter((e) => e.tag >>> 16 !== 0x0002)), explicitVR); // strings are UTF-8
  let dataset = body.result();
  if (ts?.deflated) dataset = deflateSync(dataset, { level: 6 });
  if (ts && !ts.deflated && !isEncapsulated(ts) && dataset.length % 2) dataset = concatBytes([dataset, new Uint8Array(1)]);
  if (options.noMeta) return dataset;
  return withFileMeta(dataset, findString(elements, 0x00080016), findString(elements, 0x00080018), options.transferSyntaxUID);
}

/** Preamble, "DICM" and a file meta group of our own (PS3.10 7.1) in front of an encoded dataset. */
export function withFileMeta(dataset: Uint8Array, sopClassUID: string, sopInstanceUID: string, transferSyntaxUID: string): Uint8Array {
  const meta: WriteElement[] = [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUID },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUID },
    { tag: 0x00020010, vr: 'UI', value: transferSyntaxUID },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: 'LUCID_0_1' },
  ];
  const metaBody = new ByteWriter(true);
  writeElements(metaBody, meta, true);
  const metaBytes = metaBody.result();
  const head = new ByteWriter(true);
  head.bytes(new Uint8Array(128));
  head.ascii('DICM');
  writeHeader(head, 0x00020000, 'UL', 4, true);
  head.u32(metaBytes.length);
  head.bytes(metaBytes);
  return concatBytes([head.result(), dataset]);
}
