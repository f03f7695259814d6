// QIDO-RS (PS3.18 §10.6): search a server's studies, a study's series and a series' instances, as plain records read
// from the DICOM JSON model. Paging with limit/offset; `hasMore` comes from asking for one record more than shown.
// Thread-neutral (browser and Node).
import { readJson, announcedLength } from './body';
import { DicomwebQueryError, DicomwebResponseError } from './errors';
import { isDatasetList, num, text, texts, type DicomJsonDataset } from './dicomJson';
import { sendRequest, type RequestOptions } from './request';
import { resourceUrl, type DicomwebServer, type QueryParams } from './server';

export interface StudyQuery {
  /** Family name first ("SMITH^J"); without * or ? it matches names that start with it. Case follows the server. */
  patientName?: string;
  patientId?: string;
  /** Inclusive YYYYMMDD bounds; either may be left open. */
  studyDate?: { from?: string; to?: string };
  /** Studies with at least one series of this modality (ModalitiesInStudy). */
  modality?: string;
  accessionNumber?: string;
  /** Without * or ? it matches descriptions that contain it. */
  studyDescription?: string;
}

export interface Page { limit?: number; offset?: number }
export interface SearchOptions extends RequestOptions { maxResponseBytes?: number }
export interface SearchResult<T> { items: T[]; hasMore: boolean; offset: number }

export interface StudyRecord {
  studyInstanceUID: string;
  patientName: string;
  patientId: string;
  /** YYYYMMDD as the server stores it ('' when absent). */
  studyDate: string;
  modalities: string[];
  description: string;
  accession: string;
  numberOfSeries?: number;
  numberOfInstances?: number;
}

export interface SeriesRecord {
  seriesInstanceUID: string;
  modality: string;
  seriesNumber?: number;
  description: string;
  numberOfInstances?: number;
}

export interface InstanceRecord {
  sopInstanceUID: string;
  sopClassUID: string;
  instanceNumber?: number;
  numberOfFrames?: number;
  rows?: number;
  columns?: number;
}

const T = {
  studyDate: 0x00080020, accession: 0x00080050, modalitiesInStudy: 0x00080061, modality: 0x00080060,
  studyDescription: 0x00081030, seriesDescription: 0x0008103e, sopClassUID: 0x00080016, sopInstanceUID: 0x00080018,
  patientName: 0x00100010, patientId: 0x00100020, studyUID: 0x0020000d, seriesUID: 0x0020000e,
  seriesNumber: 0x00200011, instanceNumber: 0x00200013, studySeries: 0x00201206, studyInstances: 0x00201208,
  seriesInstances: 0x00201209, frames: 0x00280008, rows: 0x00280010, columns: 0x00280011,
} as const;

const hex = (tag: number) => tag.toString(16).toUpperCase().padStart(8, '0');
const hasWildcard = (s: string) => /[*?]/.test(s);

function checkDate(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  if (!/^\d{8}$/.test(value)) throw new DicomwebQueryError(`The study date "${value}" must be written YYYYMMDD, for example 20240131.`);
  return value;
}

/** The QIDO parameters of a study search (PS3.18 §8.3.4). */
export function studyQueryParams(q: StudyQuery): QueryParams {
  const params: QueryParams = { fuzzymatching: 'false' };
  const name = q.patientName?.trim();
  if (name) params.PatientName = hasWildcard(name) ? name : `${name}*`;
  if (q.patientId?.trim()) params.PatientID = q.patientId.trim();
  const from = checkDate(q.studyDate?.from);
  const to = checkDate(q.studyDate?.to);
  if (from || to) params.StudyDate = from === to ? from : `${from}-${to}`;
  if (q.modality?.trim()) params.ModalitiesInStudy = q.modality.trim().toUpperCase();
  if (q.accessionNumber?.trim()) params.AccessionNumber = q.accessionNumber.trim();
  const description = q.studyDescription?.trim();
  if (description) params.StudyDescription = hasWildcard(description) ? description : `*${description}*`;
  return params;
}

async function search<T>(
  server: DicomwebServer, path: string, params: QueryParams, what: string, page: Page, o: SearchOptions,
  toRecord: (ds: DicomJsonDataset) => T,
): Promise<SearchResult<T>> {
  const limit = Math.max(1, Math.floor(page.limit ?? 50));
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  const url = resourceUrl(server, path, { ...params, limit: limit + 1, offset });
  const res = await sendRequest(server, { url, accept: 'application/dicom+json', what }, o);
  if (res.status === 204) return { items: [], hasMore: false, offset };
  const json = await readJson(res, {
    maxBytes: o.maxResponseBytes ?? 64 * 1024 * 1024, announced: announcedLength(res), idleTimeoutMs: o.idleTimeoutMs,
    source: `the answer to the search for ${what} from "${server.label}"`, signal: o.signal,
  });
  if (!isDatasetList(json)) throw new DicomwebResponseError(`"${server.label}" answered the search for ${what} with JSON that is not a list of DICOM datasets.`);
  return { items: json.slice(0, limit).map(toRecord), hasMore: json.length > limit, offset };
}

/** Studies matching `query`, `page.limit` (default 50) at a time from `page.offset`. */
export async function searchStudies(server: DicomwebServer, query: StudyQuery = {}, page: Page = {}, o: SearchOptions = {}): Promise<SearchResult<StudyRecord>> {
  const includefield = [T.studyDescription, T.modalitiesInStudy, T.accession, T.studySeries, T.studyInstances].map(hex);
  return search(server, 'studies', { ...studyQueryParams(query), includefield }, 'studies', page, o, (ds) => ({
    studyInstanceUID: text(ds, T.studyUID),
    patientName: text(ds, T.patientName),
    patientId: text(ds, T.patientId),
    studyDate: text(ds, T.studyDate).replace(/\./g, ''), // old ACR-NEMA style YYYY.MM.DD passes through some servers
    modalities: texts(ds, T.modalitiesInStudy).flatMap((m) => m.split('\\')).filter(Boolean),
    description: text(ds, T.studyDescription),
    accession: text(ds, T.accession),
    numberOfSeries: num(ds, T.studySeries),
    numberOfInstances: num(ds, T.studyInstances),
  }));
}

/** The series of one study. */
export async function searchSeries(server: DicomwebServer, studyUID: string, page: Page = {}, o: SearchOptions = {}): Promise<SearchResult<SeriesRecord>> {
  const includefield = [T.seriesDescription, T.seriesNumber, T.seriesInstances].map(hex);
  return search(server, `studies/${studyUID}/series`, { includefield }, `the series of study ${studyUID}`, page, o, (ds) => ({
    seriesInstanceUID: text(ds, T.seriesUID),
    modality: text(ds, T.modality),
    seriesNumber: num(ds, T.seriesNumber),
    description: text(ds, T.seriesDescription),
    numberOfInstances: num(ds, T.seriesInstances),
  }));
}

/** The instances of one series. */
export async function searchInstances(server: DicomwebServer, studyUID: string, seriesUID: string, page: Page = {}, o: SearchOptions = {}): Promise<SearchResult<InstanceRecord>> {
  const includefield = [T.instanceNumber, T.frames, T.rows, T.columns].map(hex);
  const path = `studies/${studyUID}/series/${seriesUID}/instances`;
  return search(server, path, { includefield }, `the instances of series ${seriesUID}`, page, o, (ds) => ({
    sopInstanceUID: text(ds, T.sopInstanceUID),
    sopClassUID: text(ds, T.sopClassUID),
    instanceNumber: num(ds, T.instanceNumber),
    numberOfFrames: num(ds, T.frames),
    rows: num(ds, T.rows),
    columns: num(ds, T.columns),
  }));
}
