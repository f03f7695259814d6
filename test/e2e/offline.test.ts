// Offline that updates: the production build's Workbox service worker, as a person gets it. Version A is built and
// served (vite preview, production headers); one visit installs it; offline, the app, the sample study and a model
// work from the cache, cross-origin isolated, and Chromium finds the app installable. Then version B is served from
// the same origin: a reload shows the update notice (the page never reloads by itself), Reload applies it, and
// offline B is what opens, with A's precached files gone from the cache.
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, FLAGS, HAS_CHROMIUM, buildProduction, recordRequests, servePreview } from './harness';

const SLICE_1 = '[data-testid=overlay-slice]:has-text("Slice 1/24")';

/** The URLs in the service worker's caches, by cache name (files without a hash in their name carry a revision). */
function cacheContents(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
    return out;
  });
}

/** The standard deviation of the viewport's grey levels: a blank or failed image is flat. */
function viewportStd(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid=viewport] canvas') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let s = 0, s2 = 0, n = 0;
    for (let i = 0; i < d.length; i += 4 * 31) { s += d[i]!; s2 += d[i]! * d[i]!; n++; }
    return Math.sqrt(s2 / n - (s / n) ** 2);
  });
}

describe.skipIf(!HAS_CHROMIUM)('offline that updates (production build)', () => {
  const port = 4197;
  const url = `http://127.0.0.1:${port}/`;
  let outA: string, outB: string, profile: string;
  let server: ChildProcess | undefined;
  let context: BrowserContext;
  let page: Page;
  let cachedA: string[] = [];
  beforeAll(async () => {
    outA = buildProduction({ LUCID_BUILD_ID: 'A' });
    outB = buildProduction({ LUCID_BUILD_ID: 'B' });
    mkdirSync('test-results', { recursive: true });
    server = await servePreview(outA, port);
    // A persistent profile: a browser context of its own would be off the record, where Chromium never installs.
    profile = mkdtempSync(join(tmpdir(), 'lucid-profile-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS });
    page = context.pages()[0] ?? await context.newPage();
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    server?.kill();
    for (const dir of [outA, outB, profile]) if (dir) rmSync(dir, { recursive: true, force: true }); // two builds: 100 MB
  });

  it('version A: installable, cross-origin isolated, every request on its origin, and works offline after one visit', async () => {
    const requests = recordRequests(page);
    await page.goto(url);
    await page.waitForSelector(SLICE_1, { timeout: 60_000 });
    expect(await page.getAttribute('html', 'data-build')).toBe('A');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // clientsClaim: the first visit is controlled as soon as the worker has precached everything.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 120_000 });
    expect(await page.locator('[data-testid=update-notice]').count()).toBe(0); // a first install is no update

    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.url).toBe(`${url}manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!)).toMatchObject({ name: 'Lucid', display: 'standalone', start_url: './', scope: './' });
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);

    const caches = await cacheContents(page);
    const names = Object.keys(caches);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^workbox-precache-v2-/);
    cachedA = caches[names[0]!]!;
    const has = (re: RegExp) => cachedA.filter((u) => re.test(u.replace(/\?__WB_REVISION__=\w+$/, ''))).length;
    expect(has(/(charls|openjpeg|openjph|libjpegturbo)\w*-[\w-]+\.wasm$/)).toBe(4); // the codecs
    expect(has(/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/)).toBe(1); // onnxruntime-web
    expect(has(/\.onnx$/)).toBe(3); // the models
    expect(has(/\/sample\/.*\.dcm$/)).toBe(44); // the sample study
    expect(has(/\/icons\/icon-(192|512|maskable-512)\.png$/)).toBe(3);
    expect(requests.every((u) => u.startsWith(url))).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector(SLICE_1, { timeout: 60_000 });
    expect(await page.getAttribute('html', 'data-build')).toBe('A');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // the cached responses keep COOP/COEP
    await expect.poll(() => page.locator('[data-testid=series-item]').count()).toBe(2);
    expect(await viewportStd(page)).toBeGreaterThan(20);
    // The models run offline too (ORT's WASM and the model from the cache), on threads: isolation holds.
    await page.locator('[data-testid=series-item]', { hasText: 'brain' }).click();
    await page.locator('[data-testid=task-denoise]').check();
    await page.locator('[data-testid=run-slice]').click();
    await page.waitForSelector('[data-testid=derived-pane-placeholder]', { state: 'detached', timeout: 120_000 });
    expect(await page.locator('[data-testid=inference-error]').count()).toBe(0);
    await page.screenshot({ path: 'test-results/offline-A.png' });
    await context.setOffline(false);
  }, 300_000);

  it('version B: a reload shows the update notice, Reload applies it, and offline B opens with A\'s files gone', async () => {
    expect(cachedA.length).toBeGreaterThan(0);
    server!.kill();
    await once(server!, 'exit');
    server = await servePreview(outB, port);

    // A's worker still serves A; the browser finds B's worker on the reload, which installs and waits.
    await page.reload();
    await page.waitForSelector(SLICE_1, { timeout: 60_000 });
    await page.evaluate(() => { (window as unknown as { stillHere: boolean }).stillHere = true; });
    await page.waitForSelector('[data-testid=update-notice]', { timeout: 120_000 });
    expect(await page.locator('[data-testid=update-notice]').textContent()).toContain('A new version of Lucid is ready');
    await page.screenshot({ path: 'test-results/offline-update-notice.png' });
    // The notice waits for the person: the page has not reloaded itself and still runs A.
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await page.getAttribute('html', 'data-build')).toBe('A');

    await page.locator('[data-testid=update-reload]').click();
    await page.waitForSelector('html[data-build="B"]', { state: 'attached', timeout: 60_000 });
    await page.waitForSelector(SLICE_1, { timeout: 60_000 });
    expect(await page.locator('[data-testid=update-notice]').count()).toBe(0);

    // B's precache replaced A's: the files only A had (its bundle, its index.html revision) are gone.
    const caches = await cacheContents(page);
    const names = Object.keys(caches);
    expect(names).toHaveLength(1);
    const cachedB = caches[names[0]!]!;
    const onlyA = readdirSync(join(outA, 'assets')).filter((f) => !f.endsWith('.map') && !readdirSync(join(outB, 'assets')).includes(f));
    expect(onlyA.some((f) => /^index-.*\.js$/.test(f))).toBe(true);
    for (const f of onlyA) {
      expect(cachedA).toContain(`${url}assets/${f}`);
      expect(cachedB).not.toContain(`${url}assets/${f}`);
    }
    expect(cachedB.filter((u) => cachedA.includes(u) === false).length).toBeGreaterThan(0);
    expect(cachedB.filter((u) => u.includes('/index.html'))).toHaveLength(1);
    expect(cachedB.length).toBe(cachedA.length);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector(SLICE_1, { timeout: 60_000 });
    expect(await page.getAttribute('html', 'data-build')).toBe('B');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await viewportStd(page)).toBeGreaterThan(20);
    await page.screenshot({ path: 'test-results/offline-B.png' });
    await context.setOffline(false);
  }, 300_000);
});
