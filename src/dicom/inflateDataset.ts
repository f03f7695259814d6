// Deflated Explicit VR Little Endian (PS3.5 §A.5): raw-inflate the dataset after the file meta into ONE buffer,
// refusing as early as possible what the file cannot legitimately need. Thread-neutral (decode worker and Node).
// It must not parse values: a scanner reads element headers as they arrive only to bound the size, and
// parseInstance parses the result with dicom-parser.
import { Inflate } from 'fflate';
import { LimitExceededError, MalformedDicomError, TruncatedError } from '../shared/errors';
import { LIMITS } from '../shared/limits';

/** Deflate's best case is 258 bytes per 2-bit code: just over 1032:1 (zlib's "technical details"); 1040 to be safe. */
export const DEFLATE_MAX_RATIO = 1040;
/** Input slice per push: fflate allocates a push's output at once, so small slices keep that ≤ ~4 MiB (4 KiB was fastest). */
const PUSH_BYTES = 4096;
/** What may follow the top-level Pixel Data (trailing padding, signatures) and slack on its size. */
const TAIL_BYTES = 1 << 20;
/** Bytes let through after something that is not a data element, before the file is refused as a bomb. */
const GARBAGE_BYTES = 1 << 20;
const UNDEFINED = 0xffffffff;
/** The VRs of PS3.5 §6.2; and those with a 4-byte length in explicit VR (§7.1.2). */
export const VRS: ReadonlySet<string> = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV']);
export const LONG_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const PIXEL_TAGS = new Set([0x7fe00010, 0x7fe00008, 0x7fe00009]);

/** A growable byte buffer with a hard cap: grows geometrically (or exactly, when told what is coming). */
class CappedBuffer {
  bytes: Uint8Array;
  length = 0;
  constructor(initial: number, public cap: number) { this.bytes = new Uint8Array(Math.min(initial, cap)); }
  /**
   * Make room for `size` bytes in all. `exact`: a large value is announced, so grow once to hold it (plus TAIL_BYTES)
   * rather than doubling towards it: for the usual header + Pixel Data that copy happens while the buffer holds only
   * the header, so the peak is about the final size. Never less than doubling, so many large values cost ≤ 1.5×.
   */
  reserve(size: number, exact = false): void {
    if (size > this.cap) throw new LimitExceededError(`Deflated dataset needs ${size} bytes; at most ${this.cap} are allowed for this file`);
    if (size <= this.bytes.length) return;
    const next = new Uint8Array(Math.min(this.cap, Math.max(exact ? size + TAIL_BYTES : size, this.bytes.length * 2)));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
  append(chunk: Uint8Array): void {
    this.reserve(this.length + chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }
}

/**
 * Walks explicit VR little endian element headers (into sequences and items) as the inflated bytes arrive. It refuses
 * a declared length past the cap before a byte of it is inflated, counts elements against LIMITS.maxElements,
 * reserves the buffer for each large value, and tightens the cap once the top-level Pixel Data is known: its size
 * from Rows × Columns × Frames × Samples × Bits Allocated, plus TAIL_BYTES. Gives up (the cap stays) at an
 * undefined-length value that is not a sequence (UN holding implicit VR), which it cannot walk.
 */
class HeaderScanner {
  private pos: number;
  private ends: number[] = []; // end offsets of open sequences and items (Infinity: undefined length)
  private count = 0;
  private lost = false;
  private readonly image = { rows: 0, columns: 0, samples: 1, bits: 0, frames: 1 };
  constructor(private readonly buf: CappedBuffer, start: number) { this.pos = start; }

  advance(): void {
    const b = this.buf.bytes;
    const have = this.buf.length;
    const dv = new DataView(b.buffer, b.byteOffset, have);
    while (!this.lost && this.pos + 8 <= have) {
      while (this.ends.length && this.pos >= this.ends[this.ends.length - 1]!) this.ends.pop();
      const p = this.pos;
      const tag = ((dv.getUint16(p, true) << 16) | dv.getUint16(p + 2, true)) >>> 0;
      if (tag >>> 16 === 0xfffe) { // item, item delimiter, sequence delimiter: tag + 4-byte length, no VR (PS3.5 §7.5)
        const len = dv.getUint32(p + 4, true);
        if (tag === 0xfffee000) this.ends.push(len === UNDEFINED ? Infinity : p + 8 + len);
        else this.ends.pop();
        this.step(p + 8);
        continue;
      }
      const vr = String.fromCharCode(b[p + 4]!, b[p + 5]!);
      if (!VRS.has(vr)) { // not a data element: whatever follows is not a dataset, so little more may come
        this.lost = true;
        this.buf.cap = Math.min(this.buf.cap, p + GARBAGE_BYTES);
        return;
      }
      const long = LONG_VRS.has(vr);
      if (long && p + 12 > have) return;
      const len = long ? dv.getUint32(p + 8, true) : dv.getUint16(p + 6, true);
      const v = p + (long ? 12 : 8);
      if (vr === 'SQ') { this.ends.push(len === UNDEFINED ? Infinity : v + len); this.step(v); continue; }
      if (len === UNDEFINED) { this.lost = true; return; }
      if (this.ends.length === 0 && !this.topLevel(tag, v, len, have, dv)) return;
      this.buf.reserve(v + len, len >= 1 << 20);
      this.step(v + len);
    }
  }

  private step(to: number): void {
    if (++this.count > LIMITS.maxElements) throw new LimitExceededError(`More than ${LIMITS.maxElements} elements`);
    this.pos = to;
  }

  /** Reads the few top-level values that bound the size; false when such a value has not fully arrived yet. */
  private topLevel(tag: number, v: number, len: number, have: number, dv: DataView): boolean {
    const us = [0x00280010, 0x00280011, 0x00280002, 0x00280100].indexOf(tag);
    if (us >= 0 || tag === 0x00280008) {
      if (v + len > have) return false;
      if (tag === 0x00280008) {
        const n = Number(String.fromCharCode(...this.buf.bytes.subarray(v, v + Math.min(len, 16))).split('\\')[0]!.trim());
        this.image.frames = Number.isInteger(n) && n > 0 ? n : 1;
      } else if (len >= 2) {
        const key = (['rows', 'columns', 'samples', 'bits'] as const)[us]!;
        this.image[key] = dv.getUint16(v, true);
      }
    }
    if (PIXEL_TAGS.has(tag)) {
      const { rows, columns, samples, bits, frames } = this.image;
      const need = Math.ceil((rows * columns * samples * bits * frames) / 8);
      if (need > 0 && len > 2 * need + TAIL_BYTES) {
        throw new LimitExceededError(`Pixel Data declares ${len} bytes; ${rows} × ${columns} × ${samples} samples × ${frames} frames × ${bits} bits needs ${need}`);
      }
      this.buf.cap = Math.min(this.buf.cap, v + len + TAIL_BYTES);
    }
    return true;
  }
}

/**
 * `bytes[0, position)` (preamble and file meta) followed by the inflated dataset, in one buffer. The cap is
 * min(LIMITS.maxInflatedBytes, DEFLATE_MAX_RATIO × compressed size), tightened by what the header declares; past it
 * the file is refused with LimitExceededError as soon as that is known, not after inflating everything.
 */
export function inflateDataset(bytes: Uint8Array, position: number): Uint8Array {
  const src = bytes.subarray(position);
  const cap = position + Math.min(LIMITS.maxInflatedBytes, DEFLATE_MAX_RATIO * src.length + 1024);
  const buf = new CappedBuffer(position + Math.max(1 << 16, 4 * src.length), cap);
  buf.append(bytes.subarray(0, position));
  const scanner = new HeaderScanner(buf, position);
  const inflate = new Inflate((chunk) => { buf.append(chunk); scanner.advance(); });
  try {
    for (let o = 0; o < src.length; o += PUSH_BYTES) inflate.push(src.subarray(o, o + PUSH_BYTES), o + PUSH_BYTES >= src.length);
  } catch (e) {
    if (e instanceof LimitExceededError) throw e;
    if (/EOF/.test((e as Error).message)) throw new TruncatedError('Deflated dataset ends before its deflate stream does');
    throw new MalformedDicomError(`Deflated dataset does not inflate: ${(e as Error).message}`);
  }
  return buf.bytes.subarray(0, buf.length);
}
