// End-to-end harness: starts the Vite dev server and Debian's Chromium (playwright-core, never a downloaded
// browser). Tests using it are skipped, with the reason, when /usr/bin/chromium is absent.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LUCID_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_REASON = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;

export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Harness { browser: Browser; server: ChildProcess; url: string }

async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} did not start`);
}

const VITE = 'node_modules/vite/bin/vite.js';

/**
 * A production build (`vite build`) into a new temporary folder, which it returns. `env` adds variables, e.g.
 * LUCID_BUILD_ID to tell two builds apart (vite.config.ts).
 */
export function buildProduction(env: Record<string, string> = {}): string {
  const outDir = mkdtempSync(join(tmpdir(), 'lucid-build-'));
  // vitest sets NODE_ENV=test, which would make React's development build; a user gets the production one.
  execFileSync(process.execPath, [VITE, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production', ...env } });
  return outDir;
}

/**
 * `vite preview` of a production build on 127.0.0.1:`port`, with the production headers; resolves once it answers.
 * `env` as given to the build (the headers are computed from it: LUCID_DICOMWEB_ORIGINS).
 */
export async function servePreview(outDir: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const server = spawn(process.execPath, [VITE, 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production', ...env } });
  await waitForServer(`http://127.0.0.1:${port}/`, 60_000);
  return server;
}

/** Chromium (Debian's, through playwright-core) with the harness's flags. */
export function launchChromium(extraFlags: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...extraFlags] });
}

/**
 * dev: the Vite dev server (tests). preview: a production build served by `vite preview` with the same headers, as a
 * user gets it (the bench: React's development build alone costs tens of milliseconds per render).
 */
export async function startHarness(port: number, extraFlags: string[] = [], mode: 'dev' | 'preview' = 'dev'): Promise<Harness> {
  let server: ChildProcess;
  if (mode === 'preview') {
    server = await servePreview(buildProduction(), port);
  } else {
    server = spawn(process.execPath, [VITE, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  }
  const url = `http://127.0.0.1:${port}/`;
  await waitForServer(url, 60_000);
  return { browser: await launchChromium(extraFlags), server, url };
}

export async function stopHarness(h: Harness | undefined): Promise<void> {
  await h?.browser.close();
  h?.server.kill();
}

/** Every request the page makes, to check nothing leaves the app's origin. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

/**
 * Drop files on the app as a user would: a DataTransfer built in the page from bytes we pass in,
 * with folder structure kept in the file names' relative paths.
 */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = atob(it.data);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], it.name));
    }
    const target = document.querySelector('[data-testid=app]')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

/** Moves a range input as a person dragging it would: the value changes and React sees an input event. */
export async function setRangeInput(page: Page, testId: string, value: number): Promise<void> {
  await page.locator(`[data-testid=${testId}]`).evaluate((el, v) => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el as HTMLInputElement, String(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** Sum of absolute differences between two canvas snapshots, and whether a snapshot is blank. */
export async function canvasStats(page: Page): Promise<{ mean: number; std: number; data: number[] }> {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid=viewport] canvas') as HTMLCanvasElement;
    const ctx = c.getContext('2d')!;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const grey: number[] = [];
    for (let i = 0; i < d.length; i += 4 * 37) grey.push(d[i]!);
    const mean = grey.reduce((s, v) => s + v, 0) / grey.length;
    const std = Math.sqrt(grey.reduce((s, v) => s + (v - mean) ** 2, 0) / grey.length);
    return { mean, std, data: grey };
  });
}

/**
 * Grey levels of what is on screen inside `selector` (a screenshot decoded in the page), every `step`-th pixel: for
 * views drawn where the page cannot read them back (the render worker's OffscreenCanvas).
 */
export async function screenGreys(page: Page, selector: string, step = 7): Promise<number[]> {
  const png = (await page.locator(selector).screenshot()).toString('base64');
  return page.evaluate(async ([b64, s]) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], { type: 'image/png' }));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const out: number[] = [];
    for (let i = 0; i < d.length; i += 4 * s) out.push(d[i]!);
    return out;
  }, [png, step] as const);
}
