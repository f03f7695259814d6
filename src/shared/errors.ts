// Typed errors that cross threads by `name` (comlink serialises Error name + message).
// Thread-neutral: no DOM, no library imports. The UI switches on `err.name`, never on the message.

/** Every error name Lucid raises while reading DICOM. Stable: tests and the UI depend on them. */
export const DICOM_ERROR_NAMES = [
  'NotDicomError',
  'TruncatedError',
  'UnsupportedTransferSyntaxError',
  'CorruptPixelDataError',
  'InconsistentPixelModuleError',
  'UnsupportedPixelFormatError',
  'LimitExceededError',
  'NoPixelDataError',
  'MalformedDicomError',
] as const;
export type DicomErrorName = (typeof DICOM_ERROR_NAMES)[number];

/** An error whose `name` is one of a fixed family (the UI switches on it). */
class NamedError<N extends string> extends Error {
  override readonly name: N;
  constructor(name: N, message: string) {
    super(message);
    this.name = name;
  }
}

/** A plain Error carrying `name`, as errors arrive from another thread. */
export function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export class DicomError extends NamedError<DicomErrorName> {}

/** The file does not start like DICOM Part 10 (no "DICM" at 128) and does not parse as a bare dataset. */
export class NotDicomError extends DicomError {
  constructor(message: string) { super('NotDicomError', message); }
}
/** An element's length runs past the end of the bytes we have. */
export class TruncatedError extends DicomError {
  constructor(message: string) { super('TruncatedError', message); }
}
/** Transfer syntax we cannot decode (or do not know). */
export class UnsupportedTransferSyntaxError extends DicomError {
  constructor(message: string) { super('UnsupportedTransferSyntaxError', message); }
}
/** Compressed pixel data that the codec rejects or that decodes to the wrong size. */
export class CorruptPixelDataError extends DicomError {
  constructor(message: string) { super('CorruptPixelDataError', message); }
}
/** Image Pixel module attributes contradict each other or the pixel data length (PS3.3 C.7.6.3). */
export class InconsistentPixelModuleError extends DicomError {
  constructor(message: string) { super('InconsistentPixelModuleError', message); }
}
/** A valid but unsupported pixel format (e.g. an unknown photometric interpretation). */
export class UnsupportedPixelFormatError extends DicomError {
  constructor(message: string) { super('UnsupportedPixelFormatError', message); }
}
/** A hostile or absurd size: nesting too deep, inflated data too large, image too large. */
export class LimitExceededError extends DicomError {
  constructor(message: string) { super('LimitExceededError', message); }
}
/** A DICOM object without pixel data (SR, RT plan, …): valid, but nothing to show. */
export class NoPixelDataError extends DicomError {
  constructor(message: string) { super('NoPixelDataError', message); }
}

/** The dataset's structure is broken (bad item tags, impossible lengths) though it is not simply cut short. */
export class MalformedDicomError extends DicomError {
  constructor(message: string) { super('MalformedDicomError', message); }
}

/** A plain, serialisable description of an error, for lists, JSON output and crossing threads. */
export interface ErrorInfo { name: string; message: string }

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) return { name: err.name || 'Error', message: err.message };
  return { name: 'Error', message: String(err) };
}

/** True when `name` is one of ours (a known, expected failure) rather than a bug. */
export function isDicomErrorName(name: string): name is DicomErrorName {
  return (DICOM_ERROR_NAMES as readonly string[]).includes(name);
}

/** Every error name the inference engine raises. The UI shows them; the app keeps working. */
export const INFERENCE_ERROR_NAMES = ['ModelLoadError', 'ModelIntegrityError', 'InferenceCancelledError', 'UnsupportedImageError'] as const;
export type InferenceErrorName = (typeof INFERENCE_ERROR_NAMES)[number];

export class InferenceError extends NamedError<InferenceErrorName> {}
/** No execution provider could create a session for the model (bad file, unsupported operator, out of memory). */
export class ModelLoadError extends InferenceError {
  constructor(message: string) { super('ModelLoadError', message); }
}
/** The model bytes do not match the sha256 in models/catalog.ts (wrong or damaged file): never run. */
export class ModelIntegrityError extends InferenceError {
  constructor(message: string) { super('ModelIntegrityError', message); }
}
/** The image cannot be given to the model at all (colour, empty, too large). Out-of-distribution is a warning, not this. */
export class UnsupportedImageError extends InferenceError {
  constructor(message: string) { super('UnsupportedImageError', message); }
}

/** Every error name the browser storage layer (src/storage) raises. A failed write has left nothing half-written. */
export const STORAGE_ERROR_NAMES = ['StorageQuotaError', 'StorageWriteError', 'StorageUnavailableError'] as const;
export type StorageErrorName = (typeof STORAGE_ERROR_NAMES)[number];

export class StorageError extends NamedError<StorageErrorName> {}

/** What the user can do when the browser refuses more data for this site. Shown as the error's message. */
export const STORAGE_QUOTA_ADVICE =
  'The browser has no more storage space for Lucid, so this change was not saved (what was saved before is intact). ' +
  'To make room: delete teaching sets you no longer use, or export them as packets and then remove them; ' +
  'free disk space on this device; and allow persistent storage when Lucid asks, so the browser does not limit or evict it.';

/** The browser's storage quota for the site is used up (IndexedDB's QuotaExceededError); nothing was written. */
export class StorageQuotaError extends StorageError {
  constructor(message = STORAGE_QUOTA_ADVICE) { super('StorageQuotaError', message); }
}
/** A write failed for another reason (aborted, closed, data that cannot be stored); nothing was written. `cause` has the original. */
export class StorageWriteError extends StorageError {
  constructor(message: string, cause?: unknown) {
    super('StorageWriteError', message);
    if (cause !== undefined) this.cause = cause;
  }
}
/** IndexedDB cannot be opened here (absent, blocked by the browser's settings, or a private window that refuses it). */
export class StorageUnavailableError extends StorageError {
  constructor(message: string, cause?: unknown) {
    super('StorageUnavailableError', message);
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * Every error name a teaching packet (.lucid.zip, src/teaching/packet) raises on export or import. An import that
 * fails has written nothing: the packet is checked completely before storage is touched.
 */
export const PACKET_ERROR_NAMES = [
  'PacketCorruptError',
  'PacketTooLargeError',
  'PacketUnsafePathError',
  'PacketSchemaError',
  'PacketVersionError',
  'IdentifiedDataError',
] as const;
export type PacketErrorName = (typeof PACKET_ERROR_NAMES)[number];

export class PacketError extends NamedError<PacketErrorName> {}
/** Not a zip, cut short, a checksum (CRC-32 or sha256) that does not match, or JSON that does not parse. */
export class PacketCorruptError extends PacketError {
  constructor(message: string) { super('PacketCorruptError', message); }
}
/** The packet would unpack past a limit (total size, one file, file count, compression ratio, cases): a zip bomb or absurd. */
export class PacketTooLargeError extends PacketError {
  constructor(message: string) { super('PacketTooLargeError', message); }
}
/** A file name inside the packet that could escape or is not in the packet layout (`..`, `/x`, `C:\x`, NUL). */
export class PacketUnsafePathError extends PacketError {
  constructor(message: string) { super('PacketUnsafePathError', message); }
}
/** The manifest is well-formed JSON but not a valid teaching set; the message names the JSON path of the first problem. */
export class PacketSchemaError extends PacketError {
  constructor(message: string) { super('PacketSchemaError', message); }
}
/** The packet's schema version is newer than this Lucid understands (or is not a version at all). */
export class PacketVersionError extends PacketError {
  constructor(message: string) { super('PacketVersionError', message); }
}
/** Export refused: an instance is not marked de-identified (Patient Identity Removed (0012,0062) is not YES). */
export class IdentifiedDataError extends PacketError {
  constructor(message: string) { super('IdentifiedDataError', message); }
}

/**
 * Every error name a learner's progress file (src/teaching/progressFile) raises on import. An import that fails has
 * written nothing: the file is read and checked completely before storage is touched.
 */
export const PROGRESS_ERROR_NAMES = [
  'ProgressCorruptError',
  'ProgressFormatError',
  'ProgressVersionError',
  'ProgressSchemaError',
  'ProgressTooLargeError',
] as const;
export type ProgressErrorName = (typeof PROGRESS_ERROR_NAMES)[number];

export class ProgressFileError extends NamedError<ProgressErrorName> {}
/** Not JSON (or a gzip stream that does not inflate): damaged or cut short. */
export class ProgressCorruptError extends ProgressFileError {
  constructor(message: string) { super('ProgressCorruptError', message); }
}
/** Valid JSON but not a Lucid progress file (another format, e.g. a teaching packet's manifest). */
export class ProgressFormatError extends ProgressFileError {
  constructor(message: string) { super('ProgressFormatError', message); }
}
/** Written by a newer Lucid (its schema version is above ours), or a version that is not a version at all. */
export class ProgressVersionError extends ProgressFileError {
  constructor(message: string) { super('ProgressVersionError', message); }
}
/** A progress file whose learner or attempts are not valid; the message names the JSON path of the first problem. */
export class ProgressSchemaError extends ProgressFileError {
  constructor(message: string) { super('ProgressSchemaError', message); }
}
/** Larger than Lucid reads (file bytes, inflated bytes, attempts, marks): a bomb or absurd. */
export class ProgressTooLargeError extends ProgressFileError {
  constructor(message: string) { super('ProgressTooLargeError', message); }
}

/** De-identification could not be done safely (a bad secret, a dataset it cannot rewrite); nothing is written. */
export class DeidentificationError extends NamedError<'DeidentificationError'> {
  constructor(message: string) { super('DeidentificationError', message); }
}

/** Export refused until the user has looked at images that may carry burned-in text and said so. */
export class BurnedInTextError extends NamedError<'BurnedInTextError'> {
  constructor(message: string) { super('BurnedInTextError', message); }
}
