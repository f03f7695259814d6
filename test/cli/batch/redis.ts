// A real Redis for the batch tests: Debian's redis-server on a free loopback port, nothing saved to disk, stopped (and
// its process killed) after. Without redis-server (or Orthanc, which the batch suites also need) the suites skip,
// naming what is missing; under CI=true they fail instead (as test/orthanc/orthanc.ts does for Orthanc).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, it } from 'vitest';
import { describeWithOrthanc, freePort } from '../../orthanc/orthanc';

const REDIS_SERVER = '/usr/bin/redis-server';

/** `stop`: SIGTERM (Redis shuts down cleanly, its append-only file complete). */
export interface RedisServer { url: string; port: number; stop(): Promise<void> }

/**
 * `policy`: Redis's maxmemory-policy (BullMQ needs noeviction; the refusal test gives it another). `dir`: keep an
 * append-only file there (fsync always), so a Redis started again on the same port and folder has every job back.
 */
export async function startRedis(options: { policy?: string; port?: number; dir?: string } = {}): Promise<RedisServer> {
  const port = options.port ?? await freePort();
  const persist = options.dir ? ['--dir', options.dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persist, '--maxmemory-policy', options.policy ?? 'noeviction'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`, port,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/**
 * `describe` for a suite that needs Redis and Orthanc: without redis-server, skipped with the reason outside CI and a
 * failing test under CI=true; with it, describeWithOrthanc (which does the same for Orthanc).
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (existsSync(REDIS_SERVER)) { describeWithOrthanc(name, body); return; }
  const reason = `redis-server (${REDIS_SERVER}) not installed: apt-get install -y redis-server`;
  if (process.env.CI !== 'true') describe.skip(`${name} (skipped: ${reason})`, body);
  else describe(name, () => { it('needs redis-server', () => { throw new Error(`CI=true and ${reason}`); }); });
}
