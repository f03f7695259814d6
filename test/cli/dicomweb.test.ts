// The CLI and DICOMweb servers: the address form and where credentials come from (no server needed), then against a
// real Orthanc: pull writes each instance byte for byte as uploaded, push stores a folder (one line per file), screen
// --push stores one anomaly SR and one SEG for the series (read back, re-parsed and checked with dsrdump), enhance --push
// stores the derived series, and an Orthanc with users refuses without the environment's credentials. Few and small
// slices: inference costs seconds per slice on this machine.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_CATALOG } from '../../models/catalog';
import { parseDicomwebInput, parseDicomwebServer } from '../../cli/dicomwebInput';
import { makePseudonyms, secretToHex } from '../../src/dicom/deidentify/pseudonyms';
import { parseInstance } from '../../src/dicom/parseInstance';
import { makeSampleStudy, sampleSeriesSpecs, SAMPLE_UID_ROOT, type SyntheticFile } from '../../src/dicom/synthetic/sampleStudy';
import { searchInstances, searchSeries } from '../../src/sources/dicomweb/qido';
import { retrieveSeries } from '../../src/sources/dicomweb/wado';
import { dcmtkLogged, dcmtkTool } from '../fixtures/dcmtk';
import { collect } from '../fixtures/dicomwebFixtures';
import { items, meaning, texts } from '../fixtures/srTree';
import { describeWithOrthanc, useOrthanc } from '../orthanc/orthanc';
import { startProxy } from '../orthanc/proxy';

type Line = Record<string, unknown> & { ok: boolean; error?: { name: string; message: string } };
interface Run { status: number | null; lines: Line[]; stderr: string }

/** Runs the CLI with only the given LUCID_DICOMWEB_* variables set. */
function lucid(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LUCID_DICOMWEB_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/lucid.ts', ...args], { env: { ...base, ...env } });
  let stdout = '', stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  return new Promise((resolve) => child.on('close', (status) => {
    resolve({ status, stderr, lines: stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line) });
  }));
}

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `lucid-dicomweb-${name}-`));
const sample = makeSampleStudy();
const [ctSpec, mrSpec] = sampleSeriesSpecs();
const SAMPLE_STUDY = ctSpec!.studyUID;
/** A second study of two small CT slices, to screen and enhance in seconds. */
const SMALL_STUDY = `${SAMPLE_UID_ROOT}.1.77`;
const small = makeSampleStudy([{ ...ctSpec!, studyUID: SMALL_STUDY, size: 256, slices: 2, seriesNumber: 5 }]);
const SMALL_CT = `${SMALL_STUDY}.5`;

describe('DICOMweb addresses on the command line', () => {
  it('parse a study, series or instance; the server root is everything before /studies/', () => {
    const s = parseDicomwebInput('dicomweb+http://pacs.example.org:8042/dicom-web/studies/1.2.3', {});
    expect(s).toMatchObject({ studyUID: '1.2.3', server: { url: 'http://pacs.example.org:8042/dicom-web', label: 'pacs.example.org:8042/dicom-web' } });
    expect(s.seriesUID).toBeUndefined();
    expect(s.server.auth).toBeUndefined();
    expect(parseDicomwebInput('dicomweb+https://h/a/b/studies/1.2/series/1.2.3/instances/1.2.3.4', {}))
      .toMatchObject({ studyUID: '1.2', seriesUID: '1.2.3', sop: '1.2.3.4', server: { url: 'https://h/a/b' } });
    expect(parseDicomwebInput('dicomweb+http://h/studies/9/series/9.1/', {})).toMatchObject({ studyUID: '9', seriesUID: '9.1', server: { url: 'http://h' } });
    expect(parseDicomwebServer('dicomweb+http://h:1/dicom-web/', {}).url).toBe('http://h:1/dicom-web');
  });

  it('take credentials from the environment only', () => {
    const url = 'dicomweb+http://h/dicom-web/studies/1.2';
    expect(parseDicomwebInput(url, { LUCID_DICOMWEB_TOKEN: 't0k' }).server.auth).toEqual({ kind: 'bearer', token: 't0k' });
    expect(parseDicomwebInput(url, { LUCID_DICOMWEB_USER: 'ada', LUCID_DICOMWEB_PASSWORD: 'pw' }).server.auth).toEqual({ kind: 'basic', username: 'ada', password: 'pw' });
    expect(() => parseDicomwebInput(url, { LUCID_DICOMWEB_USER: 'ada' })).toThrow(/go together/);
    expect(() => parseDicomwebInput(url, { LUCID_DICOMWEB_TOKEN: 't', LUCID_DICOMWEB_USER: 'ada', LUCID_DICOMWEB_PASSWORD: 'pw' })).toThrow(/not both/);
    expect(() => parseDicomwebInput('dicomweb+http://ada:pw@h/dicom-web/studies/1.2', {})).toThrow(/user name or password.*LUCID_DICOMWEB_USER/);
  });

  it('refuse what does not name a study, series or instance, with a sentence', () => {
    const bad: [string, RegExp][] = [
      ['dicomweb+http://h/dicom-web', /does not name a study/],
      ['dicomweb+http://h/dicom-web/studies/1.2/series', /does not name a study/],
      ['dicomweb+http://h/dicom-web/studies/1.2/frames/1', /does not name a study/],
      ['dicomweb+http://h/dicom-web/studies/1.2;rm', /not a DICOM UID/],
      ['dicomweb+ftp://h/studies/1.2', /dicomweb\+http/],
      ['dicomweb+http://h/studies/1.2?x=1', /no "\?" or "#"/],
      ['dicomweb+not a url', /not a valid address/],
    ];
    for (const [arg, why] of bad) expect(() => parseDicomwebInput(arg, {}), arg).toThrow(why);
    expect(() => parseDicomwebServer('dicomweb+http://h/dicom-web/studies/1.2', {})).toThrow(/DICOMweb root/);
  });

  it('a bad address or --push without a server is a usage error (exit 2) with a sentence', async () => {
    const [pull, withUser, pushLocal] = await Promise.all([
      lucid(['pull', 'dicomweb+http://127.0.0.1:9/dicom-web/series/1.2', '--out', tmp('usage')]),
      lucid(['push', tmpdir(), '--to', 'dicomweb+http://ada:pw@127.0.0.1:9/dicom-web']),
      lucid(['screen', tmpdir(), '--push']),
    ]);
    expect(pull.status).toBe(2);
    expect(pull.stderr).toMatch(/does not name a study, series or instance[^\n]*\nusage: lucid pull/);
    expect(withUser.status).toBe(2);
    expect(withUser.stderr).toMatch(/user name or password/);
    expect(pushLocal.status).toBe(2);
    expect(pushLocal.stderr).toMatch(/every input must be a dicomweb/);
  });
});

describeWithOrthanc('lucid pull, push, screen and enhance against Orthanc', () => {
  const ctx = useOrthanc();
  const address = (path: string) => `dicomweb+${ctx.orthanc.dicomweb}/${path}`;
  beforeAll(async () => {
    for (const f of [...sample, ...small]) expect((await ctx.orthanc.upload(f.bytes)).Status).toBe('Success');
  });

  it('pull writes every instance of a series as <study>/<series>/<sop>.dcm, byte for byte as uploaded', async () => {
    const out = tmp('pull');
    const series = `${SAMPLE_STUDY}.${mrSpec!.seriesNumber}`;
    const run = await lucid(['pull', address(`studies/${SAMPLE_STUDY}/series/${series}`), '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const uploaded = sample.filter((f) => f.name.startsWith('mr-'));
    expect(run.lines).toHaveLength(uploaded.length);
    for (const f of uploaded) {
      const sop = parseInstance(f.bytes).header.sopInstanceUID;
      const line = run.lines.find((l) => l.sopInstanceUID === sop)!;
      expect(line).toMatchObject({ ok: true, out: join(out, SAMPLE_STUDY, series, `${sop}.dcm`), transferSyntaxUID: '1.2.840.10008.1.2.1' });
      expect(Buffer.from(readFileSync(line.out as string)).equals(Buffer.from(f.bytes))).toBe(true);
    }
  });

  it('pull through a connection dropped halfway: what arrived stays, then DicomwebNetworkError and exit 1', async () => {
    const proxy = await startProxy(ctx.orthanc.url, { cutAfterBytes: 3.5 * (256 * 256 * 2 + 2000) });
    try {
      const out = tmp('pull-cut');
      const series = `${SAMPLE_STUDY}.${mrSpec!.seriesNumber}`;
      const run = await lucid(['pull', `dicomweb+${proxy.url}/dicom-web/studies/${SAMPLE_STUDY}/series/${series}`, '--out', out]);
      expect(run.status).toBe(1);
      const written = run.lines.filter((l) => l.ok);
      expect(written.length).toBeGreaterThanOrEqual(1);
      expect(written.length).toBeLessThan(mrSpec!.slices);
      for (const l of written) expect(parseInstance(readFileSync(l.out as string)).header.seriesInstanceUID).toBe(series);
      expect(run.lines.at(-1)).toMatchObject({ ok: false, error: { name: 'DicomwebNetworkError', message: expect.stringMatching(/lost/) } });
    } finally {
      await proxy.close();
    }
  });

  it('pull of a series the server does not have: a named error line and exit 1', async () => {
    const run = await lucid(['pull', address(`studies/${SAMPLE_STUDY}/series/1.2.3.4.5`), '--out', tmp('pull-missing')]);
    expect(run.status).toBe(1);
    expect(run.lines).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ name: 'DicomwebNotFoundError' }) })]);
  });

  it('push stores a folder in batches of 16 and prints the server\'s result per file; a file that is not DICOM fails alone', async () => {
    const dir = tmp('push');
    const studyUID = `${SAMPLE_UID_ROOT}.1.78`;
    const files = makeSampleStudy([{ ...mrSpec!, studyUID, size: 32, slices: 18 }]);
    mkdirSync(join(dir, 'sub'));
    files.forEach((f, i) => writeFileSync(join(dir, i ? 'sub' : '', f.name), f.bytes));
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    const proxy = await startProxy(ctx.orthanc.url); // counts the requests
    const run = await lucid(['push', dir, '--to', `dicomweb+${proxy.url}/dicom-web`]).finally(() => proxy.close());
    expect(proxy.requests).toHaveLength(2);
    expect(run.status).toBe(1);
    expect(run.lines).toHaveLength(19);
    expect(run.lines.find((l) => String(l.path).endsWith('notes.txt'))).toMatchObject({ ok: false, error: { name: 'NotDicomError' } });
    const sops = files.map((f) => parseInstance(f.bytes).header.sopInstanceUID);
    expect(run.lines.filter((l) => l.ok).map((l) => l.sopInstanceUID).sort()).toEqual([...sops].sort());
    const found = await searchInstances(ctx.server, studyUID, `${studyUID}.${mrSpec!.seriesNumber}`);
    expect(found.items.map((i) => i.sopInstanceUID).sort()).toEqual([...sops].sort());
  });

  it('push --deidentify stores the de-identified file (pseudonymous UIDs from --secret), not the original', async () => {
    const dir = tmp('push-deid');
    const secret = new Uint8Array(32).fill(7);
    writeFileSync(join(dir, 'secret.hex'), `${secretToHex(secret)}\n`);
    const studyUID = `${SAMPLE_UID_ROOT}.1.79`;
    const [file] = makeSampleStudy([{ ...mrSpec!, studyUID, size: 64, slices: 1 }]);
    writeFileSync(join(dir, 'one.dcm'), file!.bytes);
    const run = await lucid(['push', join(dir, 'one.dcm'), '--to', `dicomweb+${ctx.orthanc.dicomweb}`, '--deidentify', '--secret', join(dir, 'secret.hex')]);
    expect(run.status, run.stderr).toBe(0);
    const p = makePseudonyms(secret);
    const h = parseInstance(file!.bytes).header;
    expect(run.lines).toEqual([expect.objectContaining({ ok: true, sopInstanceUID: p.uid(h.sopInstanceUID) })]);
    const { parts } = await collect(retrieveSeries(ctx.server, p.uid(studyUID), p.uid(h.seriesInstanceUID)));
    expect(parts).toHaveLength(1);
    const stored = parseInstance(parts[0]!.bytes);
    expect(stored.header.patientIdentityRemoved).toBe(true);
    expect(Buffer.from(parts[0]!.bytes).includes('PHANTOM')).toBe(false);
  });

  it('screen --push stores one anomaly SR and one SEG for the series, identity kept; --out gets a de-identified report', async () => {
    const out = tmp('screen');
    const run = await lucid(['screen', address(`studies/${SMALL_STUDY}/series/${SMALL_CT}`), '--push', '--threshold', '0.02', '--out', out]); // below the default: boxes on this lesion-free phantom
    expect(run.status, run.stderr).toBe(0);
    const screened = run.lines.filter((l) => 'maxScore' in l);
    expect(screened).toHaveLength(2);
    const regions = screened.reduce((n, l) => n + (l.boxes as number), 0);
    expect(regions).toBeGreaterThan(0);
    const srLine = run.lines.find((l) => l.object === 'SR')!, segLine = run.lines.find((l) => l.object === 'SEG')!;
    expect(srLine).toMatchObject({ ok: true, sourceSeriesInstanceUID: SMALL_CT, regions });
    expect(segLine).toMatchObject({ ok: true, sourceSeriesInstanceUID: SMALL_CT });
    const report = readFileSync(join(out, 'report.json'), 'utf8');
    expect(JSON.parse(report)).toMatchObject({ identity: 'removed' });
    expect(report).not.toContain(SMALL_CT);

    const series = (await searchSeries(ctx.server, SMALL_STUDY)).items;
    const sr = series.find((s) => s.modality === 'SR')!, seg = series.find((s) => s.modality === 'SEG')!;
    expect(series.map((s) => s.modality).sort()).toEqual(['CT', 'SEG', 'SR']);

    const [srPart] = (await collect(retrieveSeries(ctx.server, SMALL_STUDY, sr.seriesInstanceUID))).parts;
    const srDs = dicomParser.parseDicom(srPart!.bytes);
    expect(srDs.string('x00080018')).toBe(srLine.sopInstanceUID);
    expect(srDs.string('x00100010')).toBe('PHANTOM^SYNTHETIC'); // same PACS: identity kept
    expect(meaning(srDs)).toBe('Imaging Measurement Report');
    const groups = items(srDs).filter((i) => meaning(i.ds) === 'Measurement Group');
    expect(groups).toHaveLength(regions);
    expect(texts(srDs).get('Algorithm Parameters')).toContain(`model sha256 ${MODEL_CATALOG.anomaly.sha256}`);
    expect(texts(srDs).get('Algorithm Name')?.[0]).toContain(MODEL_CATALOG.anomaly.title);
    const dsrdump = dcmtkTool('dsrdump');
    if (!dsrdump.skip) {
      const r = dsrdump.run(srPart!.bytes, ['+Pl']);
      expect(r.status, r.stderr).toBe(0);
      expect(dcmtkLogged(r.stderr), r.stderr).toEqual([]);
      expect(r.stdout).toContain(MODEL_CATALOG.anomaly.sha256);
    }

    const [segPart] = (await collect(retrieveSeries(ctx.server, SMALL_STUDY, seg.seriesInstanceUID))).parts;
    const segDs = dicomParser.parseDicom(segPart!.bytes);
    expect(segDs.string('x00620001')).toBe('BINARY');
    expect(segDs.elements.x00081115!.items![0]!.dataSet!.string('x0020000e')).toBe(SMALL_CT);
    const px = segDs.elements.x7fe00010!;
    expect(segPart!.bytes.subarray(px.dataOffset, px.dataOffset + px.length).some((b) => b !== 0)).toBe(true);
  }, 90_000);

  it('enhance --push stores the derived series of one instance beside its source', async () => {
    const sop = parseInstance(small[0]!.bytes).header.sopInstanceUID;
    const run = await lucid(['enhance', '--model', 'denoise', address(`studies/${SMALL_STUDY}/series/${SMALL_CT}/instances/${sop}`), '--push']);
    expect(run.status, run.stderr).toBe(0);
    const stored = run.lines.find((l) => l.object === 'derived')!;
    expect(stored).toMatchObject({ ok: true });
    const derived = (await searchSeries(ctx.server, SMALL_STUDY)).items.find((s) => s.description.includes('[Lucid denoise]'))!;
    expect(derived).toMatchObject({ modality: 'CT' });
    const found = await searchInstances(ctx.server, SMALL_STUDY, derived.seriesInstanceUID);
    expect(found.items.map((i) => i.sopInstanceUID)).toEqual([stored.sopInstanceUID]);
  }, 60_000);
});

describeWithOrthanc('lucid and a DICOMweb server that asks for credentials', () => {
  const users = { ada: 'correct horse' };
  const ctx = useOrthanc({ users });
  const credentials = { LUCID_DICOMWEB_USER: 'ada', LUCID_DICOMWEB_PASSWORD: users.ada };
  const file: SyntheticFile = makeSampleStudy([{ ...mrSpec!, studyUID: `${SAMPLE_UID_ROOT}.1.80`, size: 32, slices: 1 }])[0]!;
  const h = parseInstance(file.bytes).header;
  beforeAll(async () => { await ctx.orthanc.upload(file.bytes); });

  it('refuses without the environment\'s credentials (DicomwebAuthError, exit 1) and works with them', async () => {
    const url = `dicomweb+${ctx.orthanc.dicomweb}/studies/${h.studyInstanceUID}/series/${h.seriesInstanceUID}`;
    const dir = tmp('auth');
    writeFileSync(join(dir, 'one.dcm'), file.bytes);
    const to = `dicomweb+${ctx.orthanc.dicomweb}`;
    const [pullNo, pushNo, pullYes, pushYes] = await Promise.all([
      lucid(['pull', url, '--out', join(dir, 'a')]),
      lucid(['push', join(dir, 'one.dcm'), '--to', to]),
      lucid(['pull', url, '--out', join(dir, 'b')], credentials),
      lucid(['push', join(dir, 'one.dcm'), '--to', to], credentials),
    ]);
    for (const run of [pullNo, pushNo]) {
      expect(run.status).toBe(1);
      expect(run.lines).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ name: 'DicomwebAuthError' }) })]);
      expect(run.lines[0]!.error!.message).toMatch(/LUCID_DICOMWEB_USER/);
    }
    expect(pullYes.status, pullYes.stderr).toBe(0);
    expect(readFileSync(join(dir, 'b', h.studyInstanceUID, h.seriesInstanceUID, `${h.sopInstanceUID}.dcm`))).toEqual(Buffer.from(file.bytes));
    expect(pushYes.status, pushYes.stderr).toBe(0);
    expect(pushYes.lines).toEqual([expect.objectContaining({ ok: true, sopInstanceUID: h.sopInstanceUID })]);
  });
});
