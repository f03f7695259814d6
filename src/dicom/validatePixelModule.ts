// Checks the Image Pixel module (PS3.3 C.7.6.3) for consistency and against LIMITS before any decode allocates.
// Thread-neutral, pure. Throws a named DicomError describing the first problem found.
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
  if (h.pixelKind === 'none') throw new NoPixelDataError(`No pixel data (SOP class ${h.sopClassUID || 'unknown'})`);
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
    if (!el.fragments || el.fragments.length === 0) throw new TruncatedError('Encapsulated pixel data has no fragments');
    for (const f of el.fragments) {
      if (f.position + f.length > ds.byteArray.length) throw new TruncatedError('A pixel data fragment runs past the end of the file');
    }
    if (el.fragments.length < h.frames && h.frames > 1 && !(el.basicOffsetTable && el.basicOffsetTable.length === h.frames)) {
      throw new InconsistentPixelModuleError(`${h.frames} frames but ${el.fragments.length} fragments and no offset table`);
    }
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
