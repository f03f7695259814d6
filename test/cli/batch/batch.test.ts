// `lucid batch` against a real Redis and Orthanc: the worker refuses a Redis that may evict keys; a batch of small
// studies (one 64² CT slice each, the screen task) with two worker processes ends with every study done exactly once,
// a study deleted from the PACS after submission (WADO-RS 404) failed alone with its named error after its retries,
// status and report saying so; submitting the same batch again gives the same id and runs nothing again.
import { spawn, type ChildProcess } from 'node:child_process';
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
function startWorker(redis: string, out: string): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/lucid.ts', 'batch', 'worker', '--redis', redis, '--out', out, '--concurrency', '1', '--lock-seconds', '4']);
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

const stopWorker = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null) { resolve(); return; }
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  child.once('exit', () => { clearTimeout(t); resolve(); });
  child.kill('SIGTERM');
});

const [ct] = sampleSeriesSpecs();
const STUDIES = Array.from({ length: 5 }, (_, i) => `${SAMPLE_UID_ROOT}.1.15${i}`);
const POISONED = `${SAMPLE_UID_ROOT}.1.159`;
const seriesOf = (study: string) => `${study}.7`;
const files = [...STUDIES, POISONED].flatMap((studyUID) => makeSampleStudy([{ ...ct!, studyUID, size: 64, slices: 1, seriesNumber: 7, spacing: 1 }]));

describeWithRedis('lucid batch on BullMQ: Redis and Orthanc', () => {
  const ctx = useOrthanc();
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
    expect(first.stderr).toMatch(/6 studies \(6 series\) submitted for screen/);
    // The poisoned study: deleted from Orthanc after submission, so its WADO-RS retrieval answers 404.
    expect((await fetch(`${ctx.orthanc.url}/studies/${poisonedId}`, { method: 'DELETE' })).ok).toBe(true);

    const out = mkdtempSync(join(tmpdir(), 'lucid-batch-'));
    const workers = [startWorker(redis.url, out), startWorker(redis.url, out)];
    try {
      let line = '';
      for (const deadline = Date.now() + 100_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
        line = (await lucid(['batch', 'status', batchId, '--redis', redis.url])).stdout;
        if (/ 6\/6 studies/.test(line)) break;
      }
      expect(line).toMatch(/\[#{20}\] 6\/6 studies: 5 done, 1 failed, 0 active, 0 waiting; [\d.]+ studies\/min; finished/);

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
      expect(report.studies).toHaveLength(6);
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
      expect(csv.filter((l) => l.includes(',done,'))).toHaveLength(5);

      // The same batch again: same id, nothing enqueued again, nothing run again.
      const again = await submit();
      expect(again.stdout.trim()).toBe(batchId);
      await new Promise((r) => setTimeout(r, 4000));
      expect(workers.flatMap((w) => w.lines)).toHaveLength(lines.length);
      expect((await lucid(['batch', 'status', batchId, '--redis', redis.url])).stdout).toMatch(/6\/6 studies: 5 done, 1 failed/);
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w.child)));
    }
  }, 150_000);
});
