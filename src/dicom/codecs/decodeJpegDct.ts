// Sequential Huffman DCT JPEG decoder (ITU-T T.81 baseline SOF0 and extended SOF1), 8- and 12-bit precision,
// 1–4 components, any sampling factors, restart intervals. Used for 12-bit lossy JPEG (DICOM process 4), which
// the 8-bit libjpeg-turbo build cannot read. Thread-neutral, pure. Output: samples interleaved by component,
// upsampled to full size, no colour transform (the caller applies the photometric interpretation).
import { CorruptPixelDataError, UnsupportedPixelFormatError } from '../../shared/errors';

/** Zig-zag order: coefficient k of the scan is at natural position ZIGZAG[k]. */
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);
export { ZIGZAG };

/** cos((2x + 1) u π / 16) × C(u) / 2, indexed [u * 8 + x]. */
const IDCT = (() => {
  const t = new Float64Array(64);
  for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) t[u * 8 + x] = (u === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * x + 1) * u * Math.PI) / 16) / 2;
  return t;
})();
export { IDCT as DCT_BASIS };

interface Huffman { lookup: Map<number, number>; maxLength: number }
interface Frame { precision: number; height: number; width: number; comps: Component[]; hmax: number; vmax: number }
interface Component { id: number; h: number; v: number; tq: number; blocksPerLine: number; blocksPerColumn: number; coeffs: Int32Array; pred: number; td: number; ta: number }

function buildHuffman(counts: Uint8Array, symbols: Uint8Array): Huffman {
  // Canonical codes (T.81 Annex C): codes of one length are consecutive; key = (length << 16) | code.
  const lookup = new Map<number, number>();
  let code = 0, k = 0, maxLength = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < counts[len - 1]!; i++) {
      if (k >= symbols.length) throw new CorruptPixelDataError('JPEG: Huffman table shorter than its counts');
      lookup.set((len << 16) | code++, symbols[k++]!);
      maxLength = len;
    }
    code <<= 1;
  }
  return { lookup, maxLength };
}

class BitReader {
  private acc = 0;
  private bits = 0;
  constructor(private readonly data: Uint8Array, public pos: number) {}
  /** One bit; past a marker (0xFF not followed by 0x00) the stream yields zeros, as T.81 F.2.2.5 allows. */
  bit(): number {
    if (this.bits === 0) {
      let b = 0;
      if (this.pos < this.data.length) {
        b = this.data[this.pos]!;
        if (b === 0xff) {
          const next = this.data[this.pos + 1];
          if (next === 0) this.pos += 2;
          else b = 0; // a marker: do not consume it
        } else this.pos++;
      }
      this.acc = b;
      this.bits = 8;
    }
    this.bits--;
    return (this.acc >> this.bits) & 1;
  }
  receive(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }
  decode(h: Huffman): number {
    let code = 0;
    for (let len = 1; len <= h.maxLength; len++) {
      code = (code << 1) | this.bit();
      const s = h.lookup.get((len << 16) | code);
      if (s !== undefined) return s;
    }
    throw new CorruptPixelDataError('JPEG: invalid Huffman code');
  }
  /** Drop leftover bits and step over an RSTn marker if one is next. */
  restart(): void {
    this.bits = 0;
    while (this.pos + 1 < this.data.length && !(this.data[this.pos] === 0xff && this.data[this.pos + 1]! >= 0xd0 && this.data[this.pos + 1]! <= 0xd7)) this.pos++;
    this.pos += 2;
  }
}

function extend(v: number, t: number): number {
  return t === 0 ? 0 : v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
}

export interface DctDecoded { width: number; height: number; components: number; precision: number; samples: Uint8Array | Uint16Array; adobeTransform: number | null }

export function decodeJpegDct(data: Uint8Array): DctDecoded {
  const u16 = (p: number) => { if (p + 1 >= data.length) throw new CorruptPixelDataError('JPEG: data ends inside a marker segment'); return (data[p]! << 8) | data[p + 1]!; };
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new CorruptPixelDataError('JPEG: no SOI marker');
  const quant: (Int32Array | undefined)[] = [];
  const dc: (Huffman | undefined)[] = [], ac: (Huffman | undefined)[] = [];
  let frame: Frame | null = null;
  let restartInterval = 0;
  let adobeTransform: number | null = null;
  let p = 2;
  while (p < data.length) {
    if (data[p] !== 0xff) { p++; continue; }
    const marker = data[p + 1]!;
    p += 2;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff || marker === 0x01) continue;
    if (marker === 0xd9) break;
    const len = u16(p);
    const end = p + len;
    if (end > data.length) throw new CorruptPixelDataError('JPEG: marker segment runs past the end');
    const seg = p + 2;
    switch (marker) {
      case 0xdb: { // DQT
        let q = seg;
        while (q < end) {
          const pq = data[q]! >> 4, tq = data[q]! & 15;
          q++;
          const t = new Int32Array(64);
          for (let k = 0; k < 64; k++) { t[k] = pq ? u16(q + 2 * k) : data[q + k]!; }
          q += pq ? 128 : 64;
          quant[tq] = t;
        }
        break;
      }
      case 0xc4: { // DHT
        let q = seg;
        while (q < end) {
          const tc = data[q]! >> 4, th = data[q]! & 15;
          const counts = data.subarray(q + 1, q + 17);
          const total = counts.reduce((s, c) => s + c, 0);
          const table = buildHuffman(counts, data.subarray(q + 17, q + 17 + total));
          (tc === 0 ? dc : ac)[th] = table;
          q += 17 + total;
        }
        break;
      }
      case 0xdd: restartInterval = u16(seg); break;
      case 0xee: if (len >= 12 && String.fromCharCode(...data.subarray(seg, seg + 5)) === 'Adobe') adobeTransform = data[seg + 11]!; break;
      case 0xc0: case 0xc1: {
        if (frame) throw new CorruptPixelDataError('JPEG: more than one frame header');
        const precision = data[seg]!;
        if (precision !== 8 && precision !== 12) throw new UnsupportedPixelFormatError(`JPEG precision ${precision}`);
        const height = u16(seg + 1), width = u16(seg + 3), nf = data[seg + 5]!;
        if (!height || !width || nf < 1 || nf > 4) throw new CorruptPixelDataError(`JPEG frame ${width} × ${height} × ${nf}`);
        const comps: Component[] = [];
        for (let i = 0; i < nf; i++) {
          const o = seg + 6 + 3 * i;
          const h = data[o + 1]! >> 4, v = data[o + 1]! & 15;
          if (h < 1 || h > 4 || v < 1 || v > 4) throw new CorruptPixelDataError('JPEG sampling factors out of range');
          comps.push({ id: data[o]!, h, v, tq: data[o + 2]!, blocksPerLine: 0, blocksPerColumn: 0, coeffs: new Int32Array(0), pred: 0, td: 0, ta: 0 });
        }
        const hmax = Math.max(...comps.map((c) => c.h)), vmax = Math.max(...comps.map((c) => c.v));
        const mcusX = Math.ceil(width / (8 * hmax)), mcusY = Math.ceil(height / (8 * vmax));
        for (const c of comps) {
          c.blocksPerLine = mcusX * c.h;
          c.blocksPerColumn = mcusY * c.v;
          c.coeffs = new Int32Array(c.blocksPerLine * c.blocksPerColumn * 64);
        }
        frame = { precision, height, width, comps, hmax, vmax };
        break;
      }
      case 0xc2: case 0xc3: case 0xc5: case 0xc6: case 0xc7: case 0xc9: case 0xca: case 0xcb: case 0xcd: case 0xce: case 0xcf:
        throw new UnsupportedPixelFormatError(`JPEG SOF${marker - 0xc0} (progressive, hierarchical or arithmetic) is not supported`);
      case 0xda: { // SOS: decode the scan now
        if (!frame) throw new CorruptPixelDataError('JPEG: scan before frame header');
        const ns = data[seg]!;
        const scan: Component[] = [];
        for (let i = 0; i < ns; i++) {
          const c = frame.comps.find((x) => x.id === data[seg + 1 + 2 * i]);
          if (!c) throw new CorruptPixelDataError('JPEG: scan names an unknown component');
          c.td = data[seg + 2 + 2 * i]! >> 4;
          c.ta = data[seg + 2 + 2 * i]! & 15;
          c.pred = 0;
          scan.push(c);
        }
        p = decodeScan(data, end, frame, scan, restartInterval, dc, ac);
        continue;
      }
      default: break; // APPn, COM, DNL…: skip
    }
    p = end;
  }
  if (!frame) throw new CorruptPixelDataError('JPEG: no frame header');
  return { ...toSamples(frame, quant), adobeTransform };
}

function decodeScan(data: Uint8Array, start: number, frame: Frame, scan: Component[], restartInterval: number, dc: (Huffman | undefined)[], ac: (Huffman | undefined)[]): number {
  const reader = new BitReader(data, start);
  const single = scan.length === 1;
  const c0 = scan[0]!;
  const total = single
    ? Math.ceil(Math.ceil((frame.width * c0.h) / frame.hmax) / 8) * Math.ceil(Math.ceil((frame.height * c0.v) / frame.vmax) / 8)
    : Math.ceil(frame.width / (8 * frame.hmax)) * Math.ceil(frame.height / (8 * frame.vmax));
  const mcusX = single ? Math.ceil(Math.ceil((frame.width * c0.h) / frame.hmax) / 8) : Math.ceil(frame.width / (8 * frame.hmax));
  const decodeBlock = (c: Component, row: number, col: number) => {
    const d = dc[c.td], a = ac[c.ta];
    if (!d || !a) throw new CorruptPixelDataError('JPEG: missing Huffman table');
    const off = (row * c.blocksPerLine + col) * 64;
    if (off + 64 > c.coeffs.length) return; // padding blocks outside the stored area
    const t = reader.decode(d);
    if (t > 16) throw new CorruptPixelDataError('JPEG: DC category out of range');
    c.pred += extend(reader.receive(t), t);
    c.coeffs[off] = c.pred;
    for (let k = 1; k < 64;) {
      const rs = reader.decode(a);
      const r = rs >> 4, s = rs & 15;
      if (s === 0) { if (r === 15) { k += 16; continue; } break; }
      k += r;
      if (k > 63) throw new CorruptPixelDataError('JPEG: AC coefficient index past 63');
      c.coeffs[off + k] = extend(reader.receive(s), s); // stored in zig-zag order, dequantised later
      k++;
    }
  };
  for (let m = 0; m < total; m++) {
    if (restartInterval && m > 0 && m % restartInterval === 0) {
      reader.restart();
      for (const c of scan) c.pred = 0;
    }
    const my = Math.floor(m / mcusX), mx = m % mcusX;
    if (single) decodeBlock(c0, my, mx);
    else for (const c of scan) for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, my * c.v + v, mx * c.h + h);
  }
  // Continue after the entropy-coded data: find the next marker that is not RSTn or stuffing.
  let p = reader.pos;
  while (p + 1 < data.length && !(data[p] === 0xff && data[p + 1] !== 0 && !(data[p + 1]! >= 0xd0 && data[p + 1]! <= 0xd7))) p++;
  return p;
}

function toSamples(frame: Frame, quant: (Int32Array | undefined)[]): Omit<DctDecoded, 'adobeTransform'> {
  const { width, height, comps, hmax, vmax, precision } = frame;
  const max = (1 << precision) - 1, shift = 1 << (precision - 1);
  const n = comps.length;
  const out = precision > 8 ? new Uint16Array(width * height * n) : new Uint8Array(width * height * n);
  const block = new Float64Array(64), tmp = new Float64Array(64);
  comps.forEach((c, ci) => {
    const q = quant[c.tq];
    if (!q) throw new CorruptPixelDataError('JPEG: missing quantisation table');
    const planeW = c.blocksPerLine * 8;
    const plane = new Float32Array(planeW * c.blocksPerColumn * 8);
    for (let br = 0; br < c.blocksPerColumn; br++) {
      for (let bc = 0; bc < c.blocksPerLine; bc++) {
        const off = (br * c.blocksPerLine + bc) * 64;
        block.fill(0);
        for (let k = 0; k < 64; k++) block[ZIGZAG[k]!] = c.coeffs[off + k]! * q[k]!;
        // Separable inverse DCT: rows then columns.
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
          let s = 0;
          for (let u = 0; u < 8; u++) s += IDCT[u * 8 + x]! * block[y * 8 + u]!;
          tmp[y * 8 + x] = s;
        }
        for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) {
          let s = 0;
          for (let v = 0; v < 8; v++) s += IDCT[v * 8 + y]! * tmp[v * 8 + x]!;
          plane[(br * 8 + y) * planeW + bc * 8 + x] = s;
        }
      }
    }
    const sx = hmax / c.h, sy = vmax / c.v;
    for (let y = 0; y < height; y++) {
      const py = Math.floor(y / sy) * planeW;
      for (let x = 0; x < width; x++) {
        const v = Math.round(plane[py + Math.floor(x / sx)]! + shift);
        out[(y * width + x) * n + ci] = v < 0 ? 0 : v > max ? max : v;
      }
    }
  });
  return { width, height, components: n, precision, samples: out };
}
