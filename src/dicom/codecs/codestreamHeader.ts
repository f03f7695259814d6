// Reads the frame size, component count and bit depth a compressed frame declares in its own header, and checks
// them against the Image Pixel module BEFORE any codec allocates: codecs size their buffers by their header, not by
// Rows/Columns, so a 10 KB JPEG whose SOF says 65535 × 65535 would otherwise grow the process by gigabytes.
// Thread-neutral, pure, reads only a few hundred bytes; never decodes. Throws CorruptPixelDataError.
import { CorruptPixelDataError } from '../../shared/errors';

export interface CodestreamHeader {
  width: number;
  height: number;
  components: number;
  /** Bits per sample (the largest over the components for J2K). */
  precision: number;
  /** JPEG family: the SOFn marker byte (0xC0–0xCF, 0xF7 for JPEG-LS); J2K: 0x51 (SIZ). */
  marker: number;
  /** JPEG family: components in the first scan (jpeg-lossless-decoder-js sizes its output by it). */
  scanComponents?: number;
}

/** What the DICOM header promises for one frame (PS3.3 C.7.6.3). */
export interface FrameExpectation { rows: number; columns: number; samplesPerPixel: number; bitsAllocated: number }

const fail = (msg: string): never => { throw new CorruptPixelDataError(msg); };

/**
 * JPEG (ITU-T T.81) and JPEG-LS (T.87): walk the marker segments from SOI to the first SOS. Exactly one frame header
 * (SOF0–15 except DHT C4, JPG C8, DAC CC; or SOF55 F7) must come first; a JPEG-LS LSE type 4 (oversize dimensions,
 * T.87 C.2.4.1.4) must agree with it.
 */
export function readJpegHeader(b: Uint8Array): CodestreamHeader {
  if (b[0] !== 0xff || b[1] !== 0xd8) fail('JPEG frame does not start with SOI (FFD8)');
  let sof: CodestreamHeader | null = null;
  let p = 2;
  while (p + 1 < b.length) {
    if (b[p] !== 0xff) { p++; continue; } // stray bytes between segments: decoders skip them too
    const m = b[p + 1]!;
    if (m === 0xff) { p++; continue; } // fill byte
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { p += 2; continue; } // no length
    if (m === 0xd9) break;
    if (p + 3 >= b.length) break;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    const seg = p + 4, end = p + 2 + len;
    if (len < 2 || end > b.length) fail(`JPEG: marker FF${m.toString(16).toUpperCase()} length ${len} runs past the frame`);
    if ((m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xcc) || m === 0xf7) {
      if (m === 0xc8) fail('JPEG: reserved marker FFC8 where a frame header is expected');
      if (sof) fail('JPEG: more than one frame header (SOF) before the first scan');
      if (len < 8) fail('JPEG: frame header (SOF) too short');
      sof = { marker: m, precision: b[seg]!, height: (b[seg + 1]! << 8) | b[seg + 2]!, width: (b[seg + 3]! << 8) | b[seg + 4]!, components: b[seg + 5]! };
      if (len < 8 + 3 * sof.components) fail(`JPEG: frame header too short for ${sof.components} components`);
    } else if (m === 0xf8 && len >= 4 && b[seg] === 4) {
      // JPEG-LS oversize image dimension: Wxy bytes of Y then X.
      const wxy = b[seg + 1]!;
      if (wxy < 2 || wxy > 4 || len < 4 + 2 * wxy) fail('JPEG-LS: malformed oversize-dimension (LSE 4) segment');
      let y = 0, x = 0;
      for (let k = 0; k < wxy; k++) { y = y * 256 + b[seg + 2 + k]!; x = x * 256 + b[seg + 2 + wxy + k]!; }
      if (!sof || y !== sof.height || x !== sof.width) fail(`JPEG-LS: oversize dimensions ${x} × ${y} disagree with the frame header`);
    } else if (m === 0xda) {
      if (!sof) fail('JPEG: scan (SOS) before any frame header');
      sof!.scanComponents = b[seg]!;
      return sof!;
    }
    p = end;
  }
  return sof ?? fail('JPEG: no frame header (SOF) found');
}

/** Where the J2K codestream starts: 0 for a bare codestream, else inside the JP2 file's 'jp2c' box (ISO 15444-1 I.5). */
function j2kCodestreamStart(b: Uint8Array): number {
  if (b[0] === 0xff && b[1] === 0x4f) return 0;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let p = 0; p + 8 <= b.length;) {
    let len = dv.getUint32(p);
    const type = dv.getUint32(p + 4);
    let header = 8;
    if (len === 1) {
      if (p + 16 > b.length) break;
      len = dv.getUint32(p + 8) * 2 ** 32 + dv.getUint32(p + 12);
      header = 16;
    }
    if (type === 0x6a703263) return p + header; // 'jp2c'
    if (len === 0 || len < header) break; // 0 = box runs to the end; nothing follows it
    p += len;
  }
  return fail('JPEG 2000: no codestream (SOC FF4F or a JP2 jp2c box) found');
}

/** JPEG 2000 / HTJ2K (ISO 15444-1 A.5.1, 15444-15): the SIZ segment, which must follow SOC directly. */
export function readJ2kHeader(b: Uint8Array): CodestreamHeader {
  const s = j2kCodestreamStart(b);
  if (b[s] !== 0xff || b[s + 1] !== 0x4f) fail('JPEG 2000: codestream does not start with SOC (FF4F)');
  if (b[s + 2] !== 0xff || b[s + 3] !== 0x51) fail('JPEG 2000: SOC is not followed by SIZ (FF51)');
  if (s + 42 > b.length) fail('JPEG 2000: SIZ segment cut short');
  const dv = new DataView(b.buffer, b.byteOffset + s + 4);
  const lsiz = dv.getUint16(0);
  const [xsiz, ysiz, xo, yo, xt, yt, xto, yto] = [2, 6, 10, 14, 18, 22, 26, 30].map((o) => dv.getUint32(o + 2)) as [number, number, number, number, number, number, number, number];
  const csiz = dv.getUint16(36);
  if (lsiz !== 38 + 3 * csiz || s + 4 + lsiz > b.length) fail(`JPEG 2000: SIZ length ${lsiz} does not fit ${csiz} components`);
  if (xo >= xsiz || yo >= ysiz) fail(`JPEG 2000: image offset ${xo}, ${yo} outside ${xsiz} × ${ysiz}`);
  if (!xt || !yt || xto > xo || yto > yo || xto + xt <= xo || yto + yt <= yo) fail('JPEG 2000: SIZ tile grid is invalid');
  // Tile indices are 16-bit (Isot, A.4.2): more than 65535 tiles is not a valid codestream.
  const tiles = Math.ceil((xsiz - xto) / xt) * Math.ceil((ysiz - yto) / yt);
  if (tiles > 65535) fail(`JPEG 2000: ${tiles} tiles`);
  let precision = 0;
  for (let c = 0; c < csiz; c++) {
    // Ssiz: bit 7 = signed, bits 0–6 = depth − 1 (1–38 bits).
    const depth = (dv.getUint8(38 + 3 * c) & 0x7f) + 1;
    if (depth > 38) fail(`JPEG 2000: component ${c} depth ${depth}`);
    // XRsiz/YRsiz: a sub-sampled component is not Rows × Columns pixels, which is what the Image Pixel module (and
    // every decode here) describes; OpenJPH was seen to loop without end on such a header (fuzz seed 1, cases 30283
    // and 71790: 1.9 KB HTJ2K files, over 60 s inside the codec).
    const xr = dv.getUint8(39 + 3 * c), yr = dv.getUint8(40 + 3 * c);
    if (xr !== 1 || yr !== 1) fail(`JPEG 2000: component ${c} is sub-sampled ${xr} × ${yr}; the image's pixels are Rows × Columns`);
    precision = Math.max(precision, depth);
  }
  return { marker: 0x51, width: xsiz - xo, height: ysiz - yo, components: csiz, precision };
}

/** RLE (PS3.5 G.3.1): the 64-byte header's segment count must be samples × bytes a sample; offsets ascend in the frame. */
export function readRleHeader(b: Uint8Array, samples: number, bytesPerSample: number): number[] {
  if (b.length < 64) fail('RLE frame shorter than its 64-byte header');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const segments = dv.getUint32(0, true);
  const expected = samples * bytesPerSample;
  if (segments !== expected) fail(`RLE header has ${segments} segments, expected ${expected} (${samples} samples × ${bytesPerSample} bytes)`);
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) {
    const o = dv.getUint32(4 + 4 * s, true);
    if (o < 64 || o > b.length || (s > 0 && o < offsets[s - 1]!)) fail(`RLE segment ${s} offset ${o} out of range`);
    offsets.push(o);
  }
  return offsets;
}

/**
 * Check a JPEG-family or J2K header against the DICOM frame: same size, components = Samples per Pixel, and a bit
 * depth the Bits Allocated word can hold (precision may be below Bits Stored, e.g. 8-bit lossy of 12-bit data, and
 * above it, e.g. J2K of 16 bits for Bits Stored 14: both occur in real files). Signedness is not checked: files with a
 * J2K sign that contradicts Pixel Representation exist and decode.
 */
export function checkCodestreamHeader(kind: string, hdr: CodestreamHeader, e: FrameExpectation): CodestreamHeader {
  const where = `${kind} header`;
  if (hdr.width !== e.columns || hdr.height !== e.rows) {
    fail(`${where} says ${hdr.width} × ${hdr.height}; Columns × Rows is ${e.columns} × ${e.rows}`);
  }
  if (hdr.components !== e.samplesPerPixel) fail(`${where} has ${hdr.components} components; Samples per Pixel is ${e.samplesPerPixel}`);
  if (hdr.scanComponents !== undefined && (hdr.scanComponents < 1 || hdr.scanComponents > hdr.components)) {
    fail(`${where}: first scan has ${hdr.scanComponents} of ${hdr.components} components`);
  }
  const maxPrecision = hdr.marker === 0x51 ? 38 : 16;
  if (hdr.precision < 1 || hdr.precision > maxPrecision || hdr.precision > Math.max(e.bitsAllocated, 8)) {
    fail(`${where} says ${hdr.precision} bits a sample; Bits Allocated is ${e.bitsAllocated}`);
  }
  return hdr;
}

/** Read and check the header of one encoded frame; returns it (the caller picks a decoder by its precision). */
export function checkEncodedFrame(encoding: string, frame: Uint8Array, e: FrameExpectation): CodestreamHeader | null {
  switch (encoding) {
    case 'jpeg-baseline': case 'jpeg-extended': case 'jpeg-lossless': case 'jpeg-ls':
      return checkCodestreamHeader(encoding === 'jpeg-ls' ? 'JPEG-LS' : 'JPEG', readJpegHeader(frame), e);
    case 'jpeg2000': case 'htj2k':
      return checkCodestreamHeader(encoding === 'htj2k' ? 'HTJ2K' : 'JPEG 2000', readJ2kHeader(frame), e);
    case 'rle':
      readRleHeader(frame, e.samplesPerPixel, Math.ceil(e.bitsAllocated / 8));
      return null;
    default:
      return null;
  }
}
