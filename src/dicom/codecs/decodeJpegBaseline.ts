// 8-bit DCT JPEG (baseline, extended, progressive) through libjpeg-turbo, with the colour space of three-component
// streams settled the way T.81 readers do (JFIF, Adobe APP14, component ids) and, when the stream says nothing,
// by the DICOM Photometric Interpretation (PS3.5 §8.2.1: RGB means the components were not transformed).
// Thread-neutral, pure apart from the lazily loaded WASM codec.
import { decodeWithWasm } from './wasmCodecs';

/** What a JPEG stream itself says about three components: 'ycc' (decoder converts to RGB), 'rgb' (stored as is), or null. */
export function jpegStreamColour(data: Uint8Array): 'ycc' | 'rgb' | null {
  let jfif = false, adobe: number | null = null;
  for (let p = 2; p + 3 < data.length;) {
    if (data[p] !== 0xff) { p++; continue; }
    const m = data[p + 1]!;
    if (m === 0xff) { p++; continue; }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { p += 2; continue; }
    if (m === 0xda || m === 0xd9) break;
    const len = (data[p + 2]! << 8) | data[p + 3]!;
    const seg = data.subarray(p + 4, p + 2 + len);
    if (m === 0xe0 && seg.length >= 5 && String.fromCharCode(...seg.subarray(0, 5)) === 'JFIF\0') jfif = true;
    if (m === 0xee && seg.length >= 12 && String.fromCharCode(...seg.subarray(0, 5)) === 'Adobe') adobe = seg[11]!;
    const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (isSof && seg.length >= 15 && seg[5] === 3) {
      // libjpeg's order (jdapimin.c default_decompress_parms): JFIF, then Adobe's transform flag, then the ids.
      if (jfif) return 'ycc';
      if (adobe !== null) return adobe === 0 ? 'rgb' : 'ycc';
      const ids = [seg[6], seg[9], seg[12]].join();
      if (ids === '1,2,3') return 'ycc';
      if (ids === '82,71,66') return 'rgb'; // 'R', 'G', 'B'
      return null;
    }
    p += 2 + len;
  }
  return null;
}

/** Adobe APP14, version 100, flags 0, transform 0 (T.872 §6.5.3): "components are not colour-transformed". */
const ADOBE_NO_TRANSFORM = [0xff, 0xee, 0, 14, 0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 0];

export interface Jpeg8Decoded { pixels: Uint8Array; bitsPerSample: number; converted: boolean }

/**
 * Decode with libjpeg-turbo. `converted` is true when the codec turned YCbCr into RGB. A three-component stream
 * without JFIF, Adobe marker or the usual ids (1,2,3 or R,G,B) is taken as YCbCr by libjpeg; when DICOM calls it
 * RGB we insert an Adobe "no transform" marker after SOI so the samples come out as stored.
 */
export async function decodeJpegBaseline(encoded: Uint8Array, photometric: string): Promise<Jpeg8Decoded> {
  const said = jpegStreamColour(encoded);
  let input = encoded;
  if (said === null && photometric === 'RGB' && encoded[0] === 0xff && encoded[1] === 0xd8) {
    input = new Uint8Array(encoded.length + ADOBE_NO_TRANSFORM.length);
    input.set(encoded.subarray(0, 2), 0);
    input.set(ADOBE_NO_TRANSFORM, 2);
    input.set(encoded.subarray(2), 2 + ADOBE_NO_TRANSFORM.length);
  }
  const { pixels, info } = await decodeWithWasm('libjpeg-turbo', input);
  const converted = info.componentCount === 3 && (said === 'ycc' || (said === null && photometric !== 'RGB'));
  return { pixels, bitsPerSample: info.bitsPerSample, converted };
}
