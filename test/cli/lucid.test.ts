// The CLI: one JSON line per file, bad files as ok: false, pixels as NumPy .npy of the natural type.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeImage, pattern } from '../fixtures/makeImage';
import { TS_UID } from '../../src/dicom/transferSyntax';

function readNpy(path: string): { descr: string; shape: number[]; body: Buffer } {
  const b = readFileSync(path);
  expect(b.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
  const len = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + len).toString('latin1');
  expect((10 + len) % 64).toBe(0);
  const descr = /'descr': '([^']+)'/.exec(header)![1]!;
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1]!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  return { descr, shape, body: b.subarray(10 + len) };
}

describe('lucid inspect', () => {
  it('prints one JSON object per file, recursing into folders, and writes frame 0 as .npy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lucid-cli-'));
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    const signed = Int16Array.from(pattern(6, 5, -1000, 2000));
    writeFileSync(join(dir, 'signed.dcm'), await makeImage({ rows: 6, columns: 5, bitsAllocated: 16, signed: true, values: signed, rescale: [1, -1024], modality: 'CT' }, TS_UID.jpegLS));
    const rgb = Uint8Array.from(pattern(4, 3, 0, 255, 1, 3));
    writeFileSync(join(dir, 'sub', 'rgb.dcm'), await makeImage({ rows: 4, columns: 3, samples: 3, bitsAllocated: 8, values: rgb }, TS_UID.rle));
    writeFileSync(join(dir, 'sub', 'deeper', 'junk.bin'), 'not dicom');
    const out = join(dir, 'npy');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/lucid.ts', 'inspect', dir, join(dir, 'missing.dcm'), '--pixels', out], { encoding: 'utf8' });
    // Every input is processed, and the exit code tells a script that some failed.
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('4 files: 2 read, 2 failed');
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    const byName = (s: string) => lines.find((l) => l.path.endsWith(s));
    expect(byName('signed.dcm')).toMatchObject({ ok: true, modality: 'CT', transferSyntaxUID: TS_UID.jpegLS, rows: 6, columns: 5, frames: 1, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 1, rescaleSlope: 1, rescaleIntercept: -1024, photometricInterpretation: 'MONOCHROME2' });
    expect(byName('junk.bin')).toMatchObject({ ok: false, error: { name: 'NotDicomError' } });
    expect(byName('missing.dcm')).toMatchObject({ ok: false, error: { name: 'FileNotFoundError' } });
    const s = readNpy(byName('signed.dcm').pixelsFile);
    expect(s).toMatchObject({ descr: '<i2', shape: [6, 5] });
    expect(Array.from(new Int16Array(s.body.buffer.slice(s.body.byteOffset, s.body.byteOffset + s.body.length)))).toEqual(Array.from(signed));
    const c = readNpy(byName('rgb.dcm').pixelsFile);
    expect(c).toMatchObject({ descr: '|u1', shape: [4, 3, 3] });
    expect(Array.from(c.body)).toEqual(Array.from(rgb));
  });

  it('exits 0 when every input was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lucid-cli-'));
    writeFileSync(join(dir, 'a.dcm'), await makeImage({ rows: 4, columns: 4, bitsAllocated: 16, values: Uint16Array.from(pattern(4, 4, 0, 100)) }, TS_UID.explicitLE));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/lucid.ts', 'inspect', dir], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('1 file: 1 read, 0 failed');
  });

  it('exits 2 with usage when called wrongly', () => {
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'cli/lucid.ts', 'frobnicate'], { stdio: 'pipe' })).toThrow();
  });
});
