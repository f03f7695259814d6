// WADO-RS against a real Orthanc (1.10 + DICOMweb plugin 1.7): every transfer syntax Lucid decodes comes back in its
// original syntax with `transfer-syntax=*` and decodes pixel-exact against the local file; a study streams part by
// part; a proxy in front of Orthanc drops the connection halfway, sends HTML, or announces 2 GB.
//
// Found with Orthanc 1.10.1 / plugin 1.7: `transfer-syntax=*` returns each file as stored (byte for byte); without the
// parameter Orthanc transcodes to Explicit VR Little Endian and fails with 500 on syntaxes it cannot transcode (JPEG
// 2000, big endian); parts are labelled a bare `application/dicom`, so the syntax is read from the file meta.
import { beforeAll, expect, it } from 'vitest';
import { decodeFrame } from '../../../../src/dicom/decodeFrame';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { TS_UID } from '../../../../src/dicom/transferSyntax';
import type { DicomwebServer } from '../../../../src/sources/dicomweb/server';
import { retrieveInstance, retrieveSeries, retrieveStudy, type RetrievedInstance } from '../../../../src/sources/dicomweb/wado';
import { makeImage, pattern, type ImageSpec } from '../../../fixtures/makeImage';
import { collect, relabel, relabelledUids, studyInstance, UID_ROOT } from '../../../fixtures/dicomwebFixtures';
import { describeWithOrthanc, useOrthanc, type Orthanc } from '../../../orthanc/orthanc';
import { startProxy } from '../../../orthanc/proxy';

const grey16: ImageSpec = { rows: 48, columns: 40, frames: 2, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(48, 40, 0, 4095, 2)) };
const grey8: ImageSpec = { rows: 33, columns: 31, bitsAllocated: 8, values: Uint8Array.from(pattern(33, 31, 0, 255)) };

/** Every syntax Lucid decodes (makeImage writes each: RPCL through OpenJPH's progression order, SOF2 through libjpeg). */
const SYNTAXES: [ts: string, spec: ImageSpec][] = [
  [TS_UID.implicitLE, grey16], [TS_UID.explicitLE, grey16], [TS_UID.explicitBE, grey16], [TS_UID.deflatedLE, grey16],
  [TS_UID.rle, grey16], [TS_UID.jpegBaseline, grey8], [TS_UID.jpegExtended, grey16], [TS_UID.jpegLossless, grey16],
  [TS_UID.jpegLosslessSV1, grey16], [TS_UID.jpegLS, grey16], [TS_UID.jpegLSNear, grey16], [TS_UID.j2kLossless, grey16],
  [TS_UID.j2k, grey16], [TS_UID.htj2kLossless, grey16], [TS_UID.htj2k, grey16], [TS_UID.deflatedFrame, grey16],
  [TS_UID.jpegSpectralSelection, grey8], [TS_UID.jpegFullProgression, grey8], [TS_UID.htj2kRPCL, grey16],
];

async function decodeAll(bytes: Uint8Array): Promise<number[][]> {
  const parsed = parseInstance(bytes);
  const frames: number[][] = [];
  for (let i = 0; i < parsed.header.frames; i++) frames.push(Array.from((await decodeFrame(parsed, i)).data));
  return frames;
}

const STREAM_STUDY = `${UID_ROOT}.2.1`;
const streamStudy = { studyUID: STREAM_STUDY, patientName: 'STREAM^TEST', patientId: 'S1', studyDate: '20240301', modality: 'CT' as const, accession: 'S1', description: 'Streaming' };

describeWithOrthanc('WADO-RS against Orthanc', () => {
  const ctx = useOrthanc();
  let orthanc: Orthanc;
  let server: DicomwebServer;
  const originals = new Map<string, Uint8Array>();

  beforeAll(async () => {
    ({ orthanc, server } = ctx);
    for (const [i, [ts, spec]] of SYNTAXES.entries()) {
      const bytes = relabel(await makeImage(spec, ts), String(10 + i), ts);
      expect((await orthanc.upload(bytes)).Status).toBe('Success');
      originals.set(ts, bytes);
    }
    for (let i = 0; i < 8; i++) await orthanc.upload(studyInstance(streamStudy, i, 128));
  });

  for (const [i, [ts]] of SYNTAXES.entries()) {
    it(`${ts}: comes back in its original syntax and decodes pixel-exact`, async () => {
      const uids = relabelledUids(String(10 + i));
      const { parts, error } = await collect(retrieveInstance(server, uids.study, uids.series, uids.sop));
      expect(error).toBeUndefined();
      expect(parts).toHaveLength(1);
      const [part] = parts as [RetrievedInstance];
      expect(part.contentType).toMatch(/^application\/dicom/);
      expect(part.transferSyntaxUID).toBe(ts);
      const original = originals.get(ts)!;
      expect(Buffer.from(part.bytes).equals(Buffer.from(original))).toBe(true); // as stored, byte for byte
      expect(parseInstance(part.bytes).header.transferSyntaxUID).toBe(ts);
      expect(await decodeAll(part.bytes)).toEqual(await decodeAll(original));
    });
  }

  it('streams a study part by part, and a series of it', async () => {
    const seen: string[] = [];
    for await (const part of retrieveStudy(server, STREAM_STUDY)) seen.push(parseInstance(part.bytes).header.sopInstanceUID);
    expect(new Set(seen).size).toBe(8);
    const series = await collect(retrieveSeries(server, STREAM_STUDY, `${STREAM_STUDY}.1`));
    expect(series.parts).toHaveLength(8);
  });

  it('a server that drops the connection halfway: the instances received stay, then DicomwebNetworkError', async () => {
    const proxy = await startProxy(orthanc.url, { cutAfterBytes: 3.5 * (128 * 128 * 2 + 2000) });
    try {
      const { parts, error } = await collect(retrieveStudy({ ...server, url: `${proxy.url}/dicom-web` }, STREAM_STUDY, { retry: { attempts: 1 }, idleTimeoutMs: 5000 }));
      expect(parts.length).toBeGreaterThanOrEqual(2);
      expect(parts.length).toBeLessThan(8);
      for (const p of parts) expect(parseInstance(p.bytes).header.rows).toBe(128);
      expect(error?.name).toBe('DicomwebNetworkError');
      expect(error?.message).toMatch(/lost/);
    } finally {
      await proxy.close();
    }
  });

  it('HTML instead of DICOM is a DicomwebResponseError; a 2 GB Content-Length a ResponseTooLargeError, unread', async () => {
    const proxy = await startProxy(orthanc.url, {
      intercept(req, res) {
        if (req.url?.includes('html')) { res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Sign in</html>'); return true; }
        if (req.url?.includes('huge')) { res.writeHead(200, { 'Content-Type': 'multipart/related; boundary=x', 'Content-Length': '2000000000' }); res.write('--x\r\n'); return true; }
        return false;
      },
    });
    try {
      const via = { ...server, url: `${proxy.url}/dicom-web` };
      const html = await collect(retrieveStudy(via, 'html'));
      expect(html.error?.name).toBe('DicomwebResponseError');
      expect(html.error?.message).toMatch(/web page/);
      const started = Date.now();
      const huge = await collect(retrieveStudy(via, 'huge', { maxTotalBytes: 1024 ** 3 }));
      expect(huge.error?.name).toBe('ResponseTooLargeError');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await proxy.close();
    }
  });

  it('an unknown study is a DicomwebNotFoundError', async () => {
    expect((await collect(retrieveStudy(server, '1.2.3.4.5'))).error?.name).toBe('DicomwebNotFoundError');
  });
});
