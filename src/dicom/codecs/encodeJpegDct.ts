// Sequential DCT JPEG encoder (SOF1, 8- or 12-bit, one component) for fixtures and the benchmark: forward DCT,
// a uniform quantiser, and flat Huffman tables (5-bit DC codes, 8-bit AC codes) that cover 12-bit categories.
// Thread-neutral, pure. Not tuned for size; it exists so the 12-bit decode path has known answers.
import { JpegBitWriter } from './jpegBitWriter';
import { DCT_BASIS, ZIGZAG } from './decodeJpegDct';

function category(v: number): number {
  return v === 0 ? 0 : 32 - Math.clz32(Math.abs(v));
}

/** AC symbols in table order: EOB, ZRL, then (run, size) for run 0–15, size 1–14. */
const AC_SYMBOLS = [0x00, 0xf0, ...Array.from({ length: 16 * 14 }, (_, i) => ((i / 14) | 0) * 16 + (i % 14) + 1)];

export function encodeJpegDct(samples: ArrayLike<number>, rows: number, columns: number, precision: 8 | 12, quantStep = 1): Uint8Array {
  const head: number[] = [0xff, 0xd8];
  // DQT: 16-bit entries for 12-bit data (Pq = 1), 8-bit otherwise.
  const pq = precision === 12 ? 1 : 0;
  head.push(0xff, 0xdb, 0, 2 + 1 + 64 * (pq ? 2 : 1), (pq << 4) | 0);
  for (let k = 0; k < 64; k++) { if (pq) head.push(quantStep >> 8, quantStep & 0xff); else head.push(quantStep); }
  head.push(0xff, 0xc1, 0, 11, precision, rows >> 8, rows & 0xff, columns >> 8, columns & 0xff, 1, 1, 0x11, 0);
  const dcCounts = new Array(16).fill(0); dcCounts[4] = 16;
  head.push(0xff, 0xc4, 0, 2 + 17 + 16, 0x00, ...dcCounts, ...Array.from({ length: 16 }, (_, i) => i));
  const acCounts = new Array(16).fill(0); acCounts[7] = AC_SYMBOLS.length;
  head.push(0xff, 0xc4, (2 + 17 + AC_SYMBOLS.length) >> 8, (2 + 17 + AC_SYMBOLS.length) & 0xff, 0x10, ...acCounts, ...AC_SYMBOLS);
  head.push(0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0);
  const acCode = new Map(AC_SYMBOLS.map((s, i) => [s, i]));
  const w = new JpegBitWriter();
  const shift = 1 << (precision - 1);
  const block = new Float64Array(64), tmp = new Float64Array(64);
  let pred = 0;
  for (let br = 0; br < Math.ceil(rows / 8); br++) {
    for (let bc = 0; bc < Math.ceil(columns / 8); bc++) {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
        const r = Math.min(rows - 1, br * 8 + y), c = Math.min(columns - 1, bc * 8 + x); // edge replication
        block[y * 8 + x] = samples[r * columns + c]! - shift;
      }
      // Forward DCT (transpose of the inverse basis).
      for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) {
        let s = 0;
        for (let x = 0; x < 8; x++) s += DCT_BASIS[u * 8 + x]! * block[y * 8 + x]!;
        tmp[y * 8 + u] = s;
      }
      const coeffs = new Int32Array(64);
      for (let u = 0; u < 8; u++) for (let v = 0; v < 8; v++) {
        let s = 0;
        for (let y = 0; y < 8; y++) s += DCT_BASIS[v * 8 + y]! * tmp[y * 8 + u]!;
        coeffs[v * 8 + u] = Math.round(s / quantStep);
      }
      const diff = coeffs[0]! - pred;
      pred = coeffs[0]!;
      const t = category(diff);
      w.write(t, 5);
      if (t) w.write(diff > 0 ? diff : diff + (1 << t) - 1, t);
      let run = 0;
      for (let k = 1; k < 64; k++) {
        const v = coeffs[ZIGZAG[k]!]!;
        if (v === 0) { run++; continue; }
        while (run > 15) { w.write(acCode.get(0xf0)!, 8); run -= 16; }
        const s = category(v);
        w.write(acCode.get(run * 16 + s)!, 8);
        w.write(v > 0 ? v : v + (1 << s) - 1, s);
        run = 0;
      }
      if (run) w.write(acCode.get(0x00)!, 8);
    }
  }
  return Uint8Array.from([...head, ...w.finish(), 0xff, 0xd9]);
}
