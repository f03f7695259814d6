// Repeatable fuzz run of the loader: `npx tsx scripts/fuzz.ts [--cases 100000] [--seed 1] [--jobs 1] [--out path]`.
// Cases (scripts/fuzzCase.ts) run in forked children (scripts/fuzzChild.ts) in chunks; a child silent for 10 s is
// killed, its case recorded as a hang, and the run goes on from the next case. Prints and writes (JSON) counts per
// result name, unnamed errors, hangs, crashes, slow small files and memory; never pass/fail. Node only.
// `--replay <index>` runs one case in this process and prints what it did (`--write file.dcm` keeps its bytes).
// `--stall-at <index>` makes the child spin on that case, to see the watchdog record a hang and go on.
// Memory per case: see bench/peakRss.ts (a forked child's maxRSS starts at the parent's RSS, so it is reset per case).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspectBytes } from '../src/dicom/inspectFile';
import { isDicomErrorName } from '../src/shared/errors';
import { declaredFrameBytes, fuzzCase, fuzzCorpus } from './fuzzCase';
import type { FuzzMessage } from './fuzzChild';

const MiB = 2 ** 20;
const HANG_MS = 10000;
const SLOW_MS = 2000;
const SMALL_BYTES = 1 << 20;
const MEMORY_FLOOR = 64 * MiB;

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && process.argv[k + 1] !== undefined ? process.argv[k + 1]! : fallback;
}
const seed = Number(arg('seed', '1'));
const cases = Number(arg('cases', '100000'));
const jobs = Math.max(1, Number(arg('jobs', '1')));
const chunk = Number(arg('chunk', '5000'));
const out = arg('out', 'test-results/fuzz.json');
const replay = arg('replay', '');
const stallAt = arg('stall-at', ''); // self-test of the watchdog: the child spins forever on this case
const replayCmd = (i: number) => `npx tsx scripts/fuzz.ts --seed ${seed} --replay ${i}`;

interface CaseNote { index: number; name: string; message?: string; ms?: number; bytes?: number; replay: string }
interface MemoryNote { index: number; rssDeltaMiB: number; frameMiB: number; limitMiB: number; ratioToFrame: number; replay: string }

async function replayOne(index: number): Promise<void> {
  const c = fuzzCase(await fuzzCorpus(), seed, index);
  console.log(`case ${index} of seed ${seed}: ${c.source}, ${c.bytes.length} bytes\n  ${c.ops.join('\n  ')}`);
  const write = arg('write', '');
  if (write) { writeFileSync(write, c.bytes); console.log(`bytes written to ${write}`); }
  const t0 = performance.now();
  const { record } = await inspectBytes(`case ${index}`, c.bytes, { allFrames: true });
  console.log(`${record.ok ? 'ok' : `${record.error!.name}: ${record.error!.message}`} in ${(performance.now() - t0).toFixed(1)} ms; ` +
    `max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; declared frame ${(declaredFrameBytes(record) / MiB).toFixed(2)} MiB`);
}

async function run(): Promise<void> {
  const t0 = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'lucid-fuzz-'));
  const corpus = await fuzzCorpus();
  const corpusPath = join(tmp, 'corpus.json');
  writeFileSync(corpusPath, JSON.stringify(corpus.map((s) => ({ ...s, bytes: Buffer.from(s.bytes).toString('base64') }))));
  console.log(`fuzz: seed ${seed}, ${cases} cases, ${corpus.length} corpus files (${corpus.reduce((n, s) => n + s.bytes.length, 0)} bytes; listed in the summary), ${jobs} job(s)`);

  const names = new Map<string, number>();
  const unnamed = new Map<string, CaseNote & { count: number; indices: number[] }>();
  const hangs: CaseNote[] = [], crashes: CaseNote[] = [], slow: CaseNote[] = [], overMemory: MemoryNote[] = [];
  let worst: MemoryNote | null = null, worstRatio: MemoryNote | null = null, done = 0, children = 0;
  const memoryNote = (m: Extract<FuzzMessage, { t: 'done' }>): MemoryNote => {
    const limit = Math.max(MEMORY_FLOOR, 4 * m.frameBytes);
    return { index: m.i, rssDeltaMiB: m.rssDelta / MiB, frameMiB: m.frameBytes / MiB, limitMiB: limit / MiB, ratioToFrame: m.frameBytes ? m.rssDelta / m.frameBytes : 0, replay: replayCmd(m.i) };
  };
  const record = (m: Extract<FuzzMessage, { t: 'done' }>) => {
    done++;
    names.set(m.name, (names.get(m.name) ?? 0) + 1);
    if (m.name !== 'ok' && !isDicomErrorName(m.name)) {
      const key = `${m.name}: ${m.message}`;
      const u = unnamed.get(key) ?? { index: m.i, name: m.name, message: m.message, replay: replayCmd(m.i), count: 0, indices: [] };
      u.count++;
      if (u.indices.length < 10) u.indices.push(m.i);
      unnamed.set(key, u);
    }
    if (m.ms > SLOW_MS && m.bytes < SMALL_BYTES) slow.push({ index: m.i, name: m.name, ms: m.ms, bytes: m.bytes, replay: replayCmd(m.i) });
    const note = memoryNote(m);
    if (!worst || note.rssDeltaMiB > worst.rssDeltaMiB) worst = note;
    if (m.rssDelta > MEMORY_FLOOR && (!worstRatio || note.ratioToFrame > worstRatio.ratioToFrame)) worstRatio = note;
    if (m.rssDelta > note.limitMiB * MiB) overMemory.push(note);
    if (done % 5000 === 0) console.log(`  ${done}/${cases} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  };

  /** Runs cases [from, to) in children until all are accounted for; a hang or crash skips its case and goes on. */
  const runRange = async (from: number, to: number): Promise<void> => {
    let next = from;
    while (next < to) {
      next = await new Promise<number>((resolve, reject) => {
        children++;
        const child: ChildProcess = fork(join(import.meta.dirname, 'fuzzChild.ts'), [corpusPath, String(seed), String(next), String(to), stallAt], {
          execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        let current = -1, resumeAt = next, settled = false, ready = false, timer: NodeJS.Timeout;
        const arm = (ms: number) => { clearTimeout(timer); timer = setTimeout(() => { if (current >= 0) hang(); else { child.kill('SIGKILL'); finish(resumeAt); } }, ms); };
        const finish = (at: number) => { if (!settled) { settled = true; clearTimeout(timer); resolve(at); } };
        const hang = () => {
          hangs.push({ index: current, name: 'hang', replay: replayCmd(current) });
          done++;
          child.kill('SIGKILL');
          finish(current + 1);
        };
        arm(120000); // startup under load
        child.on('message', (m: FuzzMessage) => {
          if (m.t === 'ready') ready = true;
          else if (m.t === 'start') { current = m.i; arm(HANG_MS); }
          else if (m.t === 'done') { record(m); current = -1; resumeAt = m.i + 1; arm(HANG_MS); }
          else if (m.t === 'end') resumeAt = m.next;
        });
        child.on('exit', (code, signal) => {
          if (settled) return;
          if (!ready) { settled = true; clearTimeout(timer); reject(new Error(`fuzz child failed to start (exit ${code ?? signal})`)); return; }
          if (current >= 0) { // died inside a case
            crashes.push({ index: current, name: `exit ${code ?? ''} ${signal ?? ''}`.trim(), replay: replayCmd(current) });
            done++;
            finish(current + 1);
          } else finish(resumeAt);
        });
      });
    }
  };
  const chunks: [number, number][] = [];
  for (let s = 0; s < cases; s += chunk) chunks.push([s, Math.min(cases, s + chunk)]);
  await Promise.all(Array.from({ length: jobs }, async () => {
    for (let c = chunks.shift(); c; c = chunks.shift()) await runRange(c[0], c[1]);
  }));
  rmSync(tmp, { recursive: true, force: true });

  const seconds = (Date.now() - t0) / 1000;
  const named = Object.fromEntries([...names].filter(([n]) => isDicomErrorName(n)).sort((a, b) => b[1] - a[1]));
  const summary = {
    seed, cases, seconds, children, corpus: corpus.map((s) => ({ name: s.name, bytes: s.bytes.length, fields: s.fields.length })),
    ok: names.get('ok') ?? 0, named, namedTotal: Object.values(named).reduce((a, b) => a + b, 0),
    unnamed: [...unnamed.values()], unnamedTotal: [...unnamed.values()].reduce((a, u) => a + u.count, 0),
    hangs, crashes, slowUnder1MB: slow,
    memory: { note: 'rssDelta = peak RSS during the case (VmHWM reset before it) − RSS before it (after a GC); limit = max(64 MiB, 4 × declared frame)', worst, worstRatioAboveFloor: worstRatio, overLimit: overMemory },
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(summary, null, 2));

  console.log(`\n# Fuzz summary (seed ${seed}): ${cases} cases in ${seconds.toFixed(0)} s, ${children} child processes`);
  console.log(`ok:                ${summary.ok}`);
  console.log(`named errors:      ${summary.namedTotal}  ${JSON.stringify(named)}`);
  console.log(`UNNAMED errors:    ${summary.unnamedTotal}`);
  for (const u of summary.unnamed) console.log(`  ${u.count} × ${u.name}: ${u.message}\n    cases ${u.indices.join(', ')}; replay: ${u.replay}`);
  console.log(`hangs (> ${HANG_MS / 1000} s silent): ${hangs.length}`);
  for (const h of hangs) console.log(`  case ${h.index}: ${h.replay}`);
  console.log(`child crashes:     ${crashes.length}`);
  for (const c of crashes) console.log(`  case ${c.index} (${c.name}): ${c.replay}`);
  console.log(`over ${SLOW_MS / 1000} s with input under 1 MB: ${slow.length}`);
  for (const s of slow.slice(0, 20)) console.log(`  case ${s.index}: ${s.name} in ${s.ms!.toFixed(0)} ms, ${s.bytes} bytes: ${s.replay}`);
  const mem = (m: MemoryNote | null) => (m ? `${m.rssDeltaMiB.toFixed(1)} MiB (case ${m.index}, declared frame ${m.frameMiB.toFixed(2)} MiB, limit ${m.limitMiB.toFixed(0)} MiB): ${m.replay}` : 'none');
  console.log(`largest RSS increase over one case: ${mem(worst)}`);
  console.log(`largest ratio to its frame among cases over the 64 MiB floor: ${worstRatio ? `${(worstRatio as MemoryNote).ratioToFrame.toFixed(1)}× — ` : ''}${mem(worstRatio)}`);
  console.log(`cases over max(64 MiB, 4 × frame): ${overMemory.length}`);
  for (const m of overMemory.slice(0, 20)) console.log(`  ${mem(m)}`);
  console.log(`(RSS increase: the child's peak RSS during the case, reset just before it (VmHWM), minus its RSS after a GC just before it)`);
  console.log(`summary written to ${out}`);
}

if (replay) await replayOne(Number(replay));
else await run();
