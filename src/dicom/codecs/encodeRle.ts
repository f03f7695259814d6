// RLE Lossless encoder (PS3.5 Annex G), the inverse of decodeRle: samples × bytes segments, PackBits each.
// Thread-neutral, pure. Input: interleaved samples in host (little endian) order.

function packBits(src: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let run = 1;
    while (i + run < src.length && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 2) {
      out.push(257 - run, src[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < src.length && i - start < 128 && !(i + 1 < src.length && src[i + 1] === src[i])) i++;
    if (i === start) i++;
    out.push(i - start - 1, ...src.subarray(start, i));
  }
  return out;
}

export function encodeRle(pixels: Uint8Array, rows: number, columns: number, samples: number, bytesPerSample: number): Uint8Array {
  const n = rows * columns;
  const segments: number[][] = [];
  for (let s = 0; s < samples; s++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      const seg = new Uint8Array(n);
      for (let p = 0; p < n; p++) seg[p] = pixels[(p * samples + s) * bytesPerSample + b]!;
      const packed = packBits(seg);
      if (packed.length % 2) packed.push(128); // pad to even with a no-op
      segments.push(packed);
    }
  }
  const total = 64 + segments.reduce((sum, seg) => sum + seg.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((seg, k) => {
    dv.setUint32(4 + 4 * k, offset, true);
    out.set(seg, offset);
    offset += seg.length;
  });
  return out;
}
