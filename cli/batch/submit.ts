// `lucid batch submit --from <DICOMweb root> [--query 'ModalitiesInStudy=CT&StudyDate=2024-'] --task screen|sr-x2|denoise
// [--push] --redis redis://host:port`: QIDO-RS for the studies and their series, then one BullMQ flow per study (a
// parent job in STUDY_QUEUE with one child per series in SERIES_QUEUE), every job id deterministic (batchJobs.jobId) so a
// second submit of the same batch enqueues nothing that is already there, except that a study that failed (its retries
// used up) is removed and enqueued afresh: submitting again after fixing the PACS retries exactly the failed studies.
// Prints the batch id. Node only.
import { FlowProducer, Queue } from 'bullmq';
import { searchSeries, searchStudies, type StudyQuery } from '../../src/sources/dicomweb/qido';
import type { DicomwebServer } from '../../src/sources/dicomweb/server';
import { isLucidDerivedDescription } from '../../src/dicom/writeDerived';
import { parseArgs } from '../engine';
import { isDicomwebUrl, parseDicomwebServer, usageError, withCredentialHint } from '../dicomwebInput';
import {
  BATCH_TASKS, SERIES_QUEUE, STUDY_QUEUE, batchKey, jobId, modelSha256, redisConnection,
  type BatchRecord, type BatchTask, type SeriesJobData, type StudyJobData,
} from './batchJobs';

/** Bounded retries with exponential backoff (1 s, 2 s, …) before a series, and so its study, is listed as failed. */
const ATTEMPTS = 3;
const BACKOFF_MS = 1000;
const PAGE = 100;
/**
 * Series that hold no images to screen or enhance (reports, segmentations, presentation states, key objects,
 * registrations, RT objects…), left out of the batch: among them the SR and SEG a batch with --push stores itself.
 */
const NON_IMAGE_MODALITIES = new Set(['SR', 'SEG', 'PR', 'KO', 'REG', 'RTSTRUCT', 'RTPLAN', 'RTRECORD', 'RTDOSE', 'DOC', 'FID', 'PLAN', 'AU', 'ECG', 'HD']);

/** A QIDO date or range as the query gives it (YYYY, YYYYMM or YYYYMMDD, each side of '-' optional) → YYYYMMDD bounds. */
function dateRange(value: string): StudyQuery['studyDate'] {
  const [from = '', to = from] = value.split('-');
  const pad = (d: string, end: boolean) => (d.length === 4 ? d + (end ? '1231' : '0101') : d.length === 6 ? d + (end ? '31' : '01') : d);
  return { ...(from ? { from: pad(from, false) } : {}), ...(to ? { to: pad(to, true) } : {}) };
}

/** `ModalitiesInStudy=CT&StudyDate=2024-` → the app's study query; a UsageError for a key it does not know. */
function studyQuery(query: string): StudyQuery {
  const q: StudyQuery = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === 'ModalitiesInStudy') q.modality = value;
    else if (key === 'StudyDate') q.studyDate = dateRange(value);
    else if (key === 'PatientID') q.patientId = value;
    else if (key === 'PatientName') q.patientName = value;
    else if (key === 'AccessionNumber') q.accessionNumber = value;
    else if (key === 'StudyDescription') q.studyDescription = value;
    else throw usageError(`--query knows ModalitiesInStudy, StudyDate, PatientID, PatientName, AccessionNumber and StudyDescription, not "${key}".`);
  }
  return q;
}

async function allPages<T>(search: (offset: number) => Promise<{ items: T[]; hasMore: boolean }>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await search(offset);
    out.push(...page.items);
    if (!page.hasMore || page.items.length === 0) return out;
  }
}

/** The submit command: arguments → exit code; a UsageError when called wrongly. */
export async function submit(args: string[]): Promise<number> {
  const push = args.includes('--push');
  const { inputs, options } = parseArgs(args.filter((a) => a !== '--push'), ['--from', '--query', '--task', '--redis']);
  const task = options.task as BatchTask;
  if (inputs.length || !options.from || !options.redis || !BATCH_TASKS.includes(task)) throw usageError();
  const server: DicomwebServer = parseDicomwebServer(isDicomwebUrl(options.from) ? options.from : `dicomweb+${options.from}`);
  const query = options.query ?? '';
  const sha256 = modelSha256(task);
  const connection = redisConnection(options.redis);
  const record: BatchRecord = { id: jobId('batch', task, sha256, server.url, query), task, sha256, from: server.url, query, submittedAt: Date.now(), studies: [] };
  let studies;
  try {
    studies = await allPages((offset) => searchStudies(server, studyQuery(query), { limit: PAGE, offset }));
  } catch (e) { throw withCredentialHint(e); }
  const flows = new FlowProducer({ connection });
  const studyJobs = new Queue(STUDY_QUEUE, { connection }), seriesJobs = new Queue(SERIES_QUEUE, { connection });
  let retried = 0, skipped = 0;
  try {
    const opts = { attempts: ATTEMPTS, backoff: { type: 'exponential', delay: BACKOFF_MS } };
    for (const { studyInstanceUID: study } of studies) {
      const found = await allPages((offset) => searchSeries(server, study, { limit: PAGE, offset }));
      // Also left out: series Lucid derived itself.
      const series = found.filter((s) => !NON_IMAGE_MODALITIES.has(s.modality.toUpperCase()) && !isLucidDerivedDescription(s.description));
      skipped += found.length - series.length;
      if (!series.length) continue;
      const entry = { study, jobId: jobId('study', task, sha256, study), series: series.map((s) => ({ series: s.seriesInstanceUID, jobId: jobId('series', task, sha256, study, s.seriesInstanceUID) })) };
      record.studies.push(entry);
      const data: StudyJobData = { task, sha256, root: server.url, study };
      const before = await studyJobs.getJob(entry.jobId);
      if (before && (await before.getState()) === 'failed') {
        // Its series that completed keep their stored mark (batchJobs.storedKey), so they return their result at once.
        for (const s of entry.series) await (await seriesJobs.getJob(s.jobId))?.remove({ removeChildren: false });
        await before.remove({ removeChildren: true });
        retried++;
      }
      await flows.add({
        name: 'study', queueName: STUDY_QUEUE, data, opts: { jobId: entry.jobId },
        children: entry.series.map((s) => ({
          name: 'series', queueName: SERIES_QUEUE, data: { ...data, series: s.series, push } satisfies SeriesJobData,
          opts: { ...opts, jobId: s.jobId, failParentOnFailure: true },
        })),
      });
    }
    const client = await flows.client;
    const old = await client.get(batchKey(record.id));
    if (old) {
      // The same batch again: its first submission time, and its studies no longer found (gone from the PACS) kept.
      const before = JSON.parse(old) as BatchRecord;
      record.submittedAt = before.submittedAt;
      record.studies.push(...before.studies.filter((s) => !record.studies.some((n) => n.jobId === s.jobId)));
    }
    await client.set(batchKey(record.id), JSON.stringify(record));
  } finally {
    await Promise.all([flows.close(), studyJobs.close(), seriesJobs.close()]);
  }
  console.error(`${record.studies.length} stud${record.studies.length === 1 ? 'y' : 'ies'} (${record.studies.reduce((n, s) => n + s.series.length, 0)} series) submitted for ${task}${retried ? ` (${retried} that had failed enqueued again)` : ''}${skipped ? `, ${skipped} series left out (no images, such as SR and SEG, or derived by Lucid)` : ''}; follow with: lucid batch status ${record.id} --redis ${options.redis}`);
  console.log(record.id);
  return 0;
}
