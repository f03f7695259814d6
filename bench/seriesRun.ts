// The browser bench's scenario, shared by bench/inference.ts and bench/traceLongTasks.ts: a 3-slice 512 × 512 CT
// series dropped on the production build at a given WASM thread count, then one model run over the series while
// the user keeps scrolling.
import type { Page } from 'playwright-core';
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

/** Runs `id` on the whole series, scrolling down and up every 400 ms until it is done; returns the wall time in ms. */
export async function runSeriesWhileScrolling(page: Page, id: string): Promise<number> {
  await page.locator(`[data-testid=task-${id}]`).check();
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
