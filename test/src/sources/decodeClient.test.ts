// Contract of the UI-side decode bridge: a hung or crashing file is blamed by name only when it is alone in the worker,
// every other call caught up in a restart runs again (one at a time) and succeeds, a slow but valid large file is not
// timed out, and instances loaded before a restart are re-read lazily into the new worker.
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { callBudgetMs, createDecodeClient, decodeTimeoutMs, DEFAULT_TIMEOUT_MS, PER_MB_MS, TIMEOUT_RANGE_S } from '../../../src/sources/decodeClient';
import { createDecodeApi } from '../../../workers/decodeApi';
import { makeImage, pattern } from '../../fixtures/makeImage';
import { TS_UID } from '../../../src/dicom/transferSyntax';
import { loadOrder } from '../../../src/sources/loadOrder';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A stand-in Worker: the real decode API behind a MessageChannel. Files starting with "HANG" never finish loading,
 * "CRASH" files crash the worker (an 'error' event, no answer), "SLOW" files take `slowMs`. With `serial`, the worker
 * does one call at a time like the real one, so a hang blocks every call behind it. With `startMs`, it answers nothing
 * for that long after it is made (a worker loading its modules; messages wait in the port).
 */
function fakeWorkerFactory({ serial = false, slowMs = 0, startMs = 0 } = {}) {
  const made: { terminated: boolean }[] = [];
  const make = () => {
    const { port1, port2 } = new MessageChannel();
    const api = createDecodeApi();
    let queue: Promise<unknown> = Promise.resolve();
    const load = async (id: string, src: Blob) => {
      const head = new TextDecoder().decode(await src.slice(0, 5).arrayBuffer());
      if (head.startsWith('HANG')) return new Promise<never>(() => {});
      if (head === 'CRASH') {
        setTimeout(() => port2.dispatchEvent(new Event('error')), 10);
        return new Promise<never>(() => {});
      }
      if (head.startsWith('SLOW')) { await sleep(slowMs); return api.load(id, new Blob([good.slice().buffer])); }
      return api.load(id, src);
    };
    const exposed = {
      ...api,
      load: (id: string, src: Blob) => {
        if (!serial) return load(id, src);
        const done = queue.then(() => load(id, src));
        queue = done.catch(() => undefined);
        return done;
      },
    };
    const expose = () => Comlink.expose(exposed, port1 as unknown as Comlink.Endpoint);
    if (startMs) setTimeout(expose, startMs); else expose();
    const state = { terminated: false };
    made.push(state);
    const worker = Object.assign(port2, {
      terminate() { state.terminated = true; port1.close(); port2.close(); },
      onerror: null,
    });
    return worker as unknown as Worker;
  };
  return { make, made };
}

const values = Uint16Array.from(pattern(8, 8, 0, 999));
const good = await makeImage({ rows: 8, columns: 8, bitsAllocated: 16, values }, TS_UID.explicitLE);
const goodFile = (name: string) => new File([good.slice().buffer], name);
const textFile = (name: string, text: string, bytes = 0) => new File([new TextEncoder().encode(text.padEnd(bytes, ' '))], name);

describe('decode client', () => {
  it('times out a hung file by name, restarts the worker and keeps everything else working', async () => {
    const { make, made } = fakeWorkerFactory();
    const client = createDecodeClient(make, { timeoutMs: 500 });
    const first = await client.load('a', goodFile('a.dcm'));
    expect(first.ok).toBe(true);

    const [hung, other] = await Promise.all([
      client.load('h', textFile('hang.dcm', 'HANG forever')),
      client.load('b', goodFile('b.dcm')),
    ]);
    expect(hung).toMatchObject({ ok: false, error: { name: 'DecodeTimeoutError' } });
    expect(other.ok).toBe(true);
    expect(client.restarts()).toBe(1);
    expect(made[0]!.terminated).toBe(true);

    // 'a' was loaded in the old worker: decoding it re-reads the file into the new one.
    const frame = await client.decode('a', 0);
    expect(Array.from(frame.data)).toEqual(Array.from(values));
    client.dispose();
  });

  for (const kind of ['HANG', 'CRASH'] as const) {
    it(`${kind}: 8 good + 2 bad files at once in a one-call-at-a-time worker: every good file loads, exactly the 2 bad ones fail by name`, async () => {
      const timeoutMs = 300;
      const { make } = fakeWorkerFactory({ serial: true });
      const client = createDecodeClient(make, { timeoutMs });
      const names = ['g0', 'g1', 'g2', 'BAD1', 'g3', 'g4', 'BAD2', 'g5', 'g6', 'g7'];
      const t0 = performance.now();
      const results = await Promise.all(names.map((n) => client.load(n, n.startsWith('BAD') ? textFile(`${n}.dcm`, kind) : goodFile(`${n}.dcm`))));
      const ms = performance.now() - t0;
      const failed = results.filter((r) => !r.ok).map((r) => r.id).sort();
      expect(failed).toEqual(['BAD1', 'BAD2']);
      const name = kind === 'HANG' ? 'DecodeTimeoutError' : 'DecodeWorkerCrashedError';
      for (const r of results) if (!r.ok) expect(r.error).toMatchObject({ name, message: expect.stringContaining(`${r.id}.dcm`) });
      // One restart for the jam (nobody blamed), then each culprit alone: three timeouts at most.
      expect(client.restarts()).toBe(3);
      expect(ms).toBeLessThan(3 * timeoutMs + 1500);
      // Every good file is decodable afterwards (re-read into the current worker when needed).
      for (const n of names.filter((x) => !x.startsWith('BAD'))) expect((await client.decode(n, 0)).data.length).toBe(64);
      client.dispose();
    });
  }

  it('a hang alone in the worker is blamed at its first timeout', async () => {
    const { make } = fakeWorkerFactory({ serial: true });
    const client = createDecodeClient(make, { timeoutMs: 200 });
    const t0 = performance.now();
    const alone = await client.load('h', textFile('hang.dcm', 'HANG'));
    expect(performance.now() - t0).toBeLessThan(200 + 1500);
    expect(alone).toMatchObject({ ok: false, error: { name: 'DecodeTimeoutError' } });
    expect(client.restarts()).toBe(1);
    client.dispose();
  });

  it('a slow but valid large file is not timed out, and files queued behind it are not either', async () => {
    const timeoutMs = 200;
    // 2 MiB: budget 200 ms + 2 × PER_MB_MS, far above the 700 ms it takes; the small files wait behind it.
    const { make } = fakeWorkerFactory({ serial: true, slowMs: 700 });
    const client = createDecodeClient(make, { timeoutMs });
    const results = await Promise.all([
      client.load('big', textFile('big.dcm', 'SLOW', 2 * 2 ** 20)),
      client.load('s1', goodFile('s1.dcm')),
      client.load('s2', goodFile('s2.dcm')),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(client.restarts()).toBe(0);
    client.dispose();
  });

  it('as the workbench loads a drop (large files last, 4 at a time): 8 good + 2 hanging + 1 slow large file', async () => {
    const timeoutMs = 300;
    const { make } = fakeWorkerFactory({ serial: true, slowMs: 700 });
    const client = createDecodeClient(make, { timeoutMs });
    const picked = [
      { path: 'big.dcm', file: textFile('big.dcm', 'SLOW', 2 * 2 ** 20) },
      ...['g0', 'g1', 'g2', 'g3'].map((n) => ({ path: `${n}.dcm`, file: goodFile(`${n}.dcm`) })),
      { path: 'HANG1.dcm', file: textFile('HANG1.dcm', 'HANG') },
      ...['g4', 'g5', 'g6', 'g7'].map((n) => ({ path: `${n}.dcm`, file: goodFile(`${n}.dcm`) })),
      { path: 'HANG2.dcm', file: textFile('HANG2.dcm', 'HANG') },
    ];
    // The loading loop of src/app/useStudies.ts: four runners over the queue (the 2 MiB file goes last).
    const queue = loadOrder(picked);
    const outcome = new Map<string, string>();
    let cursor = 0;
    const run = async () => {
      while (cursor < queue.length) {
        const { path, file } = queue[cursor++]!;
        const r = await client.load(path, file);
        outcome.set(path, r.ok ? 'ok' : r.error.name);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 4 }, run));
    const ms = performance.now() - t0;
    expect([...outcome].filter(([, v]) => v !== 'ok').sort()).toEqual([['HANG1.dcm', 'DecodeTimeoutError'], ['HANG2.dcm', 'DecodeTimeoutError']]);
    expect(outcome.size).toBe(11);
    // Worst case: a jam and a lone timeout per hanging file, one jam held for the large file's budget, its 700 ms.
    expect(ms).toBeLessThan(3 * timeoutMs + callBudgetMs(timeoutMs, 2 * 2 ** 20) + 700 + 1500);
    client.dispose();
  });

  it("does not charge a fresh worker's start-up to the calls waiting for it; a hang is still blamed after it starts", async () => {
    const { make } = fakeWorkerFactory({ serial: true, startMs: 600 });
    const client = createDecodeClient(make, { timeoutMs: 200 });
    const results = await Promise.all(['s1', 's2', 's3'].map((n) => client.load(n, goodFile(`${n}.dcm`))));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(client.restarts()).toBe(0);
    const t0 = performance.now();
    const [hung, good2] = await Promise.all([client.load('h', textFile('hang.dcm', 'HANG')), client.load('s4', goodFile('s4.dcm'))]);
    expect(hung).toMatchObject({ ok: false, error: { name: 'DecodeTimeoutError' } });
    expect(good2.ok).toBe(true);
    // A jam, then the hang alone in a fresh worker (600 ms to start, then its 200 ms budget).
    expect(client.restarts()).toBe(2);
    expect(performance.now() - t0).toBeLessThan(200 + 2 * (600 + 200) + 1500);
    client.dispose();
  });

  it('reports bad files with their error names and never throws from load', async () => {
    const { make } = fakeWorkerFactory();
    const client = createDecodeClient(make, { timeoutMs: 2000 });
    const r = await client.load('x', textFile('x.txt', 'hello'));
    expect(r).toMatchObject({ ok: false, error: { name: 'NotDicomError' } });
    await expect(client.decode('x', 0)).rejects.toMatchObject({ name: 'NotLoadedError' });
    client.dispose();
  });
});

describe('decodeTimeoutMs', () => {
  it('reads ?decodeTimeout in seconds, clamped to TIMEOUT_RANGE_S; anything else is the default', () => {
    expect(decodeTimeoutMs('')).toBe(DEFAULT_TIMEOUT_MS);
    expect(decodeTimeoutMs('?decodeTimeout=2')).toBe(2000);
    expect(decodeTimeoutMs('?empty&decodeTimeout=1.5')).toBe(1500);
    expect(decodeTimeoutMs('?decodeTimeout=0')).toBe(TIMEOUT_RANGE_S[0] * 1000);
    expect(decodeTimeoutMs('?decodeTimeout=1e9')).toBe(TIMEOUT_RANGE_S[1] * 1000);
    for (const bad of ['?decodeTimeout=', '?decodeTimeout=abc', '?decodeTimeout=Infinity', '?decodetimeout=5']) expect(decodeTimeoutMs(bad)).toBe(DEFAULT_TIMEOUT_MS);
  });
});

describe('callBudgetMs', () => {
  it('is the base plus PER_MB_MS per MiB of the file (ms)', () => {
    expect(callBudgetMs(30_000)).toBe(30_000);
    expect(callBudgetMs(30_000, 1000)).toBe(30_001);
    expect(callBudgetMs(30_000, 2 ** 19)).toBe(30_000 + PER_MB_MS / 2);
    expect(callBudgetMs(30_000, 8 * 2 ** 20)).toBe(30_000 + 8 * PER_MB_MS);
    expect(callBudgetMs(30_000, 2 * 2 ** 30)).toBe(30_000 + 2048 * PER_MB_MS); // the largest file Lucid reads: ~34 min
  });
});
