// Named errors of the DICOMweb client (src/sources/dicomweb). Thread-neutral, no imports.
// The UI switches on `err.name` (DESIGN invariant 5); each message is a sentence a user can act on, about their
// server or study, never internal text.

/** Every error name the DICOMweb client raises. Stable: tests and the UI depend on them. */
export const DICOMWEB_ERROR_NAMES = [
  'DicomwebConfigError',
  'DicomwebQueryError',
  'DicomwebAuthError',
  'DicomwebNotFoundError',
  'DicomwebServerError',
  'DicomwebNetworkError',
  'DicomwebResponseError',
  'MultipartError',
  'ResponseTooLargeError',
] as const;
export type DicomwebErrorName = (typeof DICOMWEB_ERROR_NAMES)[number];

/** Base of the family; `status` is the HTTP status when the server answered. */
export class DicomwebError extends Error {
  override readonly name: DicomwebErrorName;
  readonly status: number | undefined;
  constructor(name: DicomwebErrorName, message: string, status?: number) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

/** The server's settings cannot be used as they are (an address with a user name or password in it, not http(s)). */
export class DicomwebConfigError extends DicomwebError {
  constructor(message: string) { super('DicomwebConfigError', message); }
}
/** A search field the client refuses before asking the server (a date not written YYYYMMDD). */
export class DicomwebQueryError extends DicomwebError {
  constructor(message: string) { super('DicomwebQueryError', message); }
}
/** 401/403: the UI asks for credentials again. */
export class DicomwebAuthError extends DicomwebError {
  constructor(message: string, status: number) { super('DicomwebAuthError', message, status); }
}
/** 404: the study, series or instance is not on the server (or the address is not a DICOMweb root). */
export class DicomwebNotFoundError extends DicomwebError {
  constructor(message: string) { super('DicomwebNotFoundError', message, 404); }
}
/** 5xx: the server failed; retried with backoff before this reaches the user. */
export class DicomwebServerError extends DicomwebError {
  constructor(message: string, status: number) { super('DicomwebServerError', message, status); }
}
/** The server could not be reached, did not answer in time, or the connection was lost mid-body. */
export class DicomwebNetworkError extends DicomwebError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DicomwebNetworkError', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
/** The server answered with something that is not what DICOMweb promises (HTML, bad JSON, a redirect, another 4xx). */
export class DicomwebResponseError extends DicomwebError {
  constructor(message: string, status?: number) { super('DicomwebResponseError', message, status); }
}
/** A multipart/related body that breaks RFC 2046 (no boundary, a boundary that never ends, a part without headers). */
export class MultipartError extends DicomwebError {
  /** The body simply stopped before its close delimiter (cut short), rather than breaking the format. */
  readonly truncated: boolean;
  constructor(message: string, options: { truncated?: boolean } = {}) {
    super('MultipartError', message);
    this.truncated = options.truncated ?? false;
  }
}
/** A response above Lucid's size limits, or one that sends more bytes than it announced. Nothing more is read. */
export class ResponseTooLargeError extends DicomwebError {
  constructor(message: string) { super('ResponseTooLargeError', message); }
}

/** True for failures worth trying again (the server's 5xx and lost connections); never for 4xx. */
export function isRetryable(err: unknown): boolean {
  return err instanceof DicomwebServerError || err instanceof DicomwebNetworkError;
}
