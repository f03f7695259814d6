// STOW-RS against a real Orthanc: stored files come back as per-instance results and can be found with QIDO; a part
// that is not DICOM gives a failed result for that file, not a crash.
import { beforeAll, expect, it } from 'vitest';
import { searchInstances } from '../../../../src/sources/dicomweb/qido';
import type { DicomwebServer } from '../../../../src/sources/dicomweb/server';
import { storeInstances } from '../../../../src/sources/dicomweb/stow';
import { studyInstance, UID_ROOT } from '../../../fixtures/dicomwebFixtures';
import { describeWithOrthanc, useOrthanc } from '../../../orthanc/orthanc';

const study = (n: number) => ({
  studyUID: `${UID_ROOT}.3.${n}`, patientName: 'STOW^TEST', patientId: `STOW-${n}`, studyDate: '20240401', modality: 'MR' as const, accession: `STOW${n}`, description: 'Stored',
});

describeWithOrthanc('STOW-RS against Orthanc', () => {
  const ctx = useOrthanc();
  let server: DicomwebServer;
  beforeAll(() => { server = ctx.server; });

  it('stores generated files and reports one result per instance', async () => {
    const s = study(1);
    const results = await storeInstances(server, s.studyUID, [studyInstance(s, 0), studyInstance(s, 1)]);
    expect(results).toEqual([
      { index: 0, sopInstanceUID: `${s.studyUID}.1.1`, ok: true },
      { index: 1, sopInstanceUID: `${s.studyUID}.1.2`, ok: true },
    ]);
    const found = await searchInstances(server, s.studyUID, `${s.studyUID}.1`);
    expect(found.items.map((i) => i.sopInstanceUID).sort()).toEqual([`${s.studyUID}.1.1`, `${s.studyUID}.1.2`]);
  });

  it('a part that is not DICOM is a failed result beside the stored ones', async () => {
    const s = study(2);
    const notDicom = new TextEncoder().encode('This is a text file, not an image.');
    const results = await storeInstances(server, undefined, [studyInstance(s, 0), notDicom]);
    expect(results[0]).toEqual({ index: 0, sopInstanceUID: `${s.studyUID}.1.1`, ok: true });
    expect(results[1]).toMatchObject({ index: 1, sopInstanceUID: '', ok: false });
    expect(results[1]!.reason).toMatch(/not a DICOM file/);
  });

  it('only non-DICOM parts: every result failed, no exception', async () => {
    const results = await storeInstances(server, undefined, [new Uint8Array(300), new TextEncoder().encode('<html></html>')]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
  });

  it('a file of another study sent to /studies/{uid} is refused for that file', async () => {
    const results = await storeInstances(server, study(3).studyUID, [studyInstance(study(4), 0)]);
    expect(results[0]).toMatchObject({ ok: false, sopInstanceUID: `${study(4).studyUID}.1.1` });
    expect(results[0]!.reason).toBeTruthy();
  });
});
