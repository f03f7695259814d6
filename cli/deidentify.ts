// `lucid deidentify <files or folders...> --out DIR`: one de-identified file per input (PS3.15 Annex E engine in
// src/dicom/deidentify), in a tree of the same shape whose folder and file names are new (names can carry identity),
// and DIR/deid-log.json (per input: output path, actions by count, warnings; no PHI). Node only.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { detectCornerText } from '../src/dicom/burnedIn';
import { decodeFrame } from '../src/dicom/decodeFrame';
import { deidentify, type DeidReport } from '../src/dicom/deidentify/deidentify';
import type { DeidOptions } from '../src/dicom/deidentify/rules';
import { DEID_TABLE_SOURCE } from '../src/dicom/deidentify/table';
import { parseInstance } from '../src/dicom/parseInstance';
import { toErrorInfo, type ErrorInfo } from '../src/shared/errors';
import { listInputs } from './engine';
import { SECRET_NOTE, type LoadedSecret } from './privacy';

export const DEIDENTIFY_USAGE = 'usage: lucid deidentify <files or folders...> --out DIR [--shift-dates] [--clean-descriptors] [--keep-patient-characteristics] [--keep-device-identity] [--safe-private LIST.json] [--secret FILE]';

export type DeidLogEntry = { input: number; inputSha256: string; ok: true; output: string } & Pick<DeidReport, 'counts' | 'warnings' | 'burnedIn'>
  | { input: number; inputSha256: string | null; ok: false; error: ErrorInfo };

export interface DeidLog {
  tool: 'lucid deidentify';
  profile: string;
  options: DeidOptions;
  secret: string;
  note: string;
  files: DeidLogEntry[];
  totals: { ok: number; failed: number; burnedInWarnings: number };
}

/** Output names: each folder becomes D0001, D0002… and each file IM00001.dcm… in the sorted order of its parent. */
function namer() {
  const counters = new Map<string, number>();
  const dirs = new Map<string, string>();
  const next = (parent: string) => { const n = (counters.get(parent) ?? 0) + 1; counters.set(parent, n); return n; };
  const mapDir = (dir: string): string => {
    if (dir === '' || dir === '.') return '';
    const known = dirs.get(dir);
    if (known !== undefined) return known;
    const parent = mapDir(dirname(dir) === '.' ? '' : dirname(dir));
    const mapped = join(parent, `D${String(next(`dir:${parent}`)).padStart(4, '0')}`);
    dirs.set(dir, mapped);
    return mapped;
  };
  return (relPath: string) => {
    const dir = mapDir(dirname(relPath) === '.' ? '' : dirname(relPath));
    return join(dir, `IM${String(next(`file:${dir}`)).padStart(5, '0')}.dcm`);
  };
}

/** The pixels of frame 0 checked for text-like blocks in the corners (the header reasons come from the engine). */
async function cornerText(bytes: Uint8Array): Promise<boolean> {
  try {
    const parsed = parseInstance(bytes);
    if (parsed.header.pixelKind === 'none') return false;
    return detectCornerText(await decodeFrame(parsed, 0)).found;
  } catch { return false; }
}

export async function deidentifyFiles(inputs: string[], outDir: string, options: DeidOptions, secret: LoadedSecret, log: (line: string) => void): Promise<DeidLog> {
  await mkdir(outDir, { recursive: true });
  const files: DeidLogEntry[] = [];
  const roots = await Promise.all(inputs.map(async (i) => ((await stat(i).catch(() => null))?.isDirectory() ? resolve(i) : dirname(resolve(i)))));
  const names = inputs.map(() => namer());
  let n = 0;
  for (const [r, input] of inputs.entries()) {
    for (const { path, error } of await listInputs([input], outDir)) {
      let entry: DeidLogEntry;
      let sha: string | null = null;
      try {
        if (error) throw error;
        const bytes = new Uint8Array(await readFile(path));
        sha = createHash('sha256').update(bytes).digest('hex');
        const { bytes: out, report } = deidentify(bytes, secret.secret, options);
        if (await cornerText(bytes)) report.burnedIn.push('corner-text');
        const rel = join(inputs.length > 1 ? `I${String(r + 1).padStart(2, '0')}` : '', names[r]!(relative(roots[r]!, resolve(path))));
        await mkdir(dirname(join(outDir, rel)), { recursive: true });
        await writeFile(join(outDir, rel), out);
        entry = { input: n, inputSha256: sha, ok: true, output: rel, counts: report.counts, warnings: report.warnings, burnedIn: report.burnedIn };
        log(JSON.stringify({ path, ok: true, out: rel, ...(report.burnedIn.length ? { burnedIn: report.burnedIn } : {}) }));
      } catch (e) {
        entry = { input: n, inputSha256: sha, ok: false, error: toErrorInfo(e) };
        log(JSON.stringify({ path, ok: false, error: entry.error }));
      }
      files.push(entry);
      n++;
    }
  }
  const ok = files.filter((f) => f.ok).length;
  const result: DeidLog = {
    tool: 'lucid deidentify',
    profile: `${DEID_TABLE_SOURCE.standard} (${DEID_TABLE_SOURCE.revision}), Basic Application Level Confidentiality Profile`,
    options,
    secret: SECRET_NOTE[secret.source],
    note: 'Burned-in text is detected, not removed: check every file listed with burnedIn before sharing. Inputs are listed by position and sha256, not by name.',
    files,
    totals: { ok, failed: files.length - ok, burnedInWarnings: files.filter((f) => f.ok && f.burnedIn.length > 0).length },
  };
  await writeFile(join(outDir, 'deid-log.json'), JSON.stringify(result, null, 1) + '\n');
  return result;
}
