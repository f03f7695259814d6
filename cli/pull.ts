// `lucid pull <DICOMweb address...> --out DIR`: WADO-RS retrieve of a study, series or instance in the transfer
// syntax it was stored in (never transcoded), each instance written as it arrives to
// DIR/<Study UID>/<Series UID>/<SOP Instance UID>.dcm, byte for byte as the server sent it. One JSON line per
// instance; a retrieval that fails or is cut short adds an error line and exit code 1, and what arrived stays. Identity
// is kept (these are the user's own files, copied to their own disk). Node only.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { toErrorInfo } from '../src/shared/errors';
import { parseArgs } from './engine';
import { DICOMWEB_ENV_NOTE, DICOMWEB_URL_FORM, instanceUids, parseDicomwebInput, retrieveInput, usageError, withCredentialHint, type DicomwebInput } from './dicomwebInput';

export const PULL_USAGE = `usage: lucid pull ${DICOMWEB_URL_FORM}... --out DIR   (${DICOMWEB_ENV_NOTE})`;

async function pullInput(input: DicomwebInput, outDir: string, log: (line: string) => void): Promise<{ ok: number; failed: number }> {
  let ok = 0, failed = 0;
  try {
    for await (const part of retrieveInput(input)) {
      try {
        const ids = instanceUids(part.bytes);
        const out = join(outDir, ids.study, ids.series, `${ids.sop}.dcm`);
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, part.bytes);
        ok++;
        log(JSON.stringify({ path: input.url, ok: true, out, sopInstanceUID: ids.sop, transferSyntaxUID: part.transferSyntaxUID, bytes: part.bytes.length }));
      } catch (e) {
        failed++;
        log(JSON.stringify({ path: input.url, ok: false, error: toErrorInfo(e) }));
      }
    }
  } catch (e) {
    failed++;
    log(JSON.stringify({ path: input.url, ok: false, error: toErrorInfo(withCredentialHint(e)) }));
  }
  return { ok, failed };
}

/** The pull command: arguments → exit code (0 all written, 1 any failed or cut short); a UsageError when called wrongly. */
export async function pull(args: string[]): Promise<number> {
  const { inputs, options } = parseArgs(args, ['--out']);
  if (!options.out || inputs.length === 0) throw usageError();
  const sources = inputs.map((i) => parseDicomwebInput(i));
  let ok = 0, failed = 0;
  for (const input of sources) {
    const r = await pullInput(input, options.out, (l) => console.log(l));
    ok += r.ok;
    failed += r.failed;
  }
  console.error(`${ok} instance${ok === 1 ? '' : 's'} written under ${options.out}, ${failed} failed (identity kept: these files name the patient)`);
  return failed > 0 ? 1 : 0;
}
