// WADO-RS retrieve (PS3.18 §10.4) of a study, series or instance as DICOM Part 10 files in their ORIGINAL transfer
// syntax (`transfer-syntax=*`), streamed: each instance is yielded as soon as it has arrived. Thread-neutral.
//
// What Orthanc 1.10.1 with the DICOMweb plugin 1.7 does (found against the Debian packages, see
// test/src/sources/dicomweb/wado.test.ts): `transfer-syntax=*` (quoted type or not) returns every instance as
// stored; WITHOUT a transfer-syntax parameter it transcodes to Explicit VR Little Endian, and answers 500 for
// syntaxes it cannot transcode (JPEG 2000, big endian). The parts' Content-Type is a bare `application/dicom`
// (no transfer-syntax parameter), so the syntax is read from each file's meta header when the part does not name it.
import { announcedLength, guardBody } from './body';
import { DicomwebNetworkError, DicomwebResponseError, MultipartError } from './errors';
import { readFileMeta } from './fileMeta';
import { boundaryOf, parseMediaType, parseMultipart, type MultipartPart } from './multipart';
import { mediaTypeOf, sendRequest, type RequestOptions } from './request';
import { resourceUrl, type DicomwebServer } from './server';

export interface RetrieveOptions extends RequestOptions {
  /** Most bytes of one instance. Default 1 GiB. */
  maxPartBytes?: number;
  /** Most bytes of the whole response. Default 16 GiB (memory is bounded by the part cap, not by this). */
  maxTotalBytes?: number;
  /** The transfer syntax to ask for; default '*' (as stored, never transcoded). */
  transferSyntax?: string;
}

export interface RetrievedInstance {
  /** The part's Content-Type as sent, with its parameters. */
  contentType: string;
  /** From the part's transfer-syntax parameter, else from the file meta; null when neither names one. */
  transferSyntaxUID: string | null;
  bytes: Uint8Array;
}

const GiB = 1024 * 1024 * 1024;

/** The Accept header of a retrieve (PS3.18 §8.7.3.5.2). */
export function retrieveAccept(transferSyntax = '*'): string {
  return `multipart/related; type="application/dicom"; transfer-syntax=${transferSyntax}`;
}

async function* retrieve(server: DicomwebServer, path: string, what: string, o: RetrieveOptions): AsyncGenerator<RetrievedInstance> {
  const url = resourceUrl(server, path);
  const res = await sendRequest(server, { url, accept: retrieveAccept(o.transferSyntax), what }, o);
  const contentType = res.headers.get('Content-Type') ?? '';
  if (mediaTypeOf(res) !== 'multipart/related') {
    await res.body?.cancel().catch(() => undefined);
    throw new DicomwebResponseError(mediaTypeOf(res) === 'text/html'
      ? `"${server.label}" sent a web page instead of ${what}. Check that the server's address is its DICOMweb root (often ending in /dicom-web).`
      : `"${server.label}" sent ${what} as "${contentType || 'no content type'}" instead of DICOM files (multipart/related).`, res.status);
  }
  const boundary = boundaryOf(contentType);
  const body = guardBody(res.body, {
    maxBytes: o.maxTotalBytes ?? 16 * GiB, announced: announcedLength(res), idleTimeoutMs: o.idleTimeoutMs ?? 30_000,
    source: `${what} from "${server.label}"`, signal: o.signal,
  });
  let received = 0;
  try {
    for await (const part of parseMultipart(body, boundary, { maxPartBytes: o.maxPartBytes ?? GiB })) {
      yield toInstance(server, what, part);
      received++;
    }
  } catch (err) {
    // A body cut short before its close delimiter: with a content-encoded (gzip) response the HTTP stack may end the
    // stream cleanly when the server dies, so this is how a lost connection shows; the user should try again.
    if (err instanceof MultipartError && err.truncated) {
      throw new DicomwebNetworkError(`The connection to "${server.label}" was lost while ${what} was arriving, after ${received} instance${received === 1 ? '' : 's'}; those are kept. Try again for the rest.`, { cause: err });
    }
    throw err;
  }
}

function toInstance(server: DicomwebServer, what: string, part: MultipartPart): RetrievedInstance {
  const media = parseMediaType(part.contentType);
  if (media.type !== 'application/dicom') {
    throw new DicomwebResponseError(`"${server.label}" sent a part of ${what} as "${part.contentType || 'no content type'}" instead of a DICOM file.`);
  }
  const fromHeader = media.params['transfer-syntax'];
  return {
    contentType: part.contentType,
    transferSyntaxUID: fromHeader && fromHeader !== '*' ? fromHeader : (readFileMeta(part.bytes)?.transferSyntaxUID ?? null),
    bytes: part.bytes,
  };
}

/** Every instance of a study, one by one as they arrive. Instances yielded stay valid if a later one fails. */
export function retrieveStudy(server: DicomwebServer, studyUID: string, o: RetrieveOptions = {}): AsyncGenerator<RetrievedInstance> {
  return retrieve(server, `studies/${studyUID}`, `the study ${studyUID}`, o);
}

/** Every instance of a series, one by one as they arrive. */
export function retrieveSeries(server: DicomwebServer, studyUID: string, seriesUID: string, o: RetrieveOptions = {}): AsyncGenerator<RetrievedInstance> {
  return retrieve(server, `studies/${studyUID}/series/${seriesUID}`, `the series ${seriesUID}`, o);
}

/** One instance (still a one-part multipart stream, as WADO-RS sends it). */
export function retrieveInstance(server: DicomwebServer, studyUID: string, seriesUID: string, sopInstanceUID: string, o: RetrieveOptions = {}): AsyncGenerator<RetrievedInstance> {
  return retrieve(server, `studies/${studyUID}/series/${seriesUID}/instances/${sopInstanceUID}`, `the instance ${sopInstanceUID}`, o);
}
