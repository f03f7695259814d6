// JPEG Lossless (ITU-T T.81 process 14, any predictor) through jpeg-lossless-decoder-js, with a work-around for
// the library's end-of-scan bug. Thread-neutral, pure. Output: interleaved samples, 1 or 2 bytes a sample.
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import { CorruptPixelDataError } from '../../shared/errors';

/** Bytes put between the last entropy-coded byte and EOI (two zero bytes; they are never decoded as samples). */
const PAD = 2;

/**
 * jpeg-lossless-decoder-js 2.1.2 reads one byte ahead to look up a Huffman code. When the last sample's code ends
 * exactly on a byte boundary and needs no extra bits (difference 0, or category 16), that look-ahead reads the EOI
 * marker and `getHuffmanValue` returns the marker instead of the code, so the last sample is never written and
 * stays 0 (a CT's bottom-right −2000 read as 0). Padding the entropy-coded segment before EOI keeps the look-ahead
 * off the marker; bits after the last sample are ignored by T.81 (F.1.2.3 padding), so this changes nothing else.
 */
export function padBeforeEoi(encoded: Uint8Array): Uint8Array {
  // EOI is normally the last two bytes; DICOM fragments may add one byte of padding (PS3.5 §A.4), so look back a little.
  for (let p = encoded.length - 2; p >= Math.max(2, encoded.length - 8); p--) {
    if (encoded[p] === 0xff && encoded[p + 1] === 0xd9) {
      const out = new Uint8Array(encoded.length + PAD);
      out.set(encoded.subarray(0, p), 0);
      out.set(encoded.subarray(p), p + PAD); // the PAD bytes between are zeros
      return out;
    }
  }
  // No EOI near the end: append padding so the look-ahead still finds bytes rather than the end of the buffer.
  const out = new Uint8Array(encoded.length + PAD);
  out.set(encoded);
  return out;
}

export function decodeJpegLossless(encoded: Uint8Array, bytesPerSample: number): Uint8Array | Uint16Array {
  const padded = padBeforeEoi(encoded); // a fresh buffer (never a SharedArrayBuffer), padded
  try {
    return new JpegLosslessDecoder().decode(padded.buffer as ArrayBuffer, 0, padded.length, bytesPerSample) as Uint8Array | Uint16Array;
  } catch (e) {
    throw new CorruptPixelDataError(`JPEG Lossless data does not decode: ${(e as Error).message}`);
  }
}
