// Where the main thread's long tasks go while a series runs: the production build in Chromium, a 3-slice CT series
// through one model at a given WASM thread count while the user scrolls, traced with the DevTools timeline; prints
// every main-thread task over 30 ms and the events inside it that took more than 2 ms.
//   npx tsx bench/traceLongTasks.ts sr-x2 2      (model, threads)
import { makeSampleStudy } from '../src/dicom/synthetic/sampleStudy';
import { startHarness, stopHarness, dropFiles } from '../test/e2e/harness';

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; args?: { name?: string; data?: { functionName?: string; url?: string } } }

const id = process.argv[2] ?? 'sr-x2';
const threads = Number(process.argv[3] ?? 2);
const files = makeSampleStudy().filter((f) => f.name.startsWith('ct-')).slice(10, 13);
const h = await startHarness(5197, [], 'preview');
const events: TraceEvent[] = [];
try {
  const page = await h.browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(`${h.url}?empty&backend=wasm&threads=${threads}`);
  await page.waitForSelector('[data-testid=app]');
  await dropFiles(page, files);
  await page.waitForSelector(`[data-testid=overlay-slice]:has-text("Slice 1/${files.length}")`, { timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Tracing.dataCollected', (e) => { events.push(...(e.value as unknown as TraceEvent[])); });
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink', transferMode: 'ReportEvents' } as never);
  await page.locator(`[data-testid=task-${id}]`).check();
  await page.locator('[data-testid=run-series]').click();
  await page.waitForSelector('[data-testid=inference-progress]', { timeout: 10_000 }).catch(() => undefined);
  while (await page.locator('[data-testid=inference-progress]').count()) {
    await page.keyboard.press('ArrowDown'); await page.waitForTimeout(400);
    await page.keyboard.press('ArrowUp'); await page.waitForTimeout(400);
  }
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
} finally { await stopHarness(h); }

const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')!;
const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
const tasks = onMain.filter((e) => e.name === 'RunTask' && e.dur! > 30_000).sort((a, b) => b.dur! - a.dur!);
console.log(`${id}, ${threads} WASM thread(s): ${onMain.filter((e) => e.name === 'RunTask').length} main-thread tasks, ${tasks.length} over 30 ms`);
for (const t of tasks.slice(0, 8)) {
  console.log(`task ${(t.dur! / 1000).toFixed(1)} ms`);
  for (const e of onMain) {
    if (e === t || e.ts < t.ts || e.ts + e.dur! > t.ts + t.dur! || e.dur! < 2000) continue;
    const d = e.args?.data;
    console.log(`  +${((e.ts - t.ts) / 1000).toFixed(1).padStart(6)} ms ${(e.dur! / 1000).toFixed(1).padStart(6)} ms  ${e.name} ${d?.functionName ?? ''} ${(d?.url ?? '').split('/').pop() ?? ''}`);
  }
}
