// The browser bench's scenario, shared by bench/inference.ts and bench/traceLongTasks.ts: a 3-slice 512 × 512 CT
// series dropped on the production build at a given WASM thread count, then one model run over the series while
// the user keeps scrolling.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { makeSampleStudy } from '../src/dicom/synthetic/sampleStudy';
import { dropFiles, type Harness } from '../test/e2e/harness';

export const SERIES = makeSampleStudy().filter((f) => f.name.startsWith('ct-')).slice(10, 13);

/** A page with the series open; `initScript` runs before the app (the bench's observers). */
export async function openSeries(h: Harness, threads: number, initScript = ''): Promise<Page> {
  const page = await h.browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.addInitScript(`globalThis.__name = (f) => f; ${initScript}`);
  await page.goto(`${h.url}?empty&backend=wasm&threads=${threads}`);
  await page.waitForSelector('[data-testid=app]');
  await dropFiles(page, SERIES);
  await page.waitForSelector(`[data-testid=overlay-slice]:has-text("Slice 1/${SERIES.length}")`, { timeout: 60_000 });
  return page;
}

/**
 * Chooses model `id` as a person would and waits until the app has loaded and warmed it (the panel says so), then
 * runs it on the whole series, scrolling down and up every 400 ms until it is done; returns the wall time in ms of
 * the run. `beforeRun` runs between the two (the bench resets its long-task record there).
 */
export async function runSeriesWhileScrolling(page: Page, id: string, beforeRun?: () => Promise<void>): Promise<number> {
  await page.locator(`[data-testid=task-${id}]`).check();
  await page.locator('[data-testid=run-series]').hover();
  await page.waitForSelector('[data-testid=model-state]:has-text("ready")', { timeout: 120_000 });
  await beforeRun?.();
  const t0 = Date.now();
  await page.locator('[data-testid=run-series]').click();
  await page.waitForSelector('[data-testid=inference-progress]', { timeout: 10_000 }).catch(() => undefined);
  while (await page.locator('[data-testid=inference-progress]').count()) {
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(400);
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(400);
  }
  return Date.now() - t0;
}

/** The UI thread's time on a core and waiting for one, in ms (Linux /proc/<pid>/task/<tid>/schedstat), so far. */
export interface UiThreadTime { cpuMs: number; waitMs: number }

/**
 * The page's renderer is the one running workers (the inference, decode and render workers); its main thread is the
 * UI thread and has the process's id. Null where /proc is missing (not Linux).
 */
export async function uiThreadTime(browser: Browser): Promise<UiThreadTime | null> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo') as { processInfo: { type: string; id: number }[] };
    for (const { type, id } of processInfo) {
      const dir = `/proc/${id}/task`;
      if (type !== 'renderer' || !existsSync(dir)) continue;
      const names = readdirSync(dir).map((t) => { try { return readFileSync(`${dir}/${t}/comm`, 'utf8').trim(); } catch { return ''; } });
      if (!names.includes('DedicatedWorker')) continue;
      const [cpu, wait] = readFileSync(`${dir}/${id}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      return { cpuMs: cpu! / 1e6, waitMs: wait! / 1e6 };
    }
    return null;
  } finally { await cdp.detach(); }
}
