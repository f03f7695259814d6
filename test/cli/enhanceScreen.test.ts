// lucid enhance / screen: derived DICOM that re-parses with new UIDs, DERIVED\SECONDARY, the model's sha256, ×2
// geometry for sr-x2 and HU kept; screen writes report.json and float32 score maps of the input size; a bad file gets
// one named error, the rest are processed and the command exits 1. Uses the shipped models on onnxruntime-web (WASM,
// one thread).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeImage } from '../fixtures/makeImage';
import { TS_UID } from '../../src/dicom/transferSyntax';
import { parseInstance } from '../../src/dicom/parseInstance';
import { decodeFrame } from '../../src/dicom/decodeFrame';
import { readNpy } from '../../src/dicom/readNpy';
import { chestCtSlice } from '../../src/dicom/synthetic/phantom';
import { MODEL_CATALOG } from '../../models/catalog';
import { SCREEN_THRESHOLD } from '../../models/anomaly/postprocess';
import { createEngine } from '../../cli/engine';
import { enhanceFiles } from '../../cli/enhance';
import { screenFiles } from '../../cli/screen';
import type { InferenceApi } from '../../workers/inference/inferenceApi';
import type { Privacy } from '../../cli/privacy';
import { makePseudonyms } from '../../src/dicom/deidentify/pseudonyms';

const N = 72;
let dir: string;
let engine: InferenceApi;
const hu = chestCtSlice(N, 0.4, 9);
const secret = { secret: new Uint8Array(32).fill(5), source: 'file' as const };
const KEEP: Privacy = { keepIdentity: true, options: {}, secret };
const DEID: Privacy = { keepIdentity: false, options: { cleanDescriptors: true }, secret };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lucid-enhance-'));
  const stored = Int16Array.from(hu, (v) => Math.round(v) + 1024);
  const extra = [
    { tag: 0x00280030, vr: 'DS', value: [0.8, 0.7] }, { tag: 0x00200032, vr: 'DS', value: [-20, -30, 5] },
    { tag: 0x00200037, vr: 'DS', value: [1, 0, 0, 0, 1, 0] }, { tag: 0x00100010, vr: 'PN', value: 'PHANTOM^CLI' },
  ];
  writeFileSync(join(dir, 'ct.dcm'), await makeImage({ rows: N, columns: N, bitsAllocated: 16, signed: true, values: stored, rescale: [1, -1024], modality: 'CT', extra }, TS_UID.explicitLE));
  writeFileSync(join(dir, 'broken.dcm'), 'definitely not DICOM');
  engine = await createEngine(1);
}, 60_000);

const meanIn = (v: ArrayLike<number>, cols: number, r0: number, r1: number, c0: number, c1: number) => {
  let s = 0, n = 0;
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) { s += v[r * cols + c]!; n++; }
  return s / n;
};

describe('lucid enhance', () => {
  it('writes a derived sr-x2 DICOM: new UIDs, DERIVED\\SECONDARY, sha256, ×2 geometry, HU preserved', async () => {
    // The output folder inside the input folder is not read back as input.
    const out = join(dir, 'sr');
    const lines: string[] = [];
    const r = await enhanceFiles(engine, 'sr-x2', [dir], out, KEEP, (l) => lines.push(l));
    expect(r).toEqual({ ok: 1, failed: 1 });
    expect(JSON.parse(lines.find((l) => l.includes('broken'))!)).toMatchObject({ ok: false, error: { name: 'NotDicomError' } });
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    const src = parseInstance(new Uint8Array(readFileSync(join(dir, 'ct.dcm'))));
    const d = parseInstance(new Uint8Array(readFileSync(join(out, files[0]!))));
    expect([d.header.rows, d.header.columns]).toEqual([2 * N, 2 * N]);
    expect(d.header.pixelSpacing).toEqual([0.4, 0.35]);
    expect(d.header.imageType).toEqual(['DERIVED', 'SECONDARY']);
    expect(d.header.seriesInstanceUID).not.toBe(src.header.seriesInstanceUID);
    expect(d.header.sopInstanceUID).not.toBe(src.header.sopInstanceUID);
    expect(d.header.seriesInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(d.header.studyInstanceUID).toBe(src.header.studyInstanceUID);
    expect(d.header.patientName).toBe(src.header.patientName);
    expect(d.dataSet.string('x00100010')).toBe('PHANTOM^CLI');
    expect(d.dataSet.string('x00082111')).toContain(MODEL_CATALOG['sr-x2'].sha256);
    // First pixel centre moves a quarter source pixel up and left.
    expect(d.header.imagePositionPatient![0]).toBeCloseTo(-20 - 0.25 * 0.7, 4);
    expect(d.header.imagePositionPatient![1]).toBeCloseTo(-30 - 0.25 * 0.8, 4);
    const px = await decodeFrame(d, 0);
    const outHu = Float64Array.from(px.data, (v) => v * d.header.rescaleSlope + d.header.rescaleIntercept);
    // Mean HU of the slice within 2 HU (stored values and rescale carry HU; homogeneous regions: test/models).
    expect(Math.abs(meanIn(outHu, 2 * N, 0, 2 * N, 0, 2 * N) - meanIn(hu, N, 0, N, 0, N))).toBeLessThan(2);
  }, 120_000);

  it('writes a denoised DICOM of the same size with HU preserved', async () => {
    const out = join(dir, 'dn');
    await enhanceFiles(engine, 'denoise', [join(dir, 'ct.dcm')], out, KEEP, () => undefined);
    const d = parseInstance(new Uint8Array(readFileSync(join(out, readdirSync(out)[0]!))));
    expect([d.header.rows, d.header.columns]).toEqual([N, N]);
    expect(d.header.pixelSpacing).toEqual([0.8, 0.7]);
    const px = await decodeFrame(d, 0);
    const outHu = Float64Array.from(px.data, (v) => v * d.header.rescaleSlope + d.header.rescaleIntercept);
    expect(Math.abs(meanIn(outHu, N, 0, N, 0, N) - meanIn(hu, N, 0, N, 0, N))).toBeLessThan(2);
  }, 120_000);

  it('by default de-identifies the derived file: pseudonym, mapped UIDs, no source name in it or its file name', async () => {
    const out = join(dir, 'deid');
    await enhanceFiles(engine, 'denoise', [join(dir, 'ct.dcm')], out, DEID, () => undefined);
    const [name] = readdirSync(out);
    expect(name).toBe('00000_denoise.dcm');
    const bytes = new Uint8Array(readFileSync(join(out, name!)));
    const src = parseInstance(new Uint8Array(readFileSync(join(dir, 'ct.dcm'))));
    const d = parseInstance(bytes);
    expect(d.header.patientIdentityRemoved).toBe(true);
    expect(Buffer.from(bytes).includes('PHANTOM')).toBe(false);
    expect(d.header.studyInstanceUID).toBe(makePseudonyms(secret.secret).uid(src.header.studyInstanceUID));
    expect(d.dataSet.string('x00082111')).toContain(MODEL_CATALOG.denoise.sha256); // kept by Clean Descriptors
  }, 120_000);
});

describe('lucid screen', () => {
  it('writes report.json with boxes in source pixels and a float32 score map per image', async () => {
    const out = join(dir, 'screen');
    const report = await screenFiles(engine, [dir], out, undefined, KEEP, () => undefined);
    const saved = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(saved).toEqual(JSON.parse(JSON.stringify(report)));
    expect(saved.model.sha256).toBe(MODEL_CATALOG.anomaly.sha256);
    const ok = saved.files.find((f: { ok: boolean }) => f.ok);
    const bad = saved.files.find((f: { ok: boolean }) => !f.ok);
    expect(bad.error.name).toBe('NotDicomError');
    expect(ok.frames[0].rows).toBe(N);
    expect(ok.frames[0].scoreReference).toBe(SCREEN_THRESHOLD.CT);
    expect(saved.note).toMatch(/not a probability/);
    for (const b of ok.boxes) {
      expect(b.rowMin).toBeGreaterThanOrEqual(0);
      expect(b.columnMax).toBeLessThan(N);
      expect(b.score).toBeCloseTo(b.peak / SCREEN_THRESHOLD.CT, 5); // peak ÷ the CT reference, whatever the threshold
    }
    const npy = readNpy(new Uint8Array(readFileSync(join(out, ok.frames[0].scoresFile))));
    expect(npy.shape).toEqual([N, N]);
    expect(npy.data).toBeInstanceOf(Float32Array);
    expect(Math.max(...npy.data)).toBeCloseTo(ok.maxScore, 5);
  }, 120_000);

  it('by default names inputs by position and de-identified SOP Instance UID, never by path', async () => {
    const out = join(dir, 'screen-deid');
    await screenFiles(engine, [join(dir, 'ct.dcm')], out, undefined, DEID, () => undefined);
    const text = readFileSync(join(out, 'report.json'), 'utf8');
    const src = parseInstance(new Uint8Array(readFileSync(join(dir, 'ct.dcm'))));
    expect(text).not.toContain('ct.dcm');
    expect(text).not.toContain(src.header.sopInstanceUID);
    const saved = JSON.parse(text);
    expect(saved.identity).toBe('removed');
    expect(saved.files[0]).toMatchObject({ input: 0, ok: true, sopInstanceUID: makePseudonyms(secret.secret).uid(src.header.sopInstanceUID) });
    expect(readdirSync(out).sort()).toEqual(['00000.npy', 'report.json']);
  }, 120_000);

  it('exits 1 when any input failed, after processing every input (screen and enhance)', () => {
    // Its own folder: one good image and one bad file, so the other tests' outputs are not read as input.
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    copyFileSync(join(dir, 'ct.dcm'), join(mixed, 'a-ct.dcm'));
    copyFileSync(join(dir, 'broken.dcm'), join(mixed, 'b-broken.dcm'));
    for (const args of [['screen'], ['enhance', '--model', 'denoise']]) {
      const out = join(dir, `mixed-${args[0]}`);
      const r = spawnSync('npm', ['run', '-s', 'lucid', '--', ...args, mixed, '--out', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.path.replace(/.*\//, ''), l.ok])).toEqual([['a-ct.dcm', true], ['b-broken.dcm', false]]);
    }
    // All inputs good: exit 0.
    const r = spawnSync('npm', ['run', '-s', 'lucid', '--', 'screen', join(mixed, 'a-ct.dcm'), '--out', join(dir, 'good-screen')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }, 180_000);

  it('exits with a usage message for missing arguments', () => {
    expect(() => execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'cli/lucid.ts', 'enhance', '--model', 'sr-x3', dir, '--out', join(dir, 'x')], { stdio: 'pipe' })).toThrow(/usage: lucid enhance/);
  });
});
