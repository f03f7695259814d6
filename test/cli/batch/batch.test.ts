// `lucid batch` against a real Redis and Orthanc: the worker refuses a Redis that may evict keys; a batch of small
// studies (one 64² CT slice each, the screen task) with two worker processes ends with every study done exactly once,
// a study deleted from the PACS after submission (WADO-RS 404) failed alone with its named error after its retries,
// status and report saying so; submitting the same batch again gives the same id and runs nothing again. Then a worker
// killed with -9 mid-job and Redis restarted (append-only file) mid-batch: the other worker finishes, nothing done twice.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../../models/catalog';
import { makeSampleStudy, sampleSeriesSpecs, SAMPLE_UID_ROOT } from '../../../src/dicom/synthetic/sampleStudy';
import { useOrthanc } from '../../orthanc/orthanc';
import { describeWithRedis, startRedis, type RedisServer } from './redis';

interface Run { status: number | null; stdout: string; stderr: string }

function lucid(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/lucid.ts', ...args]);
  let stdout = '', stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** A long-running worker; `lines` fills with its JSON lines (one per series job completed or failed). */
function startWorker(redis: string, out?: string): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/lucid.ts', 'batch', 'worker', '--redis', redis, ...(out ? ['--out', out] : []), '--concurrency', '1', '--lock-seconds', '4']);
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  child.stdout!.on('data', (b: Buffer) => {
    buf += b.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
    if (process.env.LUCID_BATCH_DEBUG) process.stderr.write(`[worker ${child.pid}] ${parts.join('\n')}\n`);
  });
  child.stderr!.on('data', (b: Buffer) => { if (process.env.LUCID_BATCH_DEBUG) process.stderr.write(`[worker ${child.pid}] ${b.toString()}`); });
  return { child, lines };
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 100_000) => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) if (await ok()) return;
  throw new Error(`timed out waiting for ${what}`);
};

const stopWorker = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; } // exited, or killed (-9) by the test
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  child.once('exit', () => { clearTimeout(t); resolve(); });
  child.kill('SIGTERM');
});

/** BullMQ sandboxed children (forked from this checkout) still running: none once their workers are gone. */
const sandboxedChildren = () => execFileSync('ps', ['-eo', 'pid=,args=']).toString().split('\n')
  .filter((l) => l.includes(join(process.cwd(), 'node_modules/bullmq/dist/cjs/classes/main')));

const [ct] = sampleSeriesSpecs();
const STUDIES = Array.from({ length: 19 }, (_, i) => `${SAMPLE_UID_ROOT}.1.2${String(i).padStart(2, '0')}`);
const POISONED = `${SAMPLE_UID_ROOT}.1.299`;
const ALL = [...STUDIES, POISONED];
const seriesOf = (study: string) => `${study}.7`;
const files = ALL.flatMap((studyUID) => makeSampleStudy([{ ...ct!, studyUID, size: 64, slices: 1, seriesNumber: 7, spacing: 1 }]));

describeWithRedis('lucid batch on BullMQ: Redis and Orthanc', () => {
  const ctx = useOrthanc();
  /** The study's instances in the PACS (QIDO-RS): modality and rows of each. */
  const instances = async (study: string) => {
    const res = await fetch(`${ctx.orthanc.dicomweb}/studies/${study}/instances?includefield=00080060&includefield=00280010`);
    expect(res.status).toBe(200);
    return ((await res.json()) as Record<string, { Value?: [string | number] }>[]).map((ds) => ({ modality: String(ds['00080060']?.Value?.[0]), rows: Number(ds['00280010']?.Value?.[0]) }));
  };
  const modalities = async (study: string) => (await instances(study)).map((i) => i.modality).sort();
  const count = (list: string[]) => Object.fromEntries(['CT', 'SR', 'SEG'].map((m) => [m, list.filter((x) => x === m).length]));
  let redis: RedisServer;
  let poisonedId = '';
  beforeAll(async () => {
    redis = await startRedis();
    for (const f of files) {
      const r = await ctx.orthanc.upload(f.bytes);
      expect(r.Status).toBe('Success');
      poisonedId = r.ParentStudy; // the last file is the poisoned study's
    }
  });
  afterAll(async () => { await redis?.stop(); });

  it('the worker refuses a Redis whose maxmemory-policy is not noeviction, saying how to fix it (exit 2)', async () => {
    const lru = await startRedis({ policy: 'allkeys-lru' });
    try {
      const run = await lucid(['batch', 'worker', '--redis', lru.url, '--out', tmpdir()]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/maxmemory-policy allkeys-lru.*noeviction/s);
    } finally {
      await lru.stop();
    }
  });

  it('two workers finish a batch with every study done once; a study gone from the PACS fails alone with its error; resubmitting runs nothing again', async () => {
    const submit = () => lucid(['batch', 'submit', '--from', `dicomweb+${ctx.orthanc.dicomweb}`, '--query', 'ModalitiesInStudy=CT', '--task', 'screen', '--redis', redis.url]);
    const first = await submit();
    expect(first.status, first.stderr).toBe(0);
    const batchId = first.stdout.trim();
    expect(first.stderr).toMatch(/20 studies \(20 series\) submitted for screen/);
    // The poisoned study: deleted from Orthanc after submission, so its WADO-RS retrieval answers 404.
    expect((await fetch(`${ctx.orthanc.url}/studies/${poisonedId}`, { method: 'DELETE' })).ok).toBe(true);

    const out = mkdtempSync(join(tmpdir(), 'lucid-batch-'));
    const workers = [startWorker(redis.url, out), startWorker(redis.url, out)];
    try {
      let line = '';
      for (const deadline = Date.now() + 100_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
        line = (await lucid(['batch', 'status', batchId, '--redis', redis.url])).stdout;
        if (/ 20\/20 studies/.test(line)) break;
      }
      expect(line).toMatch(/\[#{20}\] 20\/20 studies: 19 done, 1 failed, 0 active, 0 waiting; [\d.]+ studies\/min; finished/);

      const lines = workers.flatMap((w) => w.lines);
      const completed = lines.filter((l) => l.ok === true);
      expect(completed.map((l) => l.study).sort()).toEqual([...STUDIES].sort());
      expect(workers.every((w) => w.lines.some((l) => l.ok === true)), 'both workers took jobs').toBe(true);
      const poisoned = lines.filter((l) => l.ok === false);
      expect(poisoned.map((l) => l.study)).toEqual([POISONED, POISONED, POISONED]);
      for (const s of STUDIES) expect(existsSync(join(out, s, seriesOf(s), 'screen', 'report.json'))).toBe(true);

      const reportFile = join(out, 'report.json');
      expect((await lucid(['batch', 'report', batchId, '--redis', redis.url, '--out', reportFile])).status).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { studies: { study: string; state: string; result?: { sha256: string; instances: number; maxScore: number }; errors: { error: string }[] }[] };
      expect(report.studies).toHaveLength(20);
      for (const s of report.studies.filter((r) => r.study !== POISONED)) {
        expect(s).toMatchObject({ state: 'done', result: { sha256: MODEL_CATALOG.anomaly.sha256, instances: 1 }, errors: [] });
        expect(s.result!.maxScore).toBeGreaterThan(0);
      }
      const bad = report.studies.find((r) => r.study === POISONED)!;
      expect(bad.state).toBe('failed');
      expect(bad.errors[0]!.error).toMatch(/^DicomwebNotFoundError: /);
      const csvFile = join(out, 'report.csv');
      expect((await lucid(['batch', 'report', batchId, '--redis', redis.url, '--out', csvFile])).status).toBe(0);
      const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
      expect(csv[0]).toBe('study,state,series,instances,maxScore,boxes,ms,sha256,error');
      expect(csv.filter((l) => l.includes(',done,'))).toHaveLength(19);

      // The same batch again: same id, nothing enqueued again, nothing run again.
      const again = await submit();
      expect(again.stdout.trim()).toBe(batchId);
      await new Promise((r) => setTimeout(r, 4000));
      expect(workers.flatMap((w) => w.lines)).toHaveLength(lines.length);
      expect((await lucid(['batch', 'status', batchId, '--redis', redis.url])).stdout).toMatch(/20\/20 studies: 19 done, 1 failed/);

      // The PACS fixed (the study stored again): submitting again retries exactly the failed study.
      const seen = workers.map((w) => w.lines.length);
      for (const f of files.slice(-1)) expect((await ctx.orthanc.upload(f.bytes)).Status).toBe('Success');
      const fixed = await submit();
      expect(fixed.stdout.trim()).toBe(batchId);
      expect(fixed.stderr).toMatch(/20 studies \(20 series\) submitted for screen \(1 that had failed enqueued again\)/);
      await until('the retried study', async () => / 20 done, 0 failed/.test((await lucid(['batch', 'status', batchId, '--redis', redis.url])).stdout));
      await until('its line', () => workers.some((w) => w.lines.some((l) => l.study === POISONED && l.ok === true)));
      const rerun = workers.flatMap((w, i) => w.lines.slice(seen[i]));
      expect(rerun.filter((l) => l.ok === true).map((l) => l.study), JSON.stringify(rerun)).toEqual([POISONED]);
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w.child)));
    }
  }, 150_000);

  it('with --push, a worker killed (-9) mid-job and Redis restarted mid-batch: the other worker takes the job over and finishes, each study stored to the PACS once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lucid-redis-'));
    let r2 = await startRedis({ dir });
    const a = startWorker(r2.url);
    let b: ReturnType<typeof startWorker> | undefined;
    try {
      const run = await lucid(['batch', 'submit', '--from', `dicomweb+${ctx.orthanc.dicomweb}`, '--task', 'screen', '--push', '--redis', r2.url]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/20 studies \(20 series\) submitted/);
      const batchId = run.stdout.trim();
      await until('worker A to finish a study', () => a.lines.some((l) => l.ok === true));
      a.child.kill('SIGKILL'); // its sandboxed child is on the next study by now
      b = startWorker(r2.url);
      const w = b;
      await until('worker B to finish a study', () => w.lines.some((l) => l.ok === true));
      await r2.stop(); // mid-batch: B is on its next study
      r2 = await startRedis({ dir, port: r2.port });
      const status = () => lucid(['batch', 'status', batchId, '--redis', r2.url]).then((s) => s.stdout);
      await until('the batch to finish', async () => / 20\/20 studies/.test(await status()));
      expect(await status()).toMatch(/20\/20 studies: 20 done, 0 failed/);
      // Which studies completed is the batch's own record: a worker's stdout line comes after Redis has recorded the
      // completion, so worker A, killed between the two, can have finished a study it never printed.
      const reportFile = join(dir, 'report.json');
      expect((await lucid(['batch', 'report', batchId, '--redis', r2.url, '--out', reportFile])).status).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { studies: { study: string; state: string }[] };
      expect(report.studies.map((s) => s.study).sort()).toEqual([...ALL].sort());
      expect(report.studies.filter((s) => s.state !== 'done'), 'studies not done').toEqual([]);
      const printed = [...a.lines, ...w.lines].filter((l) => l.ok === true).map((l) => l.study as string);
      expect(new Set(printed).size, 'studies a worker printed as done').toBeGreaterThanOrEqual(ALL.length - 1);
      expect(w.lines.some((l) => typeof l.stalled === 'string'), 'B took over the job A held').toBe(true);
      // In the PACS: each study has its CT slice, exactly one SR from the batch, and at most one SEG (a SEG is written
      // only when some pixel reached the threshold).
      for (const study of ALL) expect(count(await modalities(study)), study).toMatchObject({ CT: 1, SR: 1, SEG: expect.toBeOneOf([0, 1]) });
    } finally {
      await Promise.all([a, b].map((x) => x && stopWorker(x.child)));
      await r2.stop();
    }
    // Worker A's sandboxed child (its job taken over by B) exited with A instead of running on unowned.
    await until('no sandboxed child left running', () => sandboxedChildren().length === 0, 10_000);
  }, 150_000);

  it('an sr-x2 batch with --push stores one derived series per image series, leaves the SR and SEG series out, and run again from nothing (new Redis) stores the same objects, not a second copy', async () => {
    for (let round = 0; round < 2; round++) {
      const r3 = await startRedis();
      const w = startWorker(r3.url);
      try {
        const run = await lucid(['batch', 'submit', '--from', `dicomweb+${ctx.orthanc.dicomweb}`, '--task', 'sr-x2', '--push', '--redis', r3.url]);
        expect(run.status, run.stderr).toBe(0);
        // The SR and SEG series (and, the second time, the derived series) are left out.
        expect(run.stderr).toMatch(/20 studies \(20 series\) submitted for sr-x2, \d+ series left out \(no images, such as SR and SEG, or derived by Lucid\)/);
        expect(Number(/(\d+) series left out/.exec(run.stderr)![1])).toBeGreaterThanOrEqual(20 + 20 * round);
        const batchId = run.stdout.trim();
        await until('the sr-x2 batch to finish', async () => / 20\/20 studies: 20 done/.test((await lucid(['batch', 'status', batchId, '--redis', r3.url])).stdout));
        expect(w.lines.filter((l) => l.ok === true)).toHaveLength(20);
      } finally {
        await stopWorker(w.child);
        await r3.stop();
      }
      for (const study of ALL) expect(count(await modalities(study)), `${study}, round ${round + 1}`).toMatchObject({ CT: 2, SR: 1, SEG: expect.toBeOneOf([0, 1]) });
    }
    // The derived instance is the ×2 image (128² from 64²).
    expect((await instances(STUDIES[0]!)).filter((i) => i.modality === 'CT').map((i) => i.rows).sort()).toEqual([128, 64]);
  }, 150_000);
});
