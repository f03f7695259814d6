// What a file that could not be loaded means to the person who opened it: one sentence per error name, about their
// file, never the parser's internal text (that stays available as the detail). Thread-neutral, pure.
import type { ErrorInfo } from './errors';

const SENTENCES: Record<string, string> = {
  NotDicomError: 'This file is not a DICOM image: it has no DICOM header.',
  TruncatedError: 'This file is cut short: it ends before its data does (an interrupted copy or download?).',
  UnsupportedTransferSyntaxError: 'This file is compressed in a way Lucid cannot decode.',
  CorruptPixelDataError: 'The image data in this file is damaged: it does not decode to the image its header describes.',
  InconsistentPixelModuleError: "This file's header contradicts itself about the image (size, frames or bit depth), so it cannot be shown safely.",
  UnsupportedPixelFormatError: 'This file holds a kind of image Lucid cannot show (its pixel format is not supported).',
  LimitExceededError: 'This file is larger, or nested more deeply, than Lucid reads safely.',
  NoPixelDataError: 'This file has no image: it is a DICOM object such as a report, a plan or a waveform.',
  MalformedDicomError: 'The DICOM structure of this file is broken, so it cannot be read.',
  DecodeTimeoutError: 'Reading this file took too long, so it was stopped; the other files were not affected.',
  DecodeWorkerCrashedError: 'Reading this file crashed the image decoder, which was restarted; the other files were not affected.',
  FileReadError: 'The browser could not read this file (was it moved or deleted?).',
  NotReadableError: 'The browser could not read this file (was it moved or deleted?).',
};

/** A sentence for the person who opened the file, and the technical detail behind it. */
export function describeFileError(error: ErrorInfo): { sentence: string; detail: string } {
  return { sentence: SENTENCES[error.name] ?? 'This file could not be read.', detail: error.message };
}
