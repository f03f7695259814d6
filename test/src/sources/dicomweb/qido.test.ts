// QIDO-RS against a real Orthanc: 25 generated studies paged with limit/offset and filtered by patient name
// (wildcards, case), patient ID, date range, modality, accession and description; series and instance searches.
import { beforeAll, expect, it } from 'vitest';
import { searchInstances, searchSeries, searchStudies, studyQueryParams, type StudyQuery } from '../../../../src/sources/dicomweb/qido';
import type { DicomwebServer } from '../../../../src/sources/dicomweb/server';
import { qidoStudies, studyInstance } from '../../../fixtures/dicomwebFixtures';
import { describeWithOrthanc, useOrthanc } from '../../../orthanc/orthanc';

const STUDIES = qidoStudies();

describeWithOrthanc('QIDO-RS against Orthanc', () => {
  const ctx = useOrthanc();
  let server: DicomwebServer;
  beforeAll(async () => {
    server = ctx.server;
    for (const s of STUDIES) await ctx.orthanc.upload(studyInstance(s));
  });

  async function uidsOf(query: StudyQuery): Promise<string[]> {
    const r = await searchStudies(server, query, { limit: 100 });
    expect(r.hasMore).toBe(false);
    return r.items.map((s) => s.studyInstanceUID).sort();
  }
  const expected = (keep: (s: (typeof STUDIES)[number], i: number) => boolean) => STUDIES.filter(keep).map((s) => s.studyUID).sort();

  it('pages through 25 studies 10 at a time with hasMore, each study once', async () => {
    const pages = [];
    for (let offset = 0; ; offset += 10) {
      const page = await searchStudies(server, {}, { limit: 10, offset });
      pages.push(page);
      if (!page.hasMore) break;
    }
    expect(pages.map((p) => [p.items.length, p.hasMore])).toEqual([[10, true], [10, true], [5, false]]);
    const all = pages.flatMap((p) => p.items.map((s) => s.studyInstanceUID));
    expect(new Set(all).size).toBe(25);
    expect(all.sort()).toEqual(expected(() => true));
  });

  it('returns plain records parsed from the DICOM JSON model', async () => {
    const [record] = (await searchStudies(server, { patientId: 'LUCID-003' })).items;
    expect(record).toEqual({
      studyInstanceUID: STUDIES[3]!.studyUID, patientName: 'BROWN^PAT3', patientId: 'LUCID-003', studyDate: '20240104',
      modalities: ['MR'], description: 'Knee MRI', accession: 'ACC1003', numberOfSeries: 1, numberOfInstances: 1,
    });
  });

  it('filters by patient name: a prefix by default, wildcards as typed, case-insensitive', async () => {
    expect(await uidsOf({ patientName: 'SMITH' })).toEqual(expected((s) => s.patientName.startsWith('SMITH')));
    expect(await uidsOf({ patientName: 'SM' })).toEqual(expected((s) => s.patientName.startsWith('SM')));
    expect(await uidsOf({ patientName: 'smy*' })).toEqual(expected((s) => s.patientName.startsWith('SMYTHE')));
    // Orthanc 1.10 matches no PN with "?" or with "^" in a wildcard pattern (SM?THE*, *^PAT1 find nothing): "*" only.
    expect(await uidsOf({ patientName: '*PAT2*' })).toEqual(expected((_, i) => i === 2 || i >= 20));
  });

  it('filters by patient ID, accession number and description', async () => {
    expect(await uidsOf({ patientId: 'LUCID-007' })).toEqual([STUDIES[7]!.studyUID]);
    expect(await uidsOf({ accessionNumber: 'ACC1020' })).toEqual([STUDIES[20]!.studyUID]);
    expect(await uidsOf({ studyDescription: 'contrast' })).toEqual(expected((s) => s.description.includes('contrast')));
    expect(await uidsOf({ studyDescription: '*MRI' })).toEqual(expected((s) => s.description.endsWith('MRI')));
  });

  it('filters by study date range, open at either end', async () => {
    expect(await uidsOf({ studyDate: { from: '20240105', to: '20240109' } })).toEqual(expected((_, i) => i >= 4 && i <= 8));
    expect(await uidsOf({ studyDate: { from: '20240120' } })).toEqual(expected((_, i) => i >= 19));
    expect(await uidsOf({ studyDate: { to: '20240102' } })).toEqual(expected((_, i) => i <= 1));
    expect(await uidsOf({ studyDate: { from: '20240110', to: '20240110' } })).toEqual([STUDIES[9]!.studyUID]);
    await expect(searchStudies(server, { studyDate: { from: '2024-01-01' } })).rejects.toMatchObject({ name: 'DicomwebQueryError' });
  });

  it('filters by modality in study, combined with other fields', async () => {
    expect(await uidsOf({ modality: 'mr' })).toEqual(expected((s) => s.modality === 'MR'));
    expect(await uidsOf({ modality: 'CT', patientName: 'JONES' })).toEqual(expected((s) => s.modality === 'CT' && s.patientName.startsWith('JONES')));
  });

  it('searches the series of a study and the instances of a series', async () => {
    const study = STUDIES[0]!;
    const series = await searchSeries(server, study.studyUID);
    expect(series.items).toEqual([{ seriesInstanceUID: `${study.studyUID}.1`, modality: 'CT', seriesNumber: 1, description: 'CT series', numberOfInstances: 1 }]);
    const instances = await searchInstances(server, study.studyUID, `${study.studyUID}.1`);
    expect(instances.items).toEqual([{ sopInstanceUID: `${study.studyUID}.1.1`, sopClassUID: '1.2.840.10008.5.1.4.1.1.2', instanceNumber: 1, numberOfFrames: undefined, rows: 64, columns: 64 }]);
    expect(instances.hasMore).toBe(false);
  });
});

it('builds QIDO parameters: fuzzy matching off, prefix names, contained descriptions', () => {
  expect(studyQueryParams({ patientName: 'DOE^J', studyDescription: 'chest', studyDate: { from: '20240101' } })).toEqual({
    fuzzymatching: 'false', PatientName: 'DOE^J*', StudyDescription: '*chest*', StudyDate: '20240101-',
  });
});
