// Checks the Image Pixel module (PS3.3 C.7.6.3) for consistency and against LIMITS before any decode allocates.
// Thread-neutral, pure. Throws a named DicomError describing the first problem found.
import { inBounds } from './readValues';
import { keywordOf } from './dictionary';
import type { DataSet } from 'dicom-parser';
import {
  InconsistentPixelModuleError, LimitExceededError, NoPixelDataError, TruncatedError,
  UnsupportedPixelFormatError, UnsupportedTransferSyntaxError,
} from '../shared/errors';
import { LIMITS } from '../shared/limits';
import type { InstanceHeader } from '../shared/types';
import { TAG } from './tags';
import { TRANSFER_SYNTAX, type TransferSyntax } from './transferSyntax';

export const PHOTOMETRIC = ['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT', 'PALETTE COLOR'] as const;

export function pixelDataTag(h: InstanceHeader): string {
  return h.pixelKind === 'float32' ? TAG.FloatPixelData : h.pixelKind === 'float64' ? TAG.DoubleFloatPixelData : TAG.PixelData;
}

/** Bytes one native (uncompressed) frame occupies; 1-bit frames are counted in bits, see nativeFrameBits. */
export function nativeFrameBits(h: InstanceHeader): number {
  const samples = h.photometricInterpretation === 'YBR_FULL_422' && h.samplesPerPixel === 3 ? 2 : h.samplesPerPixel;
  return h.rows * h.columns * samples * h.bitsAllocated;
}

export function validatePixelModule(h: InstanceHeader, ds: DataSet): TransferSyntax {
  if (h.pixelKind === 'none') {
    // A header that describes an image (the Image Pixel module's sizes) with no pixels after it was cut short; an
    // object without an image (SR, plan, waveform) has no such sizes.
    if (h.rows > 0 && h.columns > 0 && h.bitsAllocated > 0) throw new TruncatedError(`File ends before its pixel data: the header describes a ${h.columns} × ${h.rows} image and no pixels follow`);
    // Cut inside an element (its value runs past the end): everything after it, pixels included, is gone.
    const cut = Object.entries(ds.elements).find(([, el]) => el.length !== 0xffffffff && !inBounds(ds, el));
    if (cut) throw new TruncatedError(`File ends inside ${keywordOf(cut[0])}: the header is cut short and no pixels follow`);
    throw new NoPixelDataError(`No pixel data (SOP class ${h.sopClassUID || 'unknown'})`);
  }
  const ts = TRANSFER_SYNTAX[h.transferSyntaxUID];
  if (!ts) throw new UnsupportedTransferSyntaxError(`Transfer syntax ${h.transferSyntaxUID || '(none)'} is not supported`);
  if (h.rows < 1 || h.columns < 1) throw new InconsistentPixelModuleError(`Rows × Columns is ${h.rows} × ${h.columns}`);
  if (h.rows > LIMITS.maxDimension || h.columns > LIMITS.maxDimension) {
    throw new LimitExceededError(`Image of ${h.rows} × ${h.columns} exceeds ${LIMITS.maxDimension} pixels a side`);
  }
  if (h.frames < 1 || h.frames > LIMITS.maxFrames) throw new InconsistentPixelModuleError(`Number of Frames is ${h.frames}`);
  if (h.samplesPerPixel !== 1 && h.samplesPerPixel !== 3) throw new UnsupportedPixelFormatError(`Samples per Pixel ${h.samplesPerPixel} (only 1 and 3 are defined for images)`);
  if (!(PHOTOMETRIC as readonly string[]).includes(h.photometricInterpretation)) {
    throw new UnsupportedPixelFormatError(`Photometric Interpretation "${h.photometricInterpretation}" is not supported`);
  }
  const colour = h.photometricInterpretation !== 'MONOCHROME1' && h.photometricInterpretation !== 'MONOCHROME2' && h.photometricInterpretation !== 'PALETTE COLOR';
  if (colour !== (h.samplesPerPixel === 3)) {
    throw new InconsistentPixelModuleError(`${h.photometricInterpretation} with Samples per Pixel ${h.samplesPerPixel}`);
  }
  if (h.pixelKind === 'int') {
    if (![1, 8, 16, 32].includes(h.bitsAllocated)) throw new UnsupportedPixelFormatError(`Bits Allocated ${h.bitsAllocated}`);
    if (h.bitsStored < 1 || h.bitsStored > h.bitsAllocated) throw new InconsistentPixelModuleError(`Bits Stored ${h.bitsStored} with Bits Allocated ${h.bitsAllocated}`);
    if (h.highBit < h.bitsStored - 1 || h.highBit >= h.bitsAllocated) throw new InconsistentPixelModuleError(`High Bit ${h.highBit} with Bits Stored ${h.bitsStored}`);
  }
  if (h.pixelRepresentation !== 0 && h.pixelRepresentation !== 1) throw new InconsistentPixelModuleError(`Pixel Representation ${h.pixelRepresentation}`);
  const frameBytes = Math.ceil(h.rows * h.columns * h.samplesPerPixel * Math.max(h.bitsAllocated, 8) / 8);
  if (frameBytes > LIMITS.maxFrameBytes) throw new LimitExceededError(`One frame would take ${frameBytes} bytes`);

  const el = ds.elements[pixelDataTag(h)]!;
  if (el.encapsulatedPixelData) {
    if (ts.encoding === 'native') throw new InconsistentPixelModuleError('Encapsulated pixel data in an uncompressed transfer syntax');
    checkEncapsulated(h, ds);
    return ts;
  }
  if (ts.encoding !== 'native') throw new InconsistentPixelModuleError(`${ts.name} but the pixel data is not encapsulated`);
  if (el.dataOffset + el.length > ds.byteArray.length) {
    throw new TruncatedError(`Pixel data claims ${el.length} bytes; the file holds ${Math.max(0, ds.byteArray.length - el.dataOffset)}`);
  }
  const neededBytes = Math.ceil((nativeFrameBits(h) * h.frames) / 8);
  if (el.length < neededBytes) {
    throw new InconsistentPixelModuleError(
      `Pixel data has ${el.length} bytes, but ${h.rows} × ${h.columns} × ${h.samplesPerPixel} samples × ${h.frames} frames × ${h.bitsAllocated} bits needs ${neededBytes}`,
    );
  }
  return ts;
}

const TAG_EXTENDED_OFFSET_TABLE = 'x7fe00001';

/**
 * Encapsulated Pixel Data (PS3.5 §A.4): every fragment inside the file, the Sequence Delimitation Item right after
 * the last one (a file cut inside its pixel data has none), and fragments enough for Number of Frames — one Basic
 * Offset Table entry a frame, each at a fragment's start; without a table at least one fragment a frame. An Extended
 * Offset Table (7FE0,0001), when present, has one 64-bit offset a frame (PS3.3 C.7.6.3.1.8).
 */
function checkEncapsulated(h: InstanceHeader, ds: DataSet): void {
  const el = ds.elements[pixelDataTag(h)]!;
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new TruncatedError('Encapsulated pixel data has no fragments');
  const b = ds.byteArray;
  for (const f of fragments) {
    if (f.position + f.length > b.length) throw new TruncatedError('A pixel data fragment runs past the end of the file');
  }
  const last = fragments[fragments.length - 1]!;
  const end = last.position + last.length;
  // (FFFE,E0DD) with length 0, always little endian in encapsulated syntaxes.
  const delimited = end + 8 <= b.length && b[end] === 0xfe && b[end + 1] === 0xff && b[end + 2] === 0xdd && b[end + 3] === 0xe0;
  if (!delimited) {
    throw new TruncatedError(`Encapsulated pixel data ends after ${fragments.length} fragments without its sequence delimiter (${h.frames} frames declared)`);
  }
  const bot = el.basicOffsetTable ?? [];
  if (bot.length > 0) {
    if (bot.length !== h.frames) throw new InconsistentPixelModuleError(`Basic Offset Table has ${bot.length} entries for ${h.frames} frames`);
    const starts = new Set(fragments.map((f) => f.offset));
    bot.forEach((o, i) => {
      if (!starts.has(o) || (i > 0 && o <= bot[i - 1]!)) {
        throw new InconsistentPixelModuleError(`Basic Offset Table entry ${i + 1} (${o}) is not the start of a fragment after the previous frame`);
      }
    });
  } else if (fragments.length < h.frames) {
    throw new InconsistentPixelModuleError(`${h.frames} frames but ${fragments.length} fragments and no offset table`);
  }
  const eot = ds.elements[TAG_EXTENDED_OFFSET_TABLE];
  if (eot && eot.length !== 8 * h.frames) {
    throw new InconsistentPixelModuleError(`Extended Offset Table has ${eot.length / 8} entries for ${h.frames} frames`);
  }
}
