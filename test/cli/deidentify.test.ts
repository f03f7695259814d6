// `lucid deidentify` as a user runs it (the real command line): a tree whose folder and file names carry identity
// comes out as a tree of the same shape with new names, no planted value in any output byte or in deid-log.json,
// a named error for the bad file with exit code 1, and UIDs that match across runs given the same --secret.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInstance } from '../../src/dicom/parseInstance';
import { writeDicom } from '../../src/dicom/writeDicom';
import { TS_UID } from '../../src/dicom/transferSyntax';
import { PLANTED, bytesContain, phiElements, phiFile } from '../fixtures/phiDicom';

let dir: string;
const run = (...args: string[]) => spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'cli/lucid.ts', 'deidentify', ...args], { encoding: 'utf8' });

function tree(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).map((p) => join(root, p)).filter((p) => statSync(p).isFile()).map((p) => relative(root, p)).sort();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lucid-deid-cli-'));
  const study = join(dir, 'in', `${PLANTED.family}_${PLANTED.given}`, `CT ${PLANTED.accession}`);
  mkdirSync(study, { recursive: true });
  writeFileSync(join(study, `${PLANTED.patientId}-1.dcm`), phiFile({ sop: PLANTED.sopA }));
  writeFileSync(join(study, `${PLANTED.patientId}-2.dcm`), phiFile({ sop: PLANTED.sopB, references: PLANTED.sopA }));
  const us = phiElements({ sop: '1.2.826.0.1.9999.1.2.102' }).map((e) => (e.tag === 0x00080060 ? { ...e, value: 'US' } : e));
  writeFileSync(join(study, 'us.dcm'), writeDicom(us, { transferSyntaxUID: TS_UID.explicitLE }));
  writeFileSync(join(dir, 'in', 'notes.txt'), `patient ${PLANTED.family}`);
});

describe('lucid deidentify', () => {
  it('mirrors the tree with new names, leaves no planted value anywhere, logs without PHI, exits 1 for the bad file', () => {
    const out = join(dir, 'out');
    const r = run(join(dir, 'in'), '--out', out, '--secret', join(dir, 'secret.hex'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/3 de-identified, 1 failed, 1 may carry burned-in text/);
    expect(r.stderr).toMatch(/new secret saved/);
    expect(tree(out)).toEqual(['D0001/D0001/IM00001.dcm', 'D0001/D0001/IM00002.dcm', 'D0001/D0001/IM00003.dcm', 'deid-log.json']);
    for (const f of tree(out)) {
      const bytes = new Uint8Array(readFileSync(join(out, f)));
      const leaked = Object.entries(PLANTED).filter(([, v]) => bytesContain(bytes, v)).map(([k]) => k);
      expect(leaked, f).toEqual([]);
      expect(bytesContain(bytes, dir), f).toBe(false);
    }
    const log = JSON.parse(readFileSync(join(out, 'deid-log.json'), 'utf8'));
    expect(log.totals).toEqual({ ok: 3, failed: 1, burnedInWarnings: 1 });
    const bad = log.files.find((f: { ok: boolean }) => !f.ok);
    expect(bad.error.name).toBe('NotDicomError');
    const us = log.files.find((f: { burnedIn?: string[] }) => f.burnedIn?.length);
    expect(us.burnedIn).toContain('modality');
    expect(log.files[0].counts.privateRemoved).toBeGreaterThan(0);
    expect(log.files[0].inputSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('gives the same UIDs with the same --secret, other UIDs with another, and shifts dates when asked', () => {
    const first = join(dir, 'out', 'D0001/D0001/IM00001.dcm');
    const again = join(dir, 'again');
    expect(run(join(dir, 'in'), '--out', again, '--secret', join(dir, 'secret.hex'), '--shift-dates').status).toBe(1);
    const a = parseInstance(new Uint8Array(readFileSync(first))).dataSet;
    const b = parseInstance(new Uint8Array(readFileSync(join(again, 'D0001/D0001/IM00001.dcm')))).dataSet;
    expect(b.string('x00080018')).toBe(a.string('x00080018'));
    expect(b.string('x00080020')).toMatch(/^\d{8}$/);
    expect(a.string('x00080020') ?? '').toBe('');
    const other = join(dir, 'other');
    run(join(dir, 'in'), '--out', other);
    expect(parseInstance(new Uint8Array(readFileSync(join(other, 'D0001/D0001/IM00001.dcm')))).dataSet.string('x00080018')).not.toBe(a.string('x00080018'));
  }, 120_000);

  it('keeps the private attributes a --safe-private list names, and no others; refuses a bad list', () => {
    const list = join(dir, 'safe.json');
    writeFileSync(list, JSON.stringify([{ creator: 'ACME 1.1', group: '0009', element: '01' }]));
    const out = join(dir, 'safe');
    run(join(dir, 'in'), '--out', out, '--safe-private', list);
    const ds = parseInstance(new Uint8Array(readFileSync(join(out, 'D0001/D0001/IM00001.dcm')))).dataSet;
    expect(ds.string('x00090010')).toBe('ACME 1.1');
    expect(ds.elements.x00091001).toBeDefined();
    expect(ds.elements.x00110010).toBeUndefined();
    expect(ds.elements.x00111001).toBeUndefined();
    expect(ds.string('x00120063')).toMatch(/Retain Safe Private/);
    writeFileSync(list, JSON.stringify([{ creator: 'ACME', group: '0008', element: '01' }]));
    const bad = run(join(dir, 'in'), '--out', join(dir, 'bad'), '--safe-private', list);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/odd group/);
  }, 120_000);

  it('prints its usage without --out', () => {
    const r = run(join(dir, 'in'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: lucid deidentify/);
    expect(existsSync(join(dir, 'in', 'deid-log.json'))).toBe(false);
  });
});
