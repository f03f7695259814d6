// Cross-thread data types: what the decode worker returns and the UI, CLI and viewer consume.
// Thread-neutral: plain data and typed arrays only (structured-clone and transfer friendly).

/** A palette colour LUT channel, already expanded from segmented form (PS3.3 C.7.9). */
export interface PaletteChannel {
  /** Number of entries (a descriptor value of 0 means 65536). */
  entries: number;
  /** First stored value mapped; stored values below map to entry 0, above to the last entry. */
  firstMapped: number;
  /** Bits per entry: 8 or 16. */
  bits: number;
  data: Uint16Array;
}
export interface Palette { red: PaletteChannel; green: PaletteChannel; blue: PaletteChannel }

/** Header facts of one DICOM instance (one file). Patient fields are kept so the UI can hide them. */
export interface InstanceHeader {
  transferSyntaxUID: string;
  sopClassUID: string;
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  studyDescription: string;
  seriesDescription: string;
  studyDate: string;
  seriesNumber: number | null;
  instanceNumber: number | null;
  modality: string;
  patientName: string;
  patientID: string;
  patientBirthDate: string;
  institutionName: string;
  /**
   * Patient Identity Removed (0012,0062) is YES (PS3.3 C.7.1.1, PS3.15 Annex E): the only condition under which
   * Lucid exports an instance or copies its patient module into a derived object.
   */
  patientIdentityRemoved: boolean;
  imageType: string[];
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  planarConfiguration: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  /** Stored values × slope + intercept = modality values (HU for CT), PS3.3 C.11.1. */
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number[];
  windowWidth: number[];
  /** Patient coordinates (LPS, mm) of the centre of the first transmitted pixel. */
  imagePositionPatient: [number, number, number] | null;
  /** Row direction cosines then column direction cosines (LPS). */
  imageOrientationPatient: [number, number, number, number, number, number] | null;
  /** [row spacing (between rows, mm), column spacing (mm)], PS3.3 C.7.6.2.1.1. */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  /** Slice Location (0020,1041), mm: where the scanner says this slice lies along its axis. */
  sliceLocation: number | null;
  /** Nominal time between frames (ms), for cine. */
  frameTimeMs: number | null;
  /** 'int' for (7FE0,0010), 'float32' for Float Pixel Data, 'float64' for Double Float Pixel Data. */
  pixelKind: 'int' | 'float32' | 'float64' | 'none';
  palette: Palette | null;
}

export type StoredArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * One decoded frame in SOURCE-IMAGE PIXEL SPACE, stored values before rescale.
 * Grey: samples = 1. Colour: samples = 3, interleaved RGB (after YBR→RGB; PALETTE COLOR keeps indices, samples = 1).
 */
export interface PixelFrame {
  rows: number;
  columns: number;
  samples: 1 | 3;
  data: StoredArray;
  min: number;
  max: number;
}
