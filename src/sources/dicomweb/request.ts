// The one place that calls fetch for DICOMweb: Authorization only to the configured origin, no cookies, no redirects
// followed, a timeout until the headers arrive, the caller's AbortSignal passed through, HTTP statuses mapped to
// named errors. Thread-neutral (browser and Node 20: global fetch only).
import {
  DicomwebAuthError, DicomwebNetworkError, DicomwebNotFoundError, DicomwebResponseError, DicomwebServerError, type DicomwebError,
} from './errors';
import { withRetry, type RetryOptions } from './retry';
import { authorizationFor, serverBase, type DicomwebServer } from './server';

export interface RequestOptions {
  signal?: AbortSignal;
  /** Longest wait for the response headers (ms). Default 30 s. */
  timeoutMs?: number;
  /** Longest wait for the next bytes of a body (ms). Default 30 s. */
  idleTimeoutMs?: number;
  retry?: RetryOptions;
}

export interface DicomwebRequest {
  url: URL;
  accept: string;
  method?: 'GET' | 'POST';
  body?: Blob;
  contentType?: string;
  /** What is asked for, in the user's words ("the study 1.2.3"): it goes into error messages. */
  what: string;
  /** Error statuses whose body the caller reads itself (STOW-RS answers 400/409 with a result per instance). */
  readStatuses?: readonly number[];
}

/** The signal the request uses: the caller's, plus our timer. `timedOut` tells the two apart afterwards. */
function linkSignal(user: AbortSignal | undefined): { signal: AbortSignal; abort: () => void; timedOut: () => boolean } {
  const ctl = new AbortController();
  let ours = false;
  if (user?.aborted) ctl.abort(user.reason);
  else user?.addEventListener('abort', () => ctl.abort(user.reason), { once: true });
  return { signal: ctl.signal, abort: () => { ours = true; ctl.abort(); }, timedOut: () => ours };
}

/** The named error for an HTTP status that is not success, or null when the status is a success. */
export function statusError(server: DicomwebServer, res: Response, what: string): DicomwebError | null {
  const s = res.status;
  const where = `"${server.label}"`;
  if (res.type === 'opaqueredirect' || (s >= 300 && s < 400)) {
    return new DicomwebResponseError(
      `${where} redirected the request for ${what} to another address. Lucid does not follow redirects (they could carry your credentials elsewhere): set the server's address to the one it redirects to.`, s,
    );
  }
  if (s === 401) {
    return new DicomwebAuthError(server.auth
      ? `${where} did not accept the credentials for ${what}. Check the user name and password (or token) and enter them again.`
      : `${where} asks for credentials before it shows ${what}. Enter the server's user name and password (or token).`, s);
  }
  if (s === 403) return new DicomwebAuthError(`${where} refused access to ${what} with these credentials. Ask its administrator for access, or enter other credentials.`, s);
  if (s === 404) return new DicomwebNotFoundError(`${what[0]?.toUpperCase()}${what.slice(1)} is not on ${where}, or the server's address is not its DICOMweb root.`);
  if (s >= 500) return new DicomwebServerError(`${where} failed while answering the request for ${what} (HTTP ${s}). Try again later, or ask its administrator.`, s);
  if (s === 406) return new DicomwebResponseError(`${where} cannot send ${what} in the form Lucid asks for (HTTP 406).`, s);
  if (s >= 400) return new DicomwebResponseError(`${where} refused the request for ${what} (HTTP ${s}).`, s);
  return null;
}

/** One try: fetch, then map failures and statuses. The body of a returned response is still unread. */
async function sendOnce(server: DicomwebServer, req: DicomwebRequest, o: RequestOptions): Promise<Response> {
  serverBase(server); // refuse a bad address before anything is sent
  const headers = new Headers({ Accept: req.accept });
  const authorization = authorizationFor(server, req.url);
  if (authorization) headers.set('Authorization', authorization);
  if (req.contentType) headers.set('Content-Type', req.contentType);
  const link = linkSignal(o.signal);
  const timeoutMs = o.timeoutMs ?? 30_000;
  const timer = setTimeout(link.abort, timeoutMs);
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method ?? 'GET', headers, body: req.body, credentials: 'omit', redirect: 'manual', signal: link.signal,
    });
  } catch (err) {
    if (o.signal?.aborted) throw o.signal.reason;
    if (link.timedOut()) throw new DicomwebNetworkError(`"${server.label}" did not answer the request for ${req.what} within ${Math.round(timeoutMs / 1000)} s. Check that the server is running, then try again.`);
    throw new DicomwebNetworkError(`Lucid could not reach "${server.label}" (${req.url.origin}) to fetch ${req.what}. Check the address and your network, and that the server allows this site (CORS).`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  const error = req.readStatuses?.includes(res.status) ? null : statusError(server, res, req.what);
  if (error) {
    await res.body?.cancel().catch(() => undefined);
    throw error;
  }
  return res;
}

/** Sends `req`, retrying 5xx and network failures with backoff (never 4xx). */
export function sendRequest(server: DicomwebServer, req: DicomwebRequest, o: RequestOptions = {}): Promise<Response> {
  return withRetry(() => sendOnce(server, req, o), o.retry, o.signal);
}

/** The media type without parameters, lower case ("multipart/related"). */
export function mediaTypeOf(res: Response): string {
  return (res.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
}
