// Retry with backoff through a proxy in front of a real Orthanc: two 503s then success after two growing waits
// (a fake sleep records them); a 404 is never retried; a server that cannot be reached is retried, then named.
import { beforeAll, describe, expect, it } from 'vitest';
import { searchStudies } from '../../../../src/sources/dicomweb/qido';
import { backoffDelay } from '../../../../src/sources/dicomweb/retry';
import type { DicomwebServer } from '../../../../src/sources/dicomweb/server';
import { collect } from '../../../fixtures/dicomwebFixtures';
import { retrieveStudy } from '../../../../src/sources/dicomweb/wado';
import { describeWithOrthanc, freePort, useOrthanc, type Orthanc } from '../../../orthanc/orthanc';
import { startProxy } from '../../../orthanc/proxy';

function fakeSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => { sleeps.push(ms); } };
}

describeWithOrthanc('retry through a failing proxy in front of Orthanc', () => {
  const ctx = useOrthanc();
  let orthanc: Orthanc;
  beforeAll(() => { orthanc = ctx.orthanc; });

  it('503 twice, then 200: succeeds after two retries with growing waits', async () => {
    const proxy = await startProxy(orthanc.url, {
      intercept(_req, res, n) {
        if (n > 2) return false;
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('busy');
        return true;
      },
    });
    try {
      const fake = fakeSleep();
      const server: DicomwebServer = { id: 'p', label: 'Busy Orthanc', url: `${proxy.url}/dicom-web` };
      const r = await searchStudies(server, {}, {}, { retry: { sleep: fake.sleep, jitter: false, baseDelayMs: 200 } });
      expect(r.items).toEqual([]);
      expect(proxy.requests).toHaveLength(3);
      expect(fake.sleeps).toEqual([200, 400]);
    } finally {
      await proxy.close();
    }
  });

  it('503 every time: DicomwebServerError after the bounded attempts', async () => {
    const proxy = await startProxy(orthanc.url, { intercept: (_req, res) => { res.writeHead(503).end(); return true; } });
    try {
      const fake = fakeSleep();
      const server: DicomwebServer = { id: 'p', label: 'Down Orthanc', url: `${proxy.url}/dicom-web` };
      const err = await searchStudies(server, {}, {}, { retry: { sleep: fake.sleep, attempts: 4 } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'DicomwebServerError', status: 503 });
      expect(proxy.requests).toHaveLength(4);
      expect(fake.sleeps).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  });

  it('404 is not retried', async () => {
    const proxy = await startProxy(orthanc.url);
    try {
      const fake = fakeSleep();
      const server: DicomwebServer = { id: 'p', label: 'Orthanc', url: `${proxy.url}/dicom-web` };
      const { error } = await collect(retrieveStudy(server, '1.2.3.404', { retry: { sleep: fake.sleep } }));
      expect(error?.name).toBe('DicomwebNotFoundError');
      expect(proxy.requests).toHaveLength(1);
      expect(fake.sleeps).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('a server that cannot be reached is retried, then DicomwebNetworkError', async () => {
    const fake = fakeSleep();
    const server: DicomwebServer = { id: 'p', label: 'Gone', url: `http://127.0.0.1:${await freePort()}/dicom-web` };
    const err = await searchStudies(server, {}, {}, { retry: { sleep: fake.sleep } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DicomwebNetworkError' });
    expect((err as Error).message).toMatch(/could not reach "Gone"/);
    expect(fake.sleeps).toHaveLength(2);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap; jitter keeps each wait within 50–100 % of it', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { jitter: false, baseDelayMs: 500, maxDelayMs: 8000 }))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelay(3, {}, () => 0)).toBe(1000);
    expect(backoffDelay(3, {}, () => 1)).toBe(2000);
  });
});
