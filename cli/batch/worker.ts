// `lucid batch worker --redis redis://host:port [--concurrency N] [--out DIR] [--lock-seconds S] [--secret FILE …]`: processes
// series jobs in BullMQ sandboxed processors (processSeries.ts, a child process each, up to N at a time) and completes each study's
// parent job once its series are done, returning the study's aggregate. Refuses a Redis that may evict keys (BullMQ needs
// maxmemory-policy noeviction). Runs until SIGINT/SIGTERM, then lets running jobs finish. Node only.
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { parseArgs } from '../engine';
import { usageError } from '../dicomwebInput';
import { takePrivacyArgs } from '../privacy';
import { SERIES_QUEUE, STUDY_QUEUE, redisConnection, type SeriesJobData, type SeriesResult, type StudyJobData, type StudyResult } from './batchJobs';

/** The sandboxed processor BullMQ forks (its default export runs one series job); not imported here, so its exit-with-parent hook only runs in the children. */
const PROCESSOR_FILE = fileURLToPath(new URL('./processSeries.ts', import.meta.url));

/** A study's result from its series' results (the parent job's return value). */
function studyResult(data: StudyJobData, series: SeriesResult[]): StudyResult {
  const scores = series.flatMap((s) => (s.maxScore === null ? [] : [s.maxScore]));
  return {
    study: data.study, series: series.length, instances: series.reduce((n, s) => n + s.instances, 0),
    maxScore: scores.length ? Math.max(...scores) : null, boxes: series.reduce((n, s) => n + s.boxes, 0),
    ms: series.reduce((n, s) => n + s.ms, 0), sha256: data.sha256,
  };
}

/** The worker command: runs until a signal; exit code 2 for a usage error or a Redis BullMQ cannot rely on. */
export async function worker(args: string[]): Promise<number> {
  const { inputs: privacyArgs, options } = parseArgs(args, ['--redis', '--concurrency', '--out', '--lock-seconds']);
  const { rest: inputs } = await takePrivacyArgs(privacyArgs);
  const concurrency = Number(options.concurrency ?? 1);
  const lockMs = Number(options['lock-seconds'] ?? 30) * 1000;
  const push = !options.out;
  if (inputs.length || !options.redis || !(Number.isInteger(concurrency) && concurrency >= 1) || !(lockMs >= 1000)) throw usageError();
  const connection = redisConnection(options.redis);
  const probe = new Queue(SERIES_QUEUE, { connection });
  try {
    const client = await probe.client;
    const policy = /^maxmemory_policy:(\S+)/m.exec(await client.info())?.[1] ?? 'unknown';
    if (policy !== 'noeviction') {
      console.error(`Redis at ${options.redis} has maxmemory-policy ${policy}: it may evict BullMQ's keys and lose jobs. Set "maxmemory-policy noeviction" (redis.conf, or CONFIG SET maxmemory-policy noeviction) and start the worker again.`);
      return 2;
    }
  } finally {
    await probe.close();
  }
  // The sandboxed children read these (they are forked with this process's environment).
  process.env.LUCID_BATCH_REDIS = options.redis;
  if (options.out) process.env.LUCID_BATCH_OUT = options.out;
  process.env.LUCID_BATCH_PRIVACY = JSON.stringify(privacyArgs);
  // A worker that dies (kill -9, power) holds its jobs until their lock expires; a live worker's stall check then takes them.
  const series = new Worker<SeriesJobData>(SERIES_QUEUE, PROCESSOR_FILE, { connection, concurrency, lockDuration: lockMs, stalledInterval: lockMs });
  const studies = new Worker<StudyJobData, StudyResult>(STUDY_QUEUE, async (job: Job<StudyJobData>) => studyResult(job.data, Object.values(await job.getChildrenValues<SeriesResult>())), { connection, concurrency: 4, lockDuration: lockMs, stalledInterval: lockMs });
  for (const w of [series, studies]) w.on('error', (e) => console.error(`redis: ${e.message}`));
  series.on('completed', (job, r: SeriesResult) => console.log(JSON.stringify({ study: job.data.study, series: job.data.series, ok: true, instances: r.instances, maxScore: r.maxScore, boxes: r.boxes, ms: r.ms })));
  series.on('stalled', (id) => console.log(JSON.stringify({ stalled: id, note: 'its worker stopped renewing the lock; taken over' })));
  series.on('failed', (job, e) => console.log(JSON.stringify({ study: job?.data.study, series: job?.data.series, ok: false, attempt: job?.attemptsMade, error: e.message })));
  console.error(`worker: ${concurrency} sandboxed processor${concurrency === 1 ? '' : 's'}, results ${push ? 'to the PACS when a job says --push' : `under ${options.out}`}; Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    const stop = () => { void Promise.all([series.close(), studies.close()]).then(() => resolve()); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
