// Lucid command line: the same parse/decode code path as the browser, for bulk checks without one.
//   npm run -s lucid -- inspect <files or folders...> [--pixels DIR]
//   npm run -s lucid -- pull|push|screen|enhance …: DICOMweb addresses where they take folders (cli/dicomwebInput.ts)
//   npm run -s lucid -- batch submit|worker|status|report …: an archive as BullMQ jobs on Redis (cli/batch/)
// Prints one JSON object per input file per line. Never crashes on a bad file. Every command processes every input
// and then exits 1 when any input failed (2 for a usage error), so scripts notice a bad file.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { inspectBytes } from '../src/dicom/inspectFile';
import { writeNpy } from '../src/dicom/writeNpy';
import { isEnhanceModelId } from '../models/catalog';
import { createEngine, parseArgs, walkInputs } from './engine';
import { ENHANCE_DEID_DEFAULTS, ENHANCE_USAGE, enhanceFiles } from './enhance';
import { SCREEN_USAGE, screenFiles } from './screen';
import { DEIDENTIFY_USAGE, deidentifyFiles } from './deidentify';
import { SECRET_NOTE, takePrivacyArgs } from './privacy';
import { parseInputs, usageError } from './dicomwebInput';
import { PULL_USAGE, pull } from './pull';
import { PUSH_USAGE, push, pushTarget, stowQueue } from './push';
import { screenedSeries } from './screenPush';
import { BATCH_USAGE, batch } from './batch/batch';

const USAGE = 'usage: lucid inspect <files or folders...> [--pixels DIR]';
const ALL_USAGE = [USAGE, ENHANCE_USAGE, SCREEN_USAGE, DEIDENTIFY_USAGE, PULL_USAGE, PUSH_USAGE, BATCH_USAGE].join('\n');

/** Runs a command; a UsageError it throws prints its sentence and the usage, and gives exit code 2. */
async function withUsage(usage: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if ((e as Error).name !== 'UsageError') throw e;
    console.error(`${(e as Error).message ? `${(e as Error).message}\n` : ''}${usage}`);
    return 2;
  }
}

/** screen and enhance: local files and DICOMweb addresses, results to --out (de-identified by default) and/or --push. */
async function screenOrEnhance(command: 'screen' | 'enhance', rest: string[]): Promise<number> {
  const { rest: args, privacy } = await takePrivacyArgs(rest, command === 'enhance' ? ENHANCE_DEID_DEFAULTS : {});
  const pushBack = args.includes('--push');
  const { inputs, options } = parseArgs(args.filter((a) => a !== '--push'), ['--model', '--out', '--threads', '--threshold']);
  const threads = options.threads ? Number(options.threads) : undefined;
  const threshold = options.threshold ? Number(options.threshold) : undefined;
  const bad = (!options.out && !pushBack) || inputs.length === 0 || (threads !== undefined && !(threads >= 1)) || (threshold !== undefined && !(threshold > 0));
  if (bad) throw usageError();
  const sources = parseInputs(inputs);
  const log = (l: string) => console.log(l);
  const queue = pushBack ? stowQueue(pushTarget(sources), log) : undefined;
  const out = options.out || undefined;
  if (command === 'enhance') {
    const model = options.model;
    if (!model || !isEnhanceModelId(model)) throw usageError();
    const r = await enhanceFiles(await createEngine(threads), model, sources, out, privacy, log, queue && ((bytes, path) => queue.add(bytes, { object: 'derived', path })));
    await queue?.flush();
    if (out) console.error(privacy.keepIdentity ? 'identity KEPT (--keep-identity): these files name the patient; do not share them' : `de-identified (PS3.15 Basic Profile + Clean Descriptors); ${SECRET_NOTE[privacy.secret.source]}`);
    return r.failed > 0 || queue?.counts.failed ? 1 : 0;
  }
  const series = queue && screenedSeries();
  const report = await screenFiles(await createEngine(threads), sources, out, threshold, privacy, log, series?.add);
  const unwritten = series && queue ? await series.store(queue, log) : 0;
  return report.files.some((f) => !f.ok) || unwritten > 0 || queue?.counts.failed ? 1 : 0;
}

async function inspect(args: string[]): Promise<number> {
  let pixelsDir: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--pixels') pixelsDir = args[++i];
    else inputs.push(args[i]!);
  }
  if (inputs.length === 0 || (args.includes('--pixels') && !pixelsDir)) { console.error(USAGE); return 2; }
  if (pixelsDir) await mkdir(pixelsDir, { recursive: true });
  let n = 0, total = 0, failed = 0;
  const fail = (path: string, name: string, message: string) => {
    failed++;
    total++;
    console.log(JSON.stringify({ path, ok: false, error: { name, message } }));
  };
  for await (const { path: file, error } of walkInputs(inputs)) {
    let bytes: Uint8Array;
    try {
      if (error) throw error;
      bytes = new Uint8Array(await readFile(file));
    } catch (e) {
      fail(file, error ? error.name : 'FileReadError', (e as Error).message);
      continue;
    }
    const { record, frame } = await inspectBytes(file, bytes);
    if (!record.ok) failed++;
    if (frame && pixelsDir) {
      const shape = frame.samples === 3 ? [frame.rows, frame.columns, 3] : [frame.rows, frame.columns];
      const out = resolve(pixelsDir, `${String(n).padStart(5, '0')}_${basename(file).replace(/[^\w.-]/g, '_')}.npy`);
      await writeFile(out, writeNpy(frame.data, shape));
      record.pixelsFile = out;
    }
    n++;
    total++;
    console.log(JSON.stringify(record));
  }
  console.error(`${total} file${total === 1 ? '' : 's'}: ${total - failed} read, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'inspect') return inspect(rest);
  if (command === 'deidentify') {
    let parsed;
    try { parsed = await takePrivacyArgs(rest); } catch (e) { console.error(`${(e as Error).message}\n${DEIDENTIFY_USAGE}`); return 2; }
    const { rest: args, privacy } = parsed;
    const { inputs, options } = parseArgs(args, ['--out']);
    if (!options.out || inputs.length === 0 || inputs.some((i) => i.startsWith('--'))) { console.error(DEIDENTIFY_USAGE); return 2; }
    const result = await deidentifyFiles(inputs, options.out, privacy.options, privacy.secret, (l) => console.log(l));
    console.error(`${result.totals.ok} de-identified, ${result.totals.failed} failed, ${result.totals.burnedInWarnings} may carry burned-in text (see deid-log.json); ${SECRET_NOTE[privacy.secret.source]}`);
    return result.totals.failed > 0 ? 1 : 0;
  }
  if (command === 'enhance' || command === 'screen') return withUsage(command === 'enhance' ? ENHANCE_USAGE : SCREEN_USAGE, () => screenOrEnhance(command, rest));
  if (command === 'pull') return withUsage(PULL_USAGE, () => pull(rest));
  if (command === 'push') return withUsage(PUSH_USAGE, () => push(rest));
  if (command === 'batch') return withUsage(BATCH_USAGE, () => batch(rest));
  console.error(ALL_USAGE);
  return 2;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
