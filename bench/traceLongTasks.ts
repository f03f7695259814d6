// Where the main thread's long tasks go while a series runs: the production build in Chromium, a 3-slice CT series
// through one model at a given WASM thread count while the user scrolls, traced with the DevTools timeline; prints
// every main-thread task over 30 ms and the events inside it that took more than 2 ms.
//   npx tsx bench/traceLongTasks.ts sr-x2 2      (model, threads)
import { startHarness, stopHarness } from '../test/e2e/harness';
import { openSeries, runSeriesWhileScrolling } from './seriesRun';

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { functionName?: string; url?: string } } }

const id = process.argv[2] ?? 'sr-x2';
const threads = Number(process.argv[3] ?? 2);
const h = await startHarness(5197, [], 'preview');
const events: TraceEvent[] = [];
try {
  const page = await openSeries(h, threads);
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Tracing.dataCollected', (e) => { events.push(...(e.value as unknown as TraceEvent[])); });
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink', transferMode: 'ReportEvents' } as never);
  await runSeriesWhileScrolling(page, id);
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
} finally { await stopHarness(h); }

const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')!;
const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
const tasks = onMain.filter((e) => e.name === 'RunTask' && e.dur! > 30_000).sort((a, b) => b.dur! - a.dur!);
console.log(`${id}, ${threads} WASM thread(s): ${onMain.filter((e) => e.name === 'RunTask').length} main-thread tasks, ${tasks.length} over 30 ms`);
for (const t of tasks.slice(0, 8)) {
  console.log(`task ${(t.dur! / 1000).toFixed(1)} ms (thread time ${((t.tdur ?? NaN) / 1000).toFixed(1)} ms)`);
  for (const e of onMain) {
    if (e === t || e.ts < t.ts || e.ts + e.dur! > t.ts + t.dur! || e.dur! < 2000) continue;
    const d = e.args?.data;
    console.log(`  +${((e.ts - t.ts) / 1000).toFixed(1).padStart(6)} ms ${(e.dur! / 1000).toFixed(1).padStart(6)} ms (cpu ${((e.tdur ?? NaN) / 1000).toFixed(1)})  ${e.name} ${d?.functionName ?? ''} ${(d?.url ?? '').split('/').pop() ?? ''}`);
  }
}
