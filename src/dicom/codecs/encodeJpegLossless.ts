// Minimal JPEG Lossless (ITU-T T.81 Annex H, process 14) encoder for fixtures and derived series:
// one Huffman table with fixed 5-bit codes for the 17 difference categories, any predictor 1–7, Pt = 0.
// Thread-neutral, pure. Input: interleaved samples (1 or 3 components), precision 2–16 bits.
import { JpegBitWriter } from './jpegBitWriter';

function predict(sel: number, ra: number, rb: number, rc: number): number {
  switch (sel) {
    case 1: return ra;
    case 2: return rb;
    case 3: return rc;
    case 4: return ra + rb - rc;
    case 5: return ra + ((rb - rc) >> 1);
    case 6: return rb + ((ra - rc) >> 1);
    default: return (ra + rb) >> 1;
  }
}

export function encodeJpegLossless(samples: ArrayLike<number>, rows: number, columns: number, components: 1 | 3, precision: number, predictor = 1): Uint8Array {
  const head: number[] = [0xff, 0xd8];
  // SOF3: lossless, Huffman.
  head.push(0xff, 0xc3, 0, 8 + 3 * components, precision, rows >> 8, rows & 0xff, columns >> 8, columns & 0xff, components);
  for (let c = 0; c < components; c++) head.push(c + 1, 0x11, 0);
  // DHT: class 0, id 0; 17 symbols (categories 0–16) with 5-bit codes.
  const counts = new Array(16).fill(0);
  counts[4] = 17;
  head.push(0xff, 0xc4, 0, 2 + 1 + 16 + 17, 0x00, ...counts, ...Array.from({ length: 17 }, (_, i) => i));
  // SOS: Ss = predictor, Se = 0, Ah/Al = 0.
  head.push(0xff, 0xda, 0, 6 + 2 * components, components);
  for (let c = 0; c < components; c++) head.push(c + 1, 0x00);
  head.push(predictor, 0, 0);

  const w = new JpegBitWriter();
  // Samples are coded as unsigned P-bit values: signed data keeps its two's complement bit pattern.
  const mask = precision >= 32 ? 0xffffffff : 2 ** precision - 1;
  const at = (r: number, col: number, c: number) => samples[(r * columns + col) * components + c]! & mask;
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < columns; col++) {
      for (let c = 0; c < components; c++) {
        let pred: number;
        if (r === 0 && col === 0) pred = 1 << (precision - 1);
        else if (r === 0) pred = at(r, col - 1, c);
        else if (col === 0) pred = at(r - 1, col, c);
        else pred = predict(predictor, at(r, col - 1, c), at(r - 1, col, c), at(r - 1, col - 1, c));
        let diff = (at(r, col, c) - pred) & 0xffff;
        if (diff >= 0x8000) diff -= 0x10000;
        const ssss = diff === -32768 ? 16 : diff === 0 ? 0 : 32 - Math.clz32(Math.abs(diff));
        w.write(ssss, 5);
        if (ssss > 0 && ssss < 16) w.write(diff > 0 ? diff : diff + (1 << ssss) - 1, ssss);
      }
    }
  }
  return Uint8Array.from([...head, ...w.finish(), 0xff, 0xd9]);
}
