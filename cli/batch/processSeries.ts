// The sandboxed BullMQ processor of one series job (run by BullMQ in a child process, so a long CPU-bound model run
// does not stall the worker's lock renewal): retrieves the series by WADO-RS and runs the model through the same
// functions as `lucid screen` / `lucid enhance` (cli/screen.ts, cli/enhance.ts, one engine per child process), storing
// results by STOW-RS when the job says push, else under LUCID_BATCH_OUT/<study>/<series>/<task> (a fixed path: a run
// again overwrites, never adds). Written once: the storedKey mark in Redis is set after the results are stored, and a
// job that finds it returns the recorded result without running again; and what it writes has UIDs derived from the job
// (batchJobs.jobUids), so a job run again after storing but before the mark stores the same objects, not new ones. Node only.
import { join } from 'node:path';
import { Worker as Thread } from 'node:worker_threads';
import { Queue, type SandboxedJob } from 'bullmq';
import type { InferenceApi } from '../../workers/inference/inferenceApi';
import { createEngine } from '../engine';
import { parseDicomwebInput } from '../dicomwebInput';
import { ENHANCE_DEID_DEFAULTS, enhanceFiles } from '../enhance';
import { screenFiles } from '../screen';
import { screenedSeries } from '../screenPush';
import { pushTarget, stowQueue } from '../push';
import { takePrivacyArgs } from '../privacy';
import { SERIES_QUEUE, jobUids, redisConnection, storedKey, type SeriesJobData, type SeriesResult } from './batchJobs';

// This module is loaded only in the sandboxed children BullMQ forks (worker.ts names its path). When the worker that
// forked this process is gone (killed), exit rather than run on unowned: the job's lock expires and a live worker
// takes it (nothing is marked stored unless the results were). 'disconnect' is the IPC channel closing. A watchdog
// thread also checks the parent process id twice a second and kills this process when it changes (the parent died and
// the child was re-parented): it has its own event loop, so it works while this process's main thread is busy — the
// batch test found such a child spinning on after its worker was killed, never reaching its 'disconnect' handler.
if (process.send) {
  process.once('disconnect', () => process.exit(1));
  const watchdog = `setInterval(() => { if (process.ppid !== ${process.ppid}) process.kill(${process.pid}, 'SIGKILL'); }, 500);`;
  new Thread(watchdog, { eval: true }).unref();
}

let engine: Promise<InferenceApi> | undefined;
let queue: Queue | undefined;

/** A failure named as the CLI names it ("DicomwebNotFoundError: …"), so the job's failedReason carries the name. */
const named = (name: string, message: string) => Object.assign(new Error(`${name}: ${message}`), { name });

async function run(d: SeriesJobData, uid: (key: string) => string, out: string | undefined, log: (line: string) => void): Promise<Omit<SeriesResult, 'ms' | 'sha256' | 'series'>> {
  const sources = [parseDicomwebInput(`dicomweb+${d.root}/studies/${d.study}/series/${d.series}`)];
  const privacyArgs = JSON.parse(process.env.LUCID_BATCH_PRIVACY ?? '[]') as string[];
  const { privacy } = await takePrivacyArgs(privacyArgs, d.task === 'screen' ? {} : ENHANCE_DEID_DEFAULTS);
  if (!d.push && !out) throw named('ConfigError', 'This batch stores results to a folder: start the worker with --out DIR.');
  const dir = d.push || !out ? undefined : join(out, d.study, d.series, d.task);
  const queue = d.push ? stowQueue(pushTarget(sources), log) : undefined;
  const api = await (engine ??= createEngine(1));
  if (d.task === 'screen') {
    const series = queue && screenedSeries(uid);
    const report = await screenFiles(api, sources, dir, undefined, privacy, log, series?.add);
    const bad = report.files.find((f) => !f.ok);
    if (bad && !bad.ok) throw named(bad.error.name, bad.error.message);
    const unwritten = series && queue ? await series.store(queue, log) : 0;
    if (unwritten || queue?.counts.failed) throw named('DicomwebStoreError', `${unwritten + (queue?.counts.failed ?? 0)} result object(s) were not stored.`);
    const ok = report.files.flatMap((f) => (f.ok ? [f] : []));
    return { instances: ok.length, maxScore: ok.length ? Math.max(...ok.map((f) => f.maxScore)) : null, boxes: ok.reduce((n, f) => n + f.boxes.length, 0), stored: dir ?? `STOW-RS ${d.root}` };
  }
  let error: { name: string; message: string } | undefined;
  const r = await enhanceFiles(api, d.task, sources, dir, privacy, (line) => {
    const parsed = JSON.parse(line) as { ok: boolean; error?: { name: string; message: string } };
    if (!parsed.ok) error ??= parsed.error;
    log(line);
  }, queue && ((bytes, path) => queue.add(bytes, { object: 'derived', path })), uid);
  await queue?.flush();
  if (error) throw named(error.name, error.message);
  if (queue?.counts.failed) throw named('DicomwebStoreError', `${queue.counts.failed} derived file(s) were not stored.`);
  return { instances: r.ok, maxScore: null, boxes: 0, stored: dir ?? `STOW-RS ${d.root}` };
}

/** BullMQ's sandboxed processor entry (worker.ts PROCESSOR_FILE forks this file; knip.json lists it as an entry). */
export default async function processSeries(job: SandboxedJob<SeriesJobData, SeriesResult>): Promise<SeriesResult> {
  const redis = await (queue ??= new Queue(SERIES_QUEUE, { connection: redisConnection(process.env.LUCID_BATCH_REDIS) })).client;
  const key = storedKey(job.id!);
  const done = await redis.get(key);
  if (done) return JSON.parse(done) as SeriesResult;
  const t0 = performance.now();
  const d = job.data;
  const r = await run(d, jobUids(job.id!), process.env.LUCID_BATCH_OUT, (line) => { void job.log(line); });
  const result: SeriesResult = { series: d.series, ...r, ms: Math.round(performance.now() - t0), sha256: d.sha256 };
  await redis.set(key, JSON.stringify(result));
  return result;
}
