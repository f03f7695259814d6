// A DICOMweb server's settings and the URLs under it. Thread-neutral (browser and Node): no Node imports.
// Credentials live in `auth`, never in the address: an address with user:pass@ is refused with a sentence saying so.
import { DicomwebConfigError } from './errors';

export type DicomwebAuth =
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string };

export interface DicomwebServer {
  id: string;
  label: string;
  /** The DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web (QIDO, WADO and STOW paths are appended). */
  url: string;
  auth?: DicomwebAuth;
}

/** Query parameters; a repeated key (includefield) takes an array. */
export type QueryParams = Record<string, string | number | string[] | undefined>;

/** The server's root URL with a trailing slash, checked: http(s) only, no credentials, no query or fragment. */
export function serverBase(server: DicomwebServer): URL {
  let url: URL;
  try {
    url = new URL(server.url);
  } catch {
    throw new DicomwebConfigError(`The address of "${server.label}" (${server.url}) is not a valid URL; write it like http://pacs.example.org/dicom-web.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DicomwebConfigError(`The address of "${server.label}" must start with http:// or https://.`);
  }
  if (url.username || url.password) {
    throw new DicomwebConfigError(
      `The address of "${server.label}" contains a user name or password. Remove them from the address and enter them as the server's credentials instead, so they are never sent in a URL.`,
    );
  }
  if (url.search || url.hash) {
    throw new DicomwebConfigError(`The address of "${server.label}" should be the DICOMweb root only, without "?" or "#" parts.`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** `path` (relative, e.g. "studies/1.2.3/series") under the server's root, with query parameters. */
export function resourceUrl(server: DicomwebServer, path: string, params: QueryParams = {}): URL {
  const url = new URL(path.split('/').map(encodeURIComponent).join('/'), serverBase(server));
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url;
}

/** UTF-8 safe base64 (btoa takes Latin-1 only). */
function base64(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * The Authorization header for a request to `url`: only when its origin is the configured server's origin, so a
 * link or redirect to another host never receives the token.
 */
export function authorizationFor(server: DicomwebServer, url: URL): string | undefined {
  if (!server.auth || url.origin !== serverBase(server).origin) return undefined;
  return server.auth.kind === 'bearer'
    ? `Bearer ${server.auth.token}`
    : `Basic ${base64(`${server.auth.username}:${server.auth.password}`)}`;
}
