// Transfer syntaxes Lucid reads, and how their pixel data is encoded (PS3.5 §10 and Annex A).
// Thread-neutral table; no decoding here.

export type PixelEncoding =
  | 'native'
  | 'rle'
  | 'jpeg-baseline'   // 8-bit DCT (process 1), libjpeg-turbo
  | 'jpeg-extended'   // 12-bit DCT (process 2 & 4); libjpeg-turbo 8-bit build handles 8-bit data only
  | 'jpeg-lossless'   // process 14 (any predictor) and 14 SV1
  | 'jpeg-ls'
  | 'jpeg2000'
  | 'htj2k'
  | 'deflated-frame'; // each frame's native bytes deflated on their own (PS3.5 §8.2.15), fflate

export interface TransferSyntax {
  uid: string;
  name: string;
  littleEndian: boolean;
  explicitVR: boolean;
  deflated: boolean;
  encoding: PixelEncoding;
  lossy: boolean;
}

function ts(uid: string, name: string, encoding: PixelEncoding, o: Partial<TransferSyntax> = {}): TransferSyntax {
  return { uid, name, encoding, littleEndian: true, explicitVR: true, deflated: false, lossy: false, ...o };
}

export const TRANSFER_SYNTAX: Readonly<Record<string, TransferSyntax>> = Object.freeze(
  Object.fromEntries(
    [
      ts('1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native', { explicitVR: false }),
      ts('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native'),
      ts('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native', { deflated: true }),
      ts('1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'native', { littleEndian: false }),
      ts('1.2.840.10008.1.2.5', 'RLE Lossless', 'rle'),
      ts('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-baseline', { lossy: true }),
      ts('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-extended', { lossy: true }),
      // Retired progressive syntaxes (SOF2): libjpeg-turbo decodes the 8-bit processes 6 and 10; 12-bit (8, 12)
      // reaches our sequential decoder, which refuses SOF2 by name (UnsupportedPixelFormatError).
      ts('1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (Retired)', 'jpeg-extended', { lossy: true }),
      ts('1.2.840.10008.1.2.4.55', 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)', 'jpeg-extended', { lossy: true }),
      ts('1.2.840.10008.1.2.4.57', 'JPEG Lossless (Process 14)', 'jpeg-lossless'),
      ts('1.2.840.10008.1.2.4.70', 'JPEG Lossless SV1 (Process 14, predictor 1)', 'jpeg-lossless'),
      ts('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'),
      ts('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'jpeg-ls', { lossy: true }),
      ts('1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless', 'jpeg2000'),
      ts('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg2000', { lossy: true }),
      ts('1.2.840.10008.1.2.4.201', 'HTJ2K Lossless', 'htj2k'),
      ts('1.2.840.10008.1.2.4.202', 'HTJ2K Lossless RPCL', 'htj2k'),
      ts('1.2.840.10008.1.2.4.203', 'HTJ2K', 'htj2k', { lossy: true }),
      ts('1.2.840.10008.1.2.8.1', 'Deflated Image Frame Compression', 'deflated-frame'),
    ].map((t) => [t.uid, t]),
  ),
);

export const TS_UID = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflatedLE: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegSpectralSelection: '1.2.840.10008.1.2.4.53',
  jpegFullProgression: '1.2.840.10008.1.2.4.55',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLS: '1.2.840.10008.1.2.4.80',
  jpegLSNear: '1.2.840.10008.1.2.4.81',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2kRPCL: '1.2.840.10008.1.2.4.202',
  htj2k: '1.2.840.10008.1.2.4.203',
  deflatedFrame: '1.2.840.10008.1.2.8.1',
} as const;

export function isEncapsulated(t: TransferSyntax): boolean {
  return t.encoding !== 'native';
}
