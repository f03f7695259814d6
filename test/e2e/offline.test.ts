// Offline: after one visit, the production build (vite build + vite preview) opens the sample study with the
// network cut, from the service worker's cache, and runs a model there. Also checks the build serves WASM and the
// models from its own origin.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, recordRequests } from './harness';

describe.skipIf(!HAS_CHROMIUM)('offline (production build)', () => {
  let server: ChildProcess;
  let browser: Browser;
  const port = 4197;
  const url = `http://127.0.0.1:${port}/`;
  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'lucid-dist-'));
    // vitest sets NODE_ENV=test, which would make a development build; the offline path is production-only.
    const env = { ...process.env, NODE_ENV: 'production' };
    const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', out, '--emptyOutDir'], { encoding: 'utf8', env });
    if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
    server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--outDir', out, '--port', String(port), '--strictPort'], { stdio: 'ignore', env });
    for (let i = 0; i < 100; i++) { try { if ((await fetch(url)).ok) break; } catch { /* starting */ } await new Promise((r) => setTimeout(r, 200)); }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  afterAll(async () => { await browser?.close(); server?.kill(); });

  it('is cross-origin isolated, keeps every request on its origin, and works offline after one visit', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests = recordRequests(page);
    await page.goto(url);
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    const cached = await page.evaluate(async () => (await (await caches.open('lucid-v1')).keys()).map((r) => r.url));
    expect(cached.some((u) => u.endsWith('.wasm'))).toBe(true);
    expect(cached.filter((u) => u.endsWith('.onnx'))).toHaveLength(3);
    expect(cached.some((u) => /ort-wasm-simd-threaded\.asyncify.*\.wasm$/.test(u))).toBe(true);
    expect(requests.every((u) => u.startsWith(url))).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
    await expect.poll(() => page.locator('[data-testid=series-item]').count()).toBe(2);
    const std = await page.evaluate(() => {
      const c = document.querySelector('[data-testid=viewport] canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let s = 0, s2 = 0, n = 0;
      for (let i = 0; i < d.length; i += 4 * 31) { s += d[i]!; s2 += d[i]! * d[i]!; n++; }
      return Math.sqrt(s2 / n - (s / n) ** 2);
    });
    expect(std).toBeGreaterThan(20);

    // The models run offline too (ORT's WASM and the model from the cache).
    await page.locator('[data-testid=series-item]', { hasText: 'brain' }).click();
    await page.locator('[data-testid=task-denoise]').check();
    await page.locator('[data-testid=run-slice]').click();
    await page.waitForSelector('[data-testid=derived-pane-placeholder]', { state: 'detached', timeout: 120_000 });
    expect(await page.locator('[data-testid=inference-error]').count()).toBe(0);
    await context.close();
  });
});
