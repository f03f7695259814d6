// STOW-RS (PS3.18 §10.5): send DICOM files to a server in one multipart/related request and read back one result per
// file from the answer's Referenced SOP Sequence (0008,1199) and Failed SOP Sequence (0008,1198). Thread-neutral.
import { announcedLength, readJson } from './body';
import { DicomwebResponseError } from './errors';
import { isDataset, items, num, text } from './dicomJson';
import { readFileMeta } from './fileMeta';
import { sendRequest, type RequestOptions } from './request';
import { resourceUrl, type DicomwebServer } from './server';

export interface StoreResult {
  /** Index of the file in the list given to storeInstances. */
  index: number;
  /** From the file meta; '' when the file has none (not a DICOM Part 10 file). */
  sopInstanceUID: string;
  ok: boolean;
  /** Why the server refused it, in words (with the DICOM failure code when it gave one). */
  reason?: string;
}

const TAG = { failedSOPs: 0x00081198, referencedSOPs: 0x00081199, failureReason: 0x00081197, sopInstanceUID: 0x00081155 } as const;

/** Failure Reason (0008,1197) codes of PS3.18 Table 10.5.3-2 and PS3.4 Annex GG (storage status codes). */
function describeFailure(code: number | undefined): string {
  const hex = code === undefined ? '' : ` (code 0x${code.toString(16).toUpperCase().padStart(4, '0')})`;
  if (code === undefined) return 'The server refused it without saying why.';
  if (code === 0x0110) return `The server failed while storing it${hex}.`;
  if (code === 0x0122) return `The server does not store this kind of DICOM object (SOP class)${hex}.`;
  if (code === 0x0124) return `The server does not allow storing it${hex}.`;
  if (code === 0xa900) return `The file does not match its SOP class${hex}.`;
  if ((code & 0xff00) === 0xa700) return `The server has no room for it${hex}.`;
  if ((code & 0xf000) === 0xc000) return `The server cannot understand the file${hex}.`;
  return `The server refused it${hex}.`;
}

function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `lucid-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The request body: each file as an application/dicom part (RFC 2046 §5.1.1). */
export function stowBody(files: Uint8Array[], boundary: string): Blob {
  const parts: BlobPart[] = [];
  for (const f of files) parts.push(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, f as Uint8Array<ArrayBuffer>, '\r\n');
  parts.push(`--${boundary}--\r\n`);
  return new Blob(parts);
}

/**
 * Stores `files` (DICOM Part 10) on the server, under `studyUID` when given (the server then refuses files of other
 * studies). One result per file; a file the server did not mention in its answer counts as not stored.
 */
export async function storeInstances(server: DicomwebServer, studyUID: string | undefined, files: Uint8Array[], o: RequestOptions = {}): Promise<StoreResult[]> {
  const boundary = randomBoundary();
  const what = files.length === 1 ? 'storing 1 file' : `storing ${files.length} files`;
  const res = await sendRequest(server, {
    url: resourceUrl(server, studyUID ? `studies/${studyUID}` : 'studies'),
    method: 'POST',
    accept: 'application/dicom+json',
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    body: stowBody(files, boundary),
    what,
    // 400/409 (refused, all failed) and 202 (some failed) still carry the per-instance answer (PS3.18 §10.5.3).
    readStatuses: [400, 409],
  }, o);
  const json = res.status === 204 ? {} : await readJson(res, {
    maxBytes: 64 * 1024 * 1024, announced: announcedLength(res), idleTimeoutMs: o.idleTimeoutMs,
    source: `the answer of "${server.label}" to ${what}`, signal: o.signal,
  }).catch((err: unknown) => {
    if (res.ok) throw err;
    throw new DicomwebResponseError(`"${server.label}" refused ${what} (HTTP ${res.status}) and did not say which files failed.`, res.status);
  });
  const answer = Array.isArray(json) ? json[0] : json; // some servers wrap the dataset in a list
  if (!isDataset(answer)) throw new DicomwebResponseError(`"${server.label}" answered ${what} with something that is not a DICOM JSON dataset.`, res.status);
  const stored = new Set(items(answer, TAG.referencedSOPs).map((ds) => text(ds, TAG.sopInstanceUID)));
  const failed = new Map(items(answer, TAG.failedSOPs).map((ds) => [text(ds, TAG.sopInstanceUID), num(ds, TAG.failureReason)]));
  return files.map((bytes, index) => {
    const uid = readFileMeta(bytes)?.sopInstanceUID ?? '';
    if (uid && stored.has(uid)) return { index, sopInstanceUID: uid, ok: true };
    if (uid && failed.has(uid)) return { index, sopInstanceUID: uid, ok: false, reason: describeFailure(failed.get(uid)) };
    return {
      index, sopInstanceUID: uid, ok: false,
      reason: uid ? 'The server did not store it (its answer does not mention this file).' : 'This is not a DICOM file (it has no DICOM file header), so the server did not store it.',
    };
  });
}
