// The Chromium half of the DICOMweb benchmark: the production build (its CSP lists the server, as a deployment does
// with LUCID_DICOMWEB_ORIGINS) served by vite preview, Orthanc behind the CORS front (test/orthanc/cors.ts), as
// test/e2e/pacs.test.ts runs it. Per study, in a fresh page: add the server, search by patient ID, click Open, and
// time in the page (a MutationObserver, from the click) the first image (overlay-slice appears) and the whole series
// (the retrieval line says "<n> images."); the main thread's JS heap after a forced GC before and after (CDP).
import { existsSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import type { CorsFront } from '../test/orthanc/cors';

export interface BenchStudy { name: string; ts: string; patientId: string; studyUID: string; seriesUID: string }

const PORT = 5215;
const APP = `http://127.0.0.1:${PORT}`;
const MiB = 2 ** 20;

/** Marks the click on Open and, from then, when the first image and the whole series are in the DOM. */
const timingScript = (images: number) => `globalThis.__name = (f) => f;
  globalThis.__t = {};
  const check = () => {
    const now = performance.now();
    if (!__t.first && document.querySelector('[data-testid=overlay-slice]')) __t.first = now;
    if (!__t.all && /(^|\\D)${images} images\\./.test(document.querySelector('[data-testid=retrieval]')?.textContent ?? '')) __t.all = now;
    const error = document.querySelector('[data-testid=retrieval-error]');
    if (error) __t.error = error.textContent;
    if ((__t.first && __t.all) || __t.error) __t.observer.disconnect();
  };
  document.addEventListener('click', (e) => {
    if (__t.open || !(e.target instanceof Element) || !e.target.closest('[data-testid=pacs-open]')) return;
    __t.open = performance.now();
    __t.observer = new MutationObserver(check);
    __t.observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, true);`;

interface Opened { firstMs: number; allMs: number; heapBefore: number; heapAfter: number }

async function openStudy(browser: Browser, front: string, study: BenchStudy, images: number): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    await context.addInitScript(timingScript(images));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const heap = async () => { await cdp.send('HeapProfiler.collectGarbage'); return (await cdp.send('Runtime.getHeapUsage')).usedSize; };
    await page.goto(`${APP}/?empty`);
    await page.waitForSelector('[data-testid=app]');
    await page.locator('[data-testid=open-pacs]').click();
    await page.locator('[data-testid=pacs-label]').fill('Bench PACS');
    await page.locator('[data-testid=pacs-url]').fill(`${front}/dicom-web`);
    await page.locator('[data-testid=pacs-save]').click();
    await page.locator('[data-testid=pacs-q-patientId]').fill(study.patientId);
    await page.locator('[data-testid=pacs-search-button]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=pacs-study]').length === 1, null, { timeout: 30_000 });
    if (await page.locator('[data-testid=overlay-slice]').count()) throw new Error('an image is on screen before Open');
    const heapBefore = await heap();
    await page.locator('[data-testid=pacs-open]').click();
    await page.waitForFunction(() => {
      const t = (globalThis as unknown as { __t: { first?: number; all?: number; error?: string } }).__t;
      if (t.error) throw new Error(`the app reports: ${t.error}`);
      return !!(t.first && t.all);
    }, null, { timeout: 600_000, polling: 100 });
    const t = await page.evaluate(() => (globalThis as unknown as { __t: { open: number; first: number; all: number } }).__t);
    const heapAfter = await heap();
    return { firstMs: t.first - t.open, allMs: t.all - t.open, heapBefore, heapAfter };
  } finally {
    await context.close();
  }
}

/** Prints the Chromium section (or why it was skipped). */
export async function openInChromium(orthancUrl: string, studies: BenchStudy[], images: number): Promise<void> {
  const harness = await import('../test/e2e/harness');
  if (!existsSync(harness.CHROMIUM)) { console.log(`\n# DICOMweb in Chromium: skipped: ${harness.SKIP_REASON}`); return; }
  const { freePort } = await import('../test/orthanc/orthanc');
  const { startCorsFront } = await import('../test/orthanc/cors');
  let front: CorsFront | undefined, preview: ChildProcess | undefined, browser: Browser | undefined, outDir: string | undefined;
  try {
    front = await startCorsFront(orthancUrl, APP, await freePort());
    const env = { LUCID_DICOMWEB_ORIGINS: front.url };
    outDir = harness.buildProduction(env);
    preview = await harness.servePreview(outDir, PORT, env);
    browser = await harness.launchChromium();
    console.log(`\n# DICOMweb in Chromium (production build via vite preview; Orthanc behind a CORS front; study browser → Open; times from the click, in the page)`);
    for (const study of studies) {
      const r = await openStudy(browser, front.url, study, images);
      console.log(`${study.name}: first image (overlay-slice in the DOM) ${r.firstMs.toFixed(0)} ms; whole series ("${images} images.") ${r.allMs.toFixed(0)} ms; main-thread JS heap after GC ${(r.heapBefore / MiB).toFixed(1)} → ${(r.heapAfter / MiB).toFixed(1)} MiB (CDP Runtime.getHeapUsage; decode-worker heaps and Blob storage not included)`);
    }
  } finally {
    await browser?.close();
    preview?.kill();
    await front?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  }
}
