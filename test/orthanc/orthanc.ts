// A real Orthanc for the DICOMweb tests: started on a free loopback port with a temporary storage folder and the
// DICOMweb plugin (config.template.json), its DICOM C-STORE server off, remote access off, optional HTTP basic
// authentication. Start one per test file (beforeAll) and stop it (afterAll): stop() kills it and removes the folder.
// Without Orthanc or its plugin the suites skip, naming what is missing; under CI=true they fail instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DicomwebServer } from '../../src/sources/dicomweb/server';

export const ORTHANC = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
const TEMPLATE = new URL('./config.template.json', import.meta.url);

/** What is missing to run Orthanc, or null when everything is there. */
export function orthancMissing(): string | null {
  const missing = [[ORTHANC, 'Orthanc'], [DICOMWEB_PLUGIN, 'its DICOMweb plugin']].filter(([p]) => !existsSync(p!)).map(([p, what]) => `${what} (${p})`);
  return missing.length ? `${missing.join(' and ')} not installed: apt-get install -y orthanc orthanc-dicomweb` : null;
}

/** `describe` for a suite that needs Orthanc: skipped with the reason outside CI, a failing test under CI=true. */
export function describeWithOrthanc(name: string, body: () => void): void {
  const missing = orthancMissing();
  if (missing && process.env.CI === 'true') {
    describe(name, () => { it('needs Orthanc', () => { throw new Error(`CI=true and ${missing}`); }); });
    return;
  }
  describe.skipIf(missing !== null)(missing ? `${name} (skipped: ${missing})` : name, body);
}

export interface OrthancOptions {
  /** HTTP basic users (name → password); turns authentication on. */
  users?: Record<string, string>;
}

export interface Orthanc {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The DICOMweb root: <url>/dicom-web */
  dicomweb: string;
  port: number;
  /** POST /instances (Orthanc's own REST API); resolves to Orthanc's answer. */
  upload(bytes: Uint8Array): Promise<{ ID: string; Status: string; ParentStudy: string }>;
  /** The Authorization header Orthanc accepts (the first user's), or undefined without authentication. */
  authorization: string | undefined;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => { clearTimeout(timer); resolve(true); });
  });
}

async function startOnce(options: OrthancOptions): Promise<Orthanc> {
  const dir = mkdtempSync(join(tmpdir(), 'lucid-orthanc-'));
  const port = await freePort();
  const config = JSON.parse(readFileSync(TEMPLATE, 'utf8')) as Record<string, unknown>;
  Object.assign(config, {
    HttpPort: port, StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'),
    AuthenticationEnabled: !!options.users, RegisteredUsers: options.users ?? {},
  });
  const configPath = join(dir, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const child = spawn(ORTHANC, [configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (b: Buffer) => { log = (log + b.toString()).slice(-8000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const [user, password] = Object.entries(options.users ?? {})[0] ?? [];
  const authorization = user ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : undefined;
  const url = `http://127.0.0.1:${port}`;
  const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};

  const stop = async () => {
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) { child.kill('SIGKILL'); await waitForExit(child, 2000); }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) { await stop(); throw new Error(`Orthanc exited at start (code ${child.exitCode}):\n${log}`); }
    try {
      const res = await fetch(`${url}/system`, { headers });
      if (res.ok) { await res.arrayBuffer(); break; }
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`Orthanc did not answer on ${url}/system within 20 s:\n${log}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, port, dicomweb: `${url}/dicom-web`, authorization, stop,
    async upload(bytes) {
      const res = await fetch(`${url}/instances`, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer>, headers });
      const text = await res.text();
      if (!res.ok) throw new Error(`Orthanc refused an upload (HTTP ${res.status}): ${text}`);
      return JSON.parse(text) as { ID: string; Status: string; ParentStudy: string };
    },
  };
}

/** Starts Orthanc; tries another port when the one picked was taken in between. */
export async function startOrthanc(options: OrthancOptions = {}): Promise<Orthanc> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await startOnce(options); } catch (err) { last = err; }
  }
  throw last;
}

/**
 * Starts Orthanc in the suite's beforeAll and stops it in afterAll. The returned object's `orthanc` and `server` (the
 * DICOMweb server settings, with the first user's credentials when there are users) are set once beforeAll has run.
 */
export function useOrthanc(options: OrthancOptions = {}, label = 'Test Orthanc'): { orthanc: Orthanc; server: DicomwebServer } {
  const ctx = {} as { orthanc: Orthanc; server: DicomwebServer };
  beforeAll(async () => {
    ctx.orthanc = await startOrthanc(options);
    const [username, password] = Object.entries(options.users ?? {})[0] ?? [];
    ctx.server = { id: 'orthanc', label, url: ctx.orthanc.dicomweb, ...(username ? { auth: { kind: 'basic', username, password: password! } } : {}) };
  });
  afterAll(() => ctx.orthanc?.stop());
  return ctx;
}
