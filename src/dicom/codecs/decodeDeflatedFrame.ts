// Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 §8.2.15 and A.4.13): each frame's native
// little endian bytes deflated (RFC 1951) on their own, one frame a fragment. Thread-neutral, pure.
// Inflates in small input slices and refuses a frame as soon as it would pass its expected size (a deflate bomb
// costs at most ~4 MiB and milliseconds past the cap); it never allocates by what the stream claims.
import { Inflate } from 'fflate';
import { CorruptPixelDataError } from '../../shared/errors';

/** Input bytes a push: deflate expands at most ~1032:1, so one push yields at most ~4 MiB. */
const SLICE = 4096;

/** `expectedBytes` is the native frame's size; the result has exactly that many bytes. */
export function decodeDeflatedFrame(encoded: Uint8Array, expectedBytes: number): Uint8Array {
  const out = new Uint8Array(expectedBytes);
  let n = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (n + chunk.length > expectedBytes) {
      throw new CorruptPixelDataError(`Deflated frame inflates past its expected ${expectedBytes} bytes`);
    }
    out.set(chunk, n);
    n += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < encoded.length && !ended; i += SLICE) {
      const last = i + SLICE >= encoded.length;
      inflater.push(encoded.subarray(i, i + SLICE), last);
    }
  } catch (e) {
    if (e instanceof CorruptPixelDataError) throw e;
    throw new CorruptPixelDataError(`Deflated frame does not inflate: ${(e as Error).message}`);
  }
  if (n !== expectedBytes) throw new CorruptPixelDataError(`Deflated frame inflates to ${n} bytes; ${expectedBytes} expected`);
  return out;
}
