// `lucid push <files or folders...> --to dicomweb+http(s)://host[:port]/<root> [--deidentify …]`: STOW-RS of DICOM
// files to a server, in batches (16 files or 64 MB a request), one JSON line per file with the server's answer:
// { path, ok: true, sopInstanceUID } when stored, { …, ok: false, reason } when the server refused it, and
// { …, ok: false, error: { name, message } } when the request failed (DicomwebAuthError, DicomwebNetworkError, …).
// Identity is sent as it is (the user's own files to their own PACS); --deidentify runs every file through the
// de-identification engine first (privacy flags and --secret as `lucid deidentify`). The same queue stores what
// `screen --push` and `enhance --push` make. Node only.
import { readFile } from 'node:fs/promises';
import { deidentify } from '../src/dicom/deidentify/deidentify';
import { readFileMeta } from '../src/sources/dicomweb/fileMeta';
import type { DicomwebServer } from '../src/sources/dicomweb/server';
import { storeInstances, type StoreResult } from '../src/sources/dicomweb/stow';
import { NotDicomError, toErrorInfo } from '../src/shared/errors';
import { listInputs, parseArgs } from './engine';
import { DICOMWEB_ENV_NOTE, isDicomwebUrl, parseDicomwebServer, usageError, withCredentialHint, type InputSource } from './dicomwebInput';
import { SECRET_NOTE, takePrivacyArgs, type Privacy } from './privacy';

export const PUSH_USAGE = `usage: lucid push <files or folders...> --to dicomweb+http(s)://host[:port]/<root> [--deidentify [--secret FILE] [--shift-dates] [--clean-descriptors] …]   (${DICOMWEB_ENV_NOTE})`;

const BATCH_FILES = 16;
const BATCH_BYTES = 64 * 1024 * 1024;

/** What goes into each file's JSON line besides the server's answer (its path, or what the object is). */
type LineFields = Record<string, unknown>;

export interface StowQueue {
  /** Queues one Part 10 file; sends the batch first when this file would make it too big. */
  add(bytes: Uint8Array, fields: LineFields): Promise<void>;
  /** Sends what is queued. */
  flush(): Promise<void>;
  readonly counts: { stored: number; failed: number };
}

/** STOW-RS in batches to `server`, logging one JSON line per file once its batch has been answered. */
export function stowQueue(server: DicomwebServer, log: (line: string) => void): StowQueue {
  let batch: { bytes: Uint8Array; fields: LineFields }[] = [];
  let size = 0;
  const counts = { stored: 0, failed: 0 };
  async function flush() {
    if (!batch.length) return;
    const sent = batch;
    batch = [];
    size = 0;
    let results: StoreResult[] | null = null, error: unknown;
    try { results = await storeInstances(server, undefined, sent.map((f) => f.bytes)); } catch (e) { error = withCredentialHint(e); }
    sent.forEach(({ bytes, fields }, i) => {
      const r = results?.[i];
      if (r?.ok) counts.stored++;
      else counts.failed++;
      const sopInstanceUID = r?.sopInstanceUID ?? readFileMeta(bytes)?.sopInstanceUID ?? '';
      log(JSON.stringify({ ...fields, ok: r?.ok ?? false, sopInstanceUID, ...(r ? (r.reason ? { reason: r.reason } : {}) : { error: toErrorInfo(error) }) }));
    });
  }
  return {
    counts,
    flush,
    async add(bytes, fields) {
      if (batch.length >= BATCH_FILES || (batch.length && size + bytes.length > BATCH_BYTES)) await flush();
      batch.push({ bytes, fields });
      size += bytes.length;
    },
  };
}

/** The one server `--push` stores results to: the one every input came from (local inputs have none). */
export function pushTarget(inputs: readonly InputSource[]): DicomwebServer {
  const servers = new Map(inputs.map((i) => (typeof i === 'string' ? [i, null] : [i.server.url, i.server])));
  const fail = (why: string) => usageError(`--push stores the results back to the DICOMweb server the images came from: ${why}.`);
  if ([...servers.values()].some((s) => s === null)) throw fail('every input must be a dicomweb+http(s):// address');
  if (servers.size !== 1) throw fail('the inputs name more than one server');
  return [...servers.values()][0]!;
}

/** Every file under the inputs, de-identified first when `privacy` is given, through one queue. */
async function pushFiles(server: DicomwebServer, inputs: string[], privacy: Privacy | null, log: (line: string) => void): Promise<{ stored: number; failed: number }> {
  const queue = stowQueue(server, log);
  let unread = 0;
  for (const { path, error } of await listInputs(inputs)) {
    try {
      if (error) throw error;
      let bytes: Uint8Array = new Uint8Array(await readFile(path));
      if (privacy) bytes = deidentify(bytes, privacy.secret.secret, privacy.options).bytes;
      else if (!readFileMeta(bytes)) throw new NotDicomError('This is not a DICOM Part 10 file (no "DICM" preamble and file meta), and STOW-RS sends only those.');
      await queue.add(bytes, { path });
    } catch (e) {
      unread++;
      log(JSON.stringify({ path, ok: false, error: toErrorInfo(e) }));
    }
  }
  await queue.flush();
  return { stored: queue.counts.stored, failed: queue.counts.failed + unread };
}

/** The push command: arguments → exit code (0 all stored, 1 any failed); a UsageError when called wrongly. */
export async function push(args: string[]): Promise<number> {
  const deidentifyFirst = args.includes('--deidentify');
  let rest = args.filter((a) => a !== '--deidentify');
  let privacy: Privacy | null = null;
  if (deidentifyFirst) ({ rest, privacy } = await takePrivacyArgs(rest));
  const { inputs, options } = parseArgs(rest, ['--to']);
  if (!options.to || inputs.length === 0 || inputs.some((i) => i.startsWith('--')) || privacy?.keepIdentity) throw usageError();
  if (inputs.some(isDicomwebUrl)) throw usageError('push sends local files; to copy from a server, pull them first.');
  const server = parseDicomwebServer(options.to);
  const r = await pushFiles(server, inputs, privacy, (l) => console.log(l));
  console.error(`${r.stored} stored on ${server.label}, ${r.failed} failed; ${privacy ? `de-identified first; ${SECRET_NOTE[privacy.secret.source]}` : 'identity sent as it is in the files'}`);
  return r.failed > 0 ? 1 : 0;
}
