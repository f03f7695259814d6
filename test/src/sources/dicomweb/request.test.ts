// Requests against a real Orthanc with HTTP basic authentication: no or wrong credentials are a DicomwebAuthError,
// right ones work; the Authorization header never reaches another origin (a second local server), redirects are not
// followed, credentials in the address are refused, and timeouts and aborts end a request promptly.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchStudies } from '../../../../src/sources/dicomweb/qido';
import { sendRequest } from '../../../../src/sources/dicomweb/request';
import { authorizationFor, resourceUrl, type DicomwebServer } from '../../../../src/sources/dicomweb/server';
import { studyInstance, UID_ROOT } from '../../../fixtures/dicomwebFixtures';
import { describeWithOrthanc, startOrthanc, type Orthanc } from '../../../orthanc/orthanc';
import { startProxy, type Proxy } from '../../../orthanc/proxy';

/** A second origin that records what it is sent and answers with an empty QIDO result. */
async function otherOrigin(): Promise<{ url: string; requests: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => { requests.push(req.headers); res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end('[]'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describeWithOrthanc('requests to an Orthanc with authentication', () => {
  let orthanc: Orthanc;
  let other: Awaited<ReturnType<typeof otherOrigin>>;
  let proxy: Proxy;
  const user = { kind: 'basic' as const, username: 'lucid', password: 's3cret' };
  const server = (extra: Partial<DicomwebServer> = {}): DicomwebServer => ({ id: 'o', label: 'Secure Orthanc', url: orthanc.dicomweb, auth: user, ...extra });

  beforeAll(async () => {
    orthanc = await startOrthanc({ users: { lucid: 's3cret' } });
    await orthanc.upload(studyInstance({ studyUID: `${UID_ROOT}.4.1`, patientName: 'AUTH^TEST', patientId: 'A1', studyDate: '20240501', modality: 'CT', accession: 'A1', description: 'Auth' }));
    other = await otherOrigin();
    proxy = await startProxy(orthanc.url, {
      intercept(req, res) {
        if (!req.url?.includes('redirect')) return false;
        res.writeHead(302, { Location: `${other.url}/dicom-web/studies` }).end();
        return true;
      },
    });
  });
  afterAll(async () => { await proxy?.close(); await other?.close(); await orthanc?.stop(); });

  it('without credentials: DicomwebAuthError (401) asking for them', async () => {
    const err = await searchStudies(server({ auth: undefined })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DicomwebAuthError', status: 401 });
    expect((err as Error).message).toMatch(/asks for credentials/);
  });

  it('with a wrong password: DicomwebAuthError saying they were not accepted, and no retry', async () => {
    const sleeps: number[] = [];
    const err = await searchStudies(server({ auth: { ...user, password: 'wrong' } }), {}, {}, { retry: { sleep: async (ms) => { sleeps.push(ms); } } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DicomwebAuthError', status: 401 });
    expect((err as Error).message).toMatch(/did not accept/);
    expect(sleeps).toEqual([]);
  });

  it('with the right basic credentials: the search works', async () => {
    const r = await searchStudies(server());
    expect(r.items.map((s) => s.patientName)).toEqual(['AUTH^TEST']);
  });

  it('sends Authorization to the server\'s origin only: never to another origin, nor through a redirect', async () => {
    // Through the proxy (the configured origin) the header arrives and Orthanc accepts it.
    const viaProxy = server({ url: `${proxy.url}/dicom-web` });
    await searchStudies(viaProxy);
    expect(proxy.requests.at(-1)?.authorization).toMatch(/^Basic /);
    // A URL on another origin (a link in an answer, say) gets no Authorization.
    await sendRequest(viaProxy, { url: new URL(`${other.url}/dicom-web/studies`), accept: 'application/dicom+json', what: 'studies' });
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.authorization).toBeUndefined();
    // A redirect to the other origin is not followed (it would carry the request there).
    const err = await sendRequest(viaProxy, { url: resourceUrl(viaProxy, 'redirect'), accept: 'application/dicom+json', what: 'studies' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DicomwebResponseError', status: 302 });
    expect((err as Error).message).toMatch(/redirect/);
    expect(other.requests).toHaveLength(1);
  });

  it('refuses an address with a user name and password in it, before sending anything', async () => {
    const before = proxy.requests.length;
    const err = await searchStudies(server({ url: `http://lucid:s3cret@${proxy.url.slice(7)}/dicom-web`, auth: undefined })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DicomwebConfigError' });
    expect((err as Error).message).toMatch(/user name or password/);
    expect(proxy.requests.length).toBe(before);
  });
});

describe('Authorization header', () => {
  const s: DicomwebServer = { id: 'x', label: 'X', url: 'https://pacs.example.org/dicom-web', auth: { kind: 'bearer', token: 't0ken' } };
  it('is added for the server\'s origin only (scheme, host and port)', () => {
    expect(authorizationFor(s, new URL('https://pacs.example.org/dicom-web/studies'))).toBe('Bearer t0ken');
    expect(authorizationFor(s, new URL('http://pacs.example.org/dicom-web/studies'))).toBeUndefined();
    expect(authorizationFor(s, new URL('https://pacs.example.org:8443/dicom-web/studies'))).toBeUndefined();
    expect(authorizationFor(s, new URL('https://evil.example.org/dicom-web/studies'))).toBeUndefined();
    expect(authorizationFor({ ...s, auth: { kind: 'basic', username: 'zoë', password: 'p:w' } }, new URL('https://pacs.example.org/x')))
      .toBe(`Basic ${Buffer.from('zoë:p:w').toString('base64')}`);
  });
});

describe('timeouts and aborts', () => {
  let silent: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    const server = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    silent = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`,
      close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    };
  });
  afterAll(() => silent?.close());

  it('a server that never answers: DicomwebNetworkError after the timeout', async () => {
    const started = Date.now();
    const err = await searchStudies({ id: 's', label: 'Silent', url: silent.url }, {}, {}, { timeoutMs: 200, retry: { attempts: 1 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DicomwebNetworkError' });
    expect((err as Error).message).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('the caller\'s abort ends the request with its own reason, not renamed, and is not retried', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await searchStudies({ id: 's', label: 'Silent', url: silent.url }, {}, {}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
  });
});
