// One file's bytes → the inspect record the CLI prints (and the tests and benchmark reuse).
// Thread-neutral. Never throws for bad input: failures become { ok: false, error: { name, message } }.
import { toErrorInfo, type ErrorInfo } from '../shared/errors';
import type { PixelFrame } from '../shared/types';
import { parseInstance } from './parseInstance';
import { decodeFrame } from './decodeFrame';
import { validatePixelModule } from './validatePixelModule';

export interface InspectRecord {
  path: string;
  ok: boolean;
  error?: ErrorInfo;
  modality?: string;
  transferSyntaxUID?: string;
  photometricInterpretation?: string;
  rows?: number;
  columns?: number;
  frames?: number;
  samplesPerPixel?: number;
  bitsAllocated?: number;
  bitsStored?: number;
  pixelRepresentation?: number;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  pixelsFile?: string;
}

/** Parse, validate and decode frame 0 (every frame when `allFrames`), so a record with ok: true is displayable. */
export async function inspectBytes(path: string, bytes: Uint8Array, opts: { allFrames?: boolean } = {}): Promise<{ record: InspectRecord; frame?: PixelFrame }> {
  const record: InspectRecord = { path, ok: false };
  try {
    const parsed = parseInstance(bytes);
    const h = parsed.header;
    Object.assign(record, {
      modality: h.modality,
      transferSyntaxUID: h.transferSyntaxUID,
      photometricInterpretation: h.photometricInterpretation,
      rows: h.rows,
      columns: h.columns,
      frames: h.frames,
      samplesPerPixel: h.samplesPerPixel,
      bitsAllocated: h.bitsAllocated,
      bitsStored: h.bitsStored,
      pixelRepresentation: h.pixelRepresentation,
      rescaleSlope: h.rescaleSlope,
      rescaleIntercept: h.rescaleIntercept,
    });
    validatePixelModule(h, parsed.dataSet);
    const frame = await decodeFrame(parsed, 0);
    if (opts.allFrames) for (let i = 1; i < h.frames; i++) await decodeFrame(parsed, i);
    record.ok = true;
    return { record, frame };
  } catch (e) {
    record.error = toErrorInfo(e);
    return { record };
  }
}
