// `lucid batch status <id> --redis …`: one line — done / failed / active / waiting studies, studies per minute since
// submission and the time left at that rate. `lucid batch report <id> --redis … --out report.json|report.csv`: one row per
// study with its state, result (max score, boxes, instances, time, model sha256) or, when failed, each failed series'
// named error. Reads the batch record and BullMQ's jobs; changes nothing. Node only.
import { writeFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { parseArgs } from '../engine';
import { usageError } from '../dicomwebInput';
import { SERIES_QUEUE, STUDY_QUEUE, batchKey, redisConnection, type BatchRecord, type StudyResult } from './batchJobs';

type StudyState = 'done' | 'failed' | 'active' | 'waiting';
interface StudyRow { study: string; state: StudyState; result?: StudyResult; errors: { series: string; error: string }[]; finishedOn?: number }

async function readBatch(args: string[], valued: string[]): Promise<{ record: BatchRecord; rows: StudyRow[]; options: Record<string, string> }> {
  const { inputs, options } = parseArgs(args, ['--redis', ...valued]);
  if (inputs.length !== 1 || !options.redis) throw usageError();
  const connection = redisConnection(options.redis);
  const studies = new Queue(STUDY_QUEUE, { connection }), series = new Queue(SERIES_QUEUE, { connection });
  try {
    const text = await (await studies.client).get(batchKey(inputs[0]!));
    if (!text) throw usageError(`No batch "${inputs[0]}" in ${options.redis}.`);
    const record = JSON.parse(text) as BatchRecord;
    const rows = await Promise.all(record.studies.map(async (s): Promise<StudyRow> => {
      const job = await studies.getJob(s.jobId);
      const state = job ? await job.getState() : 'unknown';
      const children = await Promise.all(s.series.map(async (c) => ({ c, job: await series.getJob(c.jobId) })));
      const childStates = await Promise.all(children.map(({ job: j }) => (j ? j.getState() : 'unknown')));
      const errors = children.flatMap(({ c, job: j }, i) => (childStates[i] === 'failed' ? [{ series: c.series, error: j?.failedReason ?? '' }] : []));
      const started = childStates.some((st) => st === 'completed' || st === 'active' || st === 'failed') || (children.some(({ job: j }) => (j?.attemptsMade ?? 0) > 0));
      const st: StudyState = state === 'completed' ? 'done' : state === 'failed' || errors.length ? 'failed' : started ? 'active' : 'waiting';
      return { study: s.study, state: st, errors, ...(job?.returnvalue && st === 'done' ? { result: job.returnvalue as StudyResult } : {}), ...(job?.finishedOn ? { finishedOn: job.finishedOn } : {}) };
    }));
    return { record, rows, options };
  } finally {
    await Promise.all([studies.close(), series.close()]);
  }
}

const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);

/** The one-glance line: a bar, the counts, the rate and the time left. */
export function statusLine(record: BatchRecord, rows: StudyRow[], now: number): string {
  const n = (s: StudyState) => rows.filter((r) => r.state === s).length;
  const done = n('done'), failed = n('failed'), total = rows.length;
  const finished = done + failed;
  const bar = total ? '#'.repeat(Math.round((20 * finished) / total)).padEnd(20, '.') : ''.padEnd(20, '.');
  const last = Math.max(record.submittedAt, ...rows.map((r) => r.finishedOn ?? 0));
  const elapsed = (finished === total ? last : now) - record.submittedAt;
  const perMinute = elapsed > 0 ? (finished * 60_000) / elapsed : 0;
  const left = finished === total ? 'finished' : perMinute > 0 ? `about ${minutes(((total - finished) / perMinute) * 60_000)} left` : 'time left unknown yet';
  return `[${bar}] ${finished}/${total} studies: ${done} done, ${failed} failed, ${n('active')} active, ${n('waiting')} waiting; ${perMinute.toFixed(1)} studies/min; ${left} (${record.task}, model ${record.sha256.slice(0, 12)})`;
}

export async function status(args: string[]): Promise<number> {
  const { record, rows } = await readBatch(args, []);
  console.log(statusLine(record, rows, Date.now()));
  return rows.some((r) => r.state === 'failed') ? 1 : 0;
}

const csvCell = (v: unknown) => (v === undefined || v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export async function report(args: string[]): Promise<number> {
  const { record, rows, options } = await readBatch(args, ['--out']);
  const out = options.out;
  if (!out || !/\.(json|csv)$/i.test(out)) throw usageError('--out must name a .json or .csv file.');
  if (/\.json$/i.test(out)) {
    await writeFile(out, JSON.stringify({ batch: record.id, task: record.task, sha256: record.sha256, from: record.from, query: record.query, studies: rows }, null, 1) + '\n');
  } else {
    const head = ['study', 'state', 'series', 'instances', 'maxScore', 'boxes', 'ms', 'sha256', 'error'];
    const lines = rows.map((r) => [r.study, r.state, r.result?.series, r.result?.instances, r.result?.maxScore, r.result?.boxes, r.result?.ms, r.result?.sha256 ?? record.sha256, r.errors.map((e) => `${e.series}: ${e.error}`).join('; ')].map(csvCell).join(','));
    await writeFile(out, [head.join(','), ...lines].join('\n') + '\n');
  }
  console.error(statusLine(record, rows, Date.now()));
  return 0;
}
