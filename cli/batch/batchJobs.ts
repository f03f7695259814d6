// What the batch producer, workers and status share: queue names, job data, deterministic job ids and the batch record
// kept in Redis. A job id is a hash of (task, model sha256, study UID[, series UID]), so submitting the same batch again
// adds nothing for a study that is already there (done, failed or in progress). BullMQ and Redis live in cli/batch/ only.
// Node only.
import { createHash } from 'node:crypto';
import type { ConnectionOptions } from 'bullmq';
import { MODEL_CATALOG } from '../../models/catalog';
import { usageError } from '../dicomwebInput';
import { uuidUid } from '../../src/dicom/writeDerived';

export const SERIES_QUEUE = 'lucid-series';
export const STUDY_QUEUE = 'lucid-study';
export const BATCH_TASKS = ['screen', 'sr-x2', 'denoise'] as const;
export type BatchTask = (typeof BATCH_TASKS)[number];

/** One series to process: where it is (the server's DICOMweb root) and what to do with it. */
export interface SeriesJobData { task: BatchTask; sha256: string; root: string; study: string; series: string; push: boolean }
export interface StudyJobData { task: BatchTask; sha256: string; root: string; study: string }

/** A series job's return value. `ms`: wall time of retrieval + inference + storing. */
export interface SeriesResult {
  series: string; instances: number; maxScore: number | null; boxes: number; ms: number; sha256: string; stored: string;
}
export interface StudyResult { study: string; series: number; instances: number; maxScore: number | null; boxes: number; ms: number; sha256: string }

/** What `status` and `report` read: every study of the batch and its series' job ids. */
export interface BatchRecord {
  id: string; task: BatchTask; sha256: string; from: string; query: string; submittedAt: number;
  studies: { study: string; jobId: string; series: { series: string; jobId: string }[] }[];
}

export const modelSha256 = (task: BatchTask): string => MODEL_CATALOG[task === 'screen' ? 'anomaly' : task].sha256;

/** A deterministic BullMQ job id (hex: custom ids must not contain ':' and must not be plain integers). */
export function jobId(kind: 'study' | 'series' | 'batch', ...parts: string[]): string {
  return `${kind}-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32)}`;
}

/**
 * The UIDs a series job gives what it writes (cli/enhance.ts UidMaker): 2.25 and a name-based UUID (RFC 9562 version 8,
 * from sha256 of the job id and what the object is derived from). A job that runs again (a worker killed after storing
 * but before the stored mark) writes the same SOP Instance UIDs, so the PACS keeps one copy instead of two.
 */
export function jobUids(seriesJobId: string): (key: string) => string {
  return (key) => {
    const h = createHash('sha256').update(`${seriesJobId}|${key}`).digest('hex').slice(0, 32).split('');
    h[12] = '8'; // version 8
    h[16] = (8 | (parseInt(h[16]!, 16) & 3)).toString(16); // variant 10xx
    return uuidUid(h.join(''));
  };
}

export const batchKey = (id: string): string => `lucid:batch:${id}`;
/** Set once a series' results are stored, so a job that runs again does not store them twice. */
export const storedKey = (seriesJobId: string): string => `lucid:stored:${seriesJobId}`;

/** `redis://host:port[/db]` → BullMQ's connection options. */
export function redisConnection(url: string | undefined): ConnectionOptions {
  let u: URL;
  try { u = new URL(url ?? ''); } catch { throw usageError(`--redis needs an address like redis://127.0.0.1:6379 (got "${url ?? ''}").`); }
  if (u.protocol !== 'redis:') throw usageError(`--redis needs an address like redis://127.0.0.1:6379 (got "${url}").`);
  const db = Number(u.pathname.slice(1) || 0);
  return {
    host: u.hostname, port: Number(u.port || 6379), db, maxRetriesPerRequest: null,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}), ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
  };
}
