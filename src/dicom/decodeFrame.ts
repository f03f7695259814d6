// One frame of a parsed instance → PixelFrame of stored values (before rescale), in source pixel space.
// Thread-neutral (decode worker and Node). Dispatches to the codec for the transfer syntax, then applies
// Bits Stored / High Bit, sign, planar configuration and YBR→RGB (PS3.3 C.7.6.3, PS3.5 §8 and Annex A).
import dicomParser from 'dicom-parser';
import { CorruptPixelDataError, InconsistentPixelModuleError } from '../shared/errors';
import type { InstanceHeader, PixelFrame, StoredArray } from '../shared/types';
import type { ParsedInstance } from './parseInstance';
import { decodeRle, decodeRle1Bit } from './codecs/decodeRle';
import { decodeDeflatedFrame } from './codecs/decodeDeflatedFrame';
import { decodeWithWasm } from './codecs/wasmCodecs';
import { decodeJpegDct } from './codecs/decodeJpegDct';
import { decodeJpegLossless } from './codecs/decodeJpegLossless';
import { decodeJpegBaseline } from './codecs/decodeJpegBaseline';
import { checkEncodedFrame } from './codecs/codestreamHeader';
import { planarToInterleaved, upsample422, ybrFullToRgb } from './color';
import { nativeFrameBits, pixelDataTag, validatePixelModule } from './validatePixelModule';
import type { TransferSyntax } from './transferSyntax';

/** The typed array for stored values of this header (natural type of the data). */
export function storedArrayType(h: InstanceHeader): { new (n: number): StoredArray; BYTES_PER_ELEMENT: number } {
  if (h.pixelKind === 'float32') return Float32Array;
  if (h.pixelKind === 'float64') return Float64Array;
  const signed = h.pixelRepresentation === 1;
  if (h.bitsAllocated <= 8) return signed ? Int8Array : Uint8Array;
  if (h.bitsAllocated <= 16) return signed ? Int16Array : Uint16Array;
  return signed ? Int32Array : Uint32Array;
}

/** Encoded bytes of frame `index` for encapsulated syntaxes (PS3.5 §A.4). */
function encapsulatedFrame(parsed: ParsedInstance, index: number): Uint8Array {
  const { dataSet, header: h } = parsed;
  const el = dataSet.elements[pixelDataTag(h)]!;
  const fragments = el.fragments!;
  try {
    if (h.frames === 1) {
      return fragments.length === 1
        ? dataSet.byteArray.subarray(fragments[0]!.position, fragments[0]!.position + fragments[0]!.length)
        : dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, el, 0, fragments.length);
    }
    if (el.basicOffsetTable && el.basicOffsetTable.length === h.frames) {
      return dicomParser.readEncapsulatedImageFrame(dataSet, el, index);
    }
    if (fragments.length === h.frames) {
      const f = fragments[index]!;
      return dataSet.byteArray.subarray(f.position, f.position + f.length);
    }
    // No offset table and several fragments per frame: frames start where a fragment starts with a JPEG SOI
    // or J2K SOC marker.
    const starts = fragments.map((f, i) => ({ f, i })).filter(({ f }) => {
      const b = dataSet.byteArray;
      return b[f.position] === 0xff && (b[f.position + 1] === 0xd8 || b[f.position + 1] === 0x4f);
    });
    if (starts.length !== h.frames) throw new InconsistentPixelModuleError(`Cannot find the start of frame ${index + 1} among ${fragments.length} fragments`);
    const first = starts[index]!.i;
    const next = index + 1 < starts.length ? starts[index + 1]!.i : fragments.length;
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, el, first, next - first);
  } catch (e) {
    if (e instanceof Error && e.name.endsWith('Error') && e.name !== 'Error') throw e;
    throw new CorruptPixelDataError(`Cannot read frame ${index + 1} from its fragments: ${String((e as Error)?.message ?? e)}`);
  }
}

/** Native frame → bytes in host (little endian) order; 1-bit frames are unpacked to one byte a pixel. */
function nativeFrame(parsed: ParsedInstance, ts: TransferSyntax, index: number): { bytes: Uint8Array; unpacked1Bit: boolean } {
  const { dataSet, header: h } = parsed;
  const el = dataSet.elements[pixelDataTag(h)]!;
  const frameBits = nativeFrameBits(h);
  if (h.bitsAllocated === 1) {
    // 1-bit frames are packed continuously, least significant bit first (PS3.5 §8.1.1).
    const n = h.rows * h.columns * h.samplesPerPixel;
    const out = new Uint8Array(n);
    const bitStart = index * frameBits;
    for (let k = 0; k < n; k++) {
      const bit = bitStart + k;
      out[k] = (dataSet.byteArray[el.dataOffset + (bit >> 3)]! >> (bit & 7)) & 1;
    }
    return { bytes: out, unpacked1Bit: true };
  }
  const frameBytes = frameBits / 8;
  const start = el.dataOffset + index * frameBytes;
  const wordSize = h.bitsAllocated / 8;
  // Big endian: swap each value; 8-bit data in an OW element was swapped in 16-bit words over the whole value,
  // pad byte included (PS3.5 §7.3). Swapping only applies to multi-byte units; 8-bit OB data is never swapped.
  const size = ts.littleEndian ? 1 : wordSize === 1 && el.vr === 'OW' ? 2 : wordSize;
  if (size === 1) return { bytes: dataSet.byteArray.slice(start, start + frameBytes), unpacked1Bit: false };
  // Swap whole words aligned to the element's start, so an odd frame length or an odd frame offset never lets
  // the pad byte (or the neighbouring frame's byte) take a sample's place.
  const lead = (start - el.dataOffset) % size;
  const span = Math.ceil((lead + frameBytes) / size) * size;
  const words = new Uint8Array(span); // copy: aligned, and ours to swap; zero where the element ends early
  words.set(dataSet.byteArray.subarray(start - lead, Math.min(start - lead + span, el.dataOffset + el.length, dataSet.byteArray.length)));
  for (let i = 0; i + size <= words.length; i += size) {
    for (let j = 0; j < size / 2; j++) {
      const t = words[i + j]!;
      words[i + j] = words[i + size - 1 - j]!;
      words[i + size - 1 - j] = t;
    }
  }
  const bytes = lead === 0 && span === frameBytes ? words : words.slice(lead, lead + frameBytes);
  return { bytes, unpacked1Bit: false };
}

/** Apply Bits Stored / High Bit: move the stored bits to the bottom, then mask or sign-extend (PS3.5 §8.1.1). */
function applyBitsStored(values: StoredArray, h: InstanceHeader): void {
  if (h.pixelKind !== 'int' || h.bitsAllocated === 1) return;
  const shift = h.highBit + 1 - h.bitsStored;
  if (h.bitsStored === h.bitsAllocated && shift === 0) return;
  const mask = h.bitsStored >= 32 ? 0xffffffff : 2 ** h.bitsStored - 1;
  const signBit = 2 ** (h.bitsStored - 1);
  const signed = h.pixelRepresentation === 1;
  const unsignedMask = h.bitsAllocated >= 32 ? 0xffffffff : 2 ** h.bitsAllocated - 1;
  for (let i = 0; i < values.length; i++) {
    // Work on the raw bit pattern of the allocated word.
    let v = (values[i]! & unsignedMask) >>> 0;
    v = Math.floor(v / 2 ** shift) & mask;
    values[i] = signed && v >= signBit ? v - 2 * signBit : v;
  }
}

/** Bytes → typed array of the header's natural type (copying into an aligned buffer when needed). */
function toStored(bytes: Uint8Array, h: InstanceHeader, samplesBytes: number): StoredArray {
  const Type = storedArrayType(h);
  if (samplesBytes === Type.BYTES_PER_ELEMENT) {
    const aligned = bytes.byteOffset % Type.BYTES_PER_ELEMENT === 0 ? bytes : bytes.slice();
    return new (Type as unknown as { new (b: ArrayBufferLike, o: number, n: number): StoredArray })(
      aligned.buffer, aligned.byteOffset, aligned.byteLength / Type.BYTES_PER_ELEMENT,
    );
  }
  // Codec output narrower or wider than Bits Allocated (e.g. 8-bit JPEG data in a 16-bit frame).
  const n = bytes.length / samplesBytes;
  const out = new Type(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = samplesBytes === 1 ? dv.getUint8(i) : samplesBytes === 2 ? dv.getUint16(2 * i, true) : dv.getUint32(4 * i, true);
  return out;
}

function minMax(data: StoredArray): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return data.length ? { min, max } : { min: 0, max: 0 };
}

interface Decoded { bytes: Uint8Array; bytesPerSample: number; planar: boolean; rgbDone: boolean }

/** Deflated Image Frame Compression: the inflated bytes are one native little endian frame (1-bit: packed, §8.1.1). */
function deflatedFrame(encoded: Uint8Array, h: InstanceHeader): Decoded {
  const bits = nativeFrameBits(h);
  const bytes = decodeDeflatedFrame(encoded, Math.ceil(bits / 8));
  if (h.bitsAllocated !== 1) return { bytes, bytesPerSample: h.bitsAllocated / 8, planar: h.planarConfiguration === 1, rgbDone: false };
  const out = new Uint8Array(bits);
  for (let k = 0; k < bits; k++) out[k] = (bytes[k >> 3]! >> (k & 7)) & 1;
  return { bytes: out, bytesPerSample: 1, planar: false, rgbDone: false };
}

async function decodeEncapsulated(parsed: ParsedInstance, ts: TransferSyntax, index: number): Promise<Decoded> {
  const h = parsed.header;
  const encoded = encapsulatedFrame(parsed, index);
  const bytesPerSample = Math.ceil(h.bitsAllocated / 8);
  // The codecs allocate by their own header: refuse one that disagrees with the DICOM header before decoding.
  const declared = checkEncodedFrame(ts.encoding, encoded, h);
  switch (ts.encoding) {
    case 'rle':
      if (h.bitsAllocated === 1) return { bytes: decodeRle1Bit(encoded, h.rows, h.columns, h.samplesPerPixel), bytesPerSample: 1, planar: false, rgbDone: false };
      return { bytes: decodeRle(encoded, h.rows, h.columns, h.samplesPerPixel, bytesPerSample), bytesPerSample, planar: true, rgbDone: false };
    case 'deflated-frame':
      return deflatedFrame(encoded, h);
    case 'jpeg-lossless': {
      const out = decodeJpegLossless(encoded, bytesPerSample);
      return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), bytesPerSample: out.BYTES_PER_ELEMENT, planar: false, rgbDone: false };
    }
    case 'jpeg-baseline':
    case 'jpeg-extended': {
      if (declared!.precision > 8) {
        // 12-bit (process 4): our own sequential DCT decoder; libjpeg-turbo's build here is 8-bit only.
        const d = decodeJpegDct(encoded);
        const rgb = d.components === 3 && d.adobeTransform !== 0 && h.photometricInterpretation !== 'RGB';
        return { bytes: new Uint8Array(d.samples.buffer), bytesPerSample: 2, planar: false, rgbDone: !rgb && d.components === 3 };
      }
      const j = await decodeJpegBaseline(encoded, h.photometricInterpretation);
      return { bytes: j.pixels, bytesPerSample: j.bitsPerSample > 8 ? 2 : 1, planar: false, rgbDone: j.converted };
    }
    case 'jpeg-ls': {
      const { pixels, info } = await decodeWithWasm('charls', encoded);
      // CharLS always returns interleaved samples, whatever the stream's interleave mode.
      return { bytes: pixels, bytesPerSample: info.bitsPerSample > 8 ? 2 : 1, planar: false, rgbDone: false };
    }
    case 'jpeg2000':
    case 'htj2k': {
      const { pixels, info } = await decodeWithWasm(ts.encoding === 'htj2k' ? 'openjph' : 'openjpeg', encoded);
      return { bytes: pixels, bytesPerSample: info.bitsPerSample > 8 ? 2 : 1, planar: false, rgbDone: h.photometricInterpretation === 'YBR_ICT' || h.photometricInterpretation === 'YBR_RCT' };
    }
    default:
      throw new InconsistentPixelModuleError(`No decoder for ${ts.name}`);
  }
}

export async function decodeFrame(parsed: ParsedInstance, index: number): Promise<PixelFrame> {
  const h = parsed.header;
  const ts = validatePixelModule(h, parsed.dataSet);
  if (!Number.isInteger(index) || index < 0 || index >= h.frames) throw new RangeError(`Frame ${index} of ${h.frames}`);
  const pixels = h.rows * h.columns;
  let decoded: Decoded;
  if (ts.encoding === 'native') {
    const { bytes, unpacked1Bit } = nativeFrame(parsed, ts, index);
    decoded = { bytes, bytesPerSample: unpacked1Bit ? 1 : h.bitsAllocated / 8, planar: h.planarConfiguration === 1, rgbDone: false };
  } else {
    decoded = await decodeEncapsulated(parsed, ts, index);
  }
  const subsampled = (ts.encoding === 'native' || ts.encoding === 'deflated-frame') && h.photometricInterpretation === 'YBR_FULL_422' && h.samplesPerPixel === 3;
  const expectedSamples = subsampled ? pixels * 2 : pixels * h.samplesPerPixel;
  if (decoded.bytes.length !== expectedSamples * decoded.bytesPerSample) {
    throw new CorruptPixelDataError(
      `Frame ${index + 1} decodes to ${decoded.bytes.length} bytes; ${h.rows} × ${h.columns} × ${h.samplesPerPixel} at ${decoded.bytesPerSample} bytes a sample needs ${expectedSamples * decoded.bytesPerSample}`,
    );
  }
  let data = toStored(decoded.bytes, h, decoded.bytesPerSample);
  applyBitsStored(data, h);
  if (h.samplesPerPixel === 3) {
    if (subsampled) data = upsample422(data, h.rows, h.columns);
    else if (decoded.planar) data = planarToInterleaved(data, pixels);
    const ybr = h.photometricInterpretation === 'YBR_FULL' || h.photometricInterpretation === 'YBR_FULL_422';
    if (ybr && !decoded.rgbDone) ybrFullToRgb(data, h.bitsStored);
  }
  const { min, max } = minMax(data);
  return { rows: h.rows, columns: h.columns, samples: h.samplesPerPixel === 3 ? 3 : 1, data, min, max };
}
