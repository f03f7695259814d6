// DICOMweb addresses on the command line: `dicomweb+http(s)://host[:port]/<root>/studies/<study>[/series/<series>
// [/instances/<sop>]]` names what to retrieve (the server's root is everything before /studies/), and
// `dicomweb+http(s)://host[:port]/<root>` names a server to store to. Credentials come from the environment, never
// from the address: LUCID_DICOMWEB_TOKEN (bearer), or LUCID_DICOMWEB_USER and LUCID_DICOMWEB_PASSWORD (basic).
// The HTTP itself is src/sources/dicomweb's, the same code the app uses. Node only.
import { listInputs } from './engine';
import { parseInstance } from '../src/dicom/parseInstance';
import { MalformedDicomError } from '../src/shared/errors';
import type { DicomwebAuth, DicomwebServer } from '../src/sources/dicomweb/server';
import { retrieveInstance, retrieveSeries, retrieveStudy, type RetrievedInstance } from '../src/sources/dicomweb/wado';

export const DICOMWEB_URL_FORM = 'dicomweb+http(s)://host[:port]/<root>/studies/<study UID>[/series/<series UID>[/instances/<SOP instance UID>]]';
export const DICOMWEB_ENV_NOTE = 'credentials from LUCID_DICOMWEB_TOKEN (bearer), or LUCID_DICOMWEB_USER and LUCID_DICOMWEB_PASSWORD (basic)';

/** What a DICOMweb address on the command line names: a study, a series of it, or one instance. */
export interface DicomwebInput {
  server: DicomwebServer;
  studyUID: string;
  seriesUID?: string;
  sop?: string;
  /** The address as given (it holds no credentials). */
  url: string;
}

/** A command-line input: a local file or folder, or a DICOMweb address. */
export type InputSource = string | DicomwebInput;

/** One file to process: a local path, or the DICOMweb address of an instance with its bytes already retrieved. */
export interface InputFile { path: string; error?: Error; bytes?: Uint8Array }

/** A command called wrongly: lucid.ts prints the message and the command's usage, and exits 2. */
export const usageError = (message = ''): Error => Object.assign(new Error(message), { name: 'UsageError' });
const UID = /^[0-9]+(\.[0-9]+)*$/;

export const isDicomwebUrl = (arg: string): boolean => /^dicomweb\+/i.test(arg);

function authFromEnv(env: NodeJS.ProcessEnv): DicomwebAuth | undefined {
  const token = env.LUCID_DICOMWEB_TOKEN, username = env.LUCID_DICOMWEB_USER, password = env.LUCID_DICOMWEB_PASSWORD;
  if (token && (username || password)) throw usageError('Set either LUCID_DICOMWEB_TOKEN or LUCID_DICOMWEB_USER and LUCID_DICOMWEB_PASSWORD, not both.');
  if (token) return { kind: 'bearer', token };
  if (username === undefined && password === undefined) return undefined;
  if (!username || password === undefined) throw usageError('LUCID_DICOMWEB_USER and LUCID_DICOMWEB_PASSWORD go together: set both, or neither.');
  return { kind: 'basic', username, password };
}

/** The http(s) address inside `dicomweb+…`, checked: no credentials, no query or fragment. */
function innerUrl(arg: string): URL {
  const form = `write it like ${DICOMWEB_URL_FORM}`;
  if (!isDicomwebUrl(arg)) throw usageError(`"${arg}" is not a DICOMweb address: ${form}.`);
  let url: URL;
  try { url = new URL(arg.slice('dicomweb+'.length)); } catch { throw usageError(`"${arg}" is not a valid address: ${form}.`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`"${arg}" must start with dicomweb+http:// or dicomweb+https://.`);
  if (url.username || url.password) {
    throw usageError(`The DICOMweb address ${url.host} carries a user name or password. Remove them from the address and set ${DICOMWEB_ENV_NOTE.replace('credentials from ', '')} instead, so they never appear in a command line or a log.`);
  }
  if (url.search || url.hash) throw usageError(`The DICOMweb address "${arg}" should have no "?" or "#" part.`);
  return url;
}

/** The address's path segments, decoded. */
function segmentsOf(url: URL): string[] {
  try { return url.pathname.split('/').filter(Boolean).map(decodeURIComponent); } catch { throw usageError(`The DICOMweb address ${url.href} has a broken %-escape in its path.`); }
}

function serverAt(url: URL, rootSegments: string[], env: NodeJS.ProcessEnv): DicomwebServer {
  const root = `${url.origin}/${rootSegments.join('/')}`.replace(/\/$/, '');
  const auth = authFromEnv(env);
  return { id: root, label: `${url.host}/${rootSegments.join('/')}`.replace(/\/$/, ''), url: root, ...(auth ? { auth } : {}) };
}

/** A study, series or instance address (`DICOMWEB_URL_FORM`); a UsageError with a sentence when it is not one. */
export function parseDicomwebInput(arg: string, env: NodeJS.ProcessEnv = process.env): DicomwebInput {
  const url = innerUrl(arg);
  const segments = segmentsOf(url);
  const at = segments.lastIndexOf('studies');
  const [, study, seriesKey, series, instancesKey, sop, ...extra] = at < 0 ? [] : segments.slice(at);
  const shapeOk = study !== undefined && extra.length === 0
    && (seriesKey === undefined || (seriesKey === 'series' && series !== undefined))
    && (instancesKey === undefined || (instancesKey === 'instances' && sop !== undefined));
  if (!shapeOk) throw usageError(`"${arg}" does not name a study, series or instance: write it like ${DICOMWEB_URL_FORM}.`);
  for (const uid of [study, series, sop]) {
    if (uid !== undefined && (!UID.test(uid) || uid.length > 64)) throw usageError(`"${uid}" in "${arg}" is not a DICOM UID (digits and dots, at most 64 characters).`);
  }
  return {
    server: serverAt(url, segments.slice(0, at), env), studyUID: study!,
    ...(series ? { seriesUID: series } : {}), ...(sop ? { sop } : {}), url: arg,
  };
}

/** A server root (`dicomweb+http(s)://host[:port]/<root>`) to store to. */
export function parseDicomwebServer(arg: string, env: NodeJS.ProcessEnv = process.env): DicomwebServer {
  const url = innerUrl(arg);
  const segments = segmentsOf(url);
  if (segments.includes('studies')) throw usageError(`"${arg}" names a study; give the server's DICOMweb root (the part before /studies/).`);
  return serverAt(url, segments, env);
}

/** Each argument as a local path or a parsed DICOMweb address; a UsageError for a bad address. */
export function parseInputs(args: string[], env: NodeJS.ProcessEnv = process.env): InputSource[] {
  return args.map((a) => (isDicomwebUrl(a) ? parseDicomwebInput(a, env) : a));
}

/** Every instance the address names, streamed in the transfer syntax it was stored in (WADO-RS, `transfer-syntax=*`). */
export function retrieveInput(input: DicomwebInput): AsyncGenerator<RetrievedInstance> {
  const { server, studyUID, seriesUID, sop } = input;
  if (seriesUID && sop) return retrieveInstance(server, studyUID, seriesUID, sop);
  if (seriesUID) return retrieveSeries(server, studyUID, seriesUID);
  return retrieveStudy(server, studyUID);
}

/** Study, series and SOP Instance UIDs of a retrieved file, each checked to be a UID (they become folder names). */
export function instanceUids(bytes: Uint8Array): { study: string; series: string; sop: string } {
  const h = parseInstance(bytes).header;
  const ids = { study: h.studyInstanceUID, series: h.seriesInstanceUID, sop: h.sopInstanceUID };
  for (const uid of Object.values(ids)) {
    if (!UID.test(uid) || uid.length > 64) throw new MalformedDicomError(`The instance names "${uid}" as a UID, which is not one (digits and dots).`);
  }
  return ids;
}

/** An auth failure with what the command line needs: where it reads credentials from. */
export function withCredentialHint(e: unknown): unknown {
  if (!(e instanceof Error) || e.name !== 'DicomwebAuthError') return e;
  return Object.assign(new Error(`${e.message} The command line reads ${DICOMWEB_ENV_NOTE}.`), { name: e.name });
}

/** The DICOMweb address of one retrieved instance (what the JSON lines call its path). */
function instanceAddress(input: DicomwebInput, bytes: Uint8Array, n: number): string {
  let ids;
  try { ids = instanceUids(bytes); } catch { return `${input.url} (instance ${n + 1})`; }
  const root = `dicomweb+${input.server.url}`;
  return `${root}/studies/${ids.study}/series/${ids.series}/instances/${ids.sop}`;
}

/**
 * Every file the inputs name: local files and folders as listInputs lists them, and each DICOMweb address retrieved
 * into memory, one entry per instance. A retrieval that fails (or is cut short) adds one error entry after the
 * instances that did arrive, which stay.
 */
export async function collectInputs(inputs: readonly InputSource[], exclude?: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const input of inputs) {
    if (typeof input === 'string') {
      out.push(...(await listInputs([input], exclude)));
      continue;
    }
    let n = 0;
    try {
      for await (const part of retrieveInput(input)) out.push({ path: instanceAddress(input, part.bytes, n++), bytes: part.bytes });
    } catch (e) {
      out.push({ path: input.url, error: withCredentialHint(e) as Error });
    }
  }
  return out;
}
