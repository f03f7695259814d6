// End-to-end privacy checks on the production build (vite build + vite preview, as a static host serves it): the page
// and its scripts carry the Content-Security-Policy of scripts/securityHeaders.ts and an inline script is refused; a
// whole session (sample study, enhance, screen, author a case, export the packet, practise it, the profile's charts)
// raises no CSP violation, sends nothing off the origin, uploads nothing, sets no cookie and stores only on its origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, recordRequests, startHarness, stopHarness, type Harness } from './harness';
import { addCase } from './authoring';
import { exportThroughDialog } from './exportDialog';
import { PRODUCTION_HEADERS, headersFile } from '../../scripts/securityHeaders';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

/** A CSP header value as directive → sources. */
function parseCsp(value: string): Map<string, string[]> {
  return new Map(value.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name!, sources]));
}

/** Collects every CSP violation in the page's documents (reloads included) and every CSP error the console shows. */
async function watchCsp(context: BrowserContext, page: Page): Promise<string[]> {
  const seen: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`securitypolicyviolation: ${e.effectiveDirective} ${e.blockedURI}`));
  });
  // Chromium forwards the workers' console here too: a blocked WASM compile in the inference worker shows up as an error.
  page.on('console', (m) => { if (/securitypolicyviolation|Content Security Policy/i.test(m.text())) seen.push(m.text()); });
  return seen;
}

async function runOnSlice(page: Page, task: 'denoise' | 'anomaly') {
  await page.locator(`[data-testid=task-${task}]`).check();
  await page.locator('[data-testid=run-slice]').click();
}

describe.skipIf(!HAS_CHROMIUM)('privacy of the production build in Chromium', () => {
  let h: Harness;
  let origin: string;
  beforeAll(async () => {
    h = await startHarness(5200, [], 'preview');
    origin = new URL(h.url).origin;
  });
  afterAll(async () => { await stopHarness(h); });

  it('serves the page and its scripts with the strict CSP, and an inline script is refused and reported', async () => {
    const page = await h.browser.newPage();
    const response = (await page.goto(h.url))!;
    const script = await page.locator('script[type=module][src]').first().getAttribute('src');
    const asset = await page.request.get(new URL(script!, h.url).href);
    expect(asset.ok()).toBe(true);
    for (const headers of [await response.allHeaders(), asset.headers()]) {
      for (const [name, value] of Object.entries(PRODUCTION_HEADERS)) expect(headers[name.toLowerCase()]).toBe(value);
      const csp = parseCsp(headers['content-security-policy']!);
      expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
      expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
      // No WebSocket, no bare scheme, no wildcard (a named DICOMweb origin would be fine).
      for (const source of csp.get('connect-src')!) expect(source).not.toMatch(/^wss?:|^https?:$|\*/);
    }
    // The static hosts' file the build writes is the same policy.
    expect(await (await fetch(new URL('_headers', h.url))).text()).toBe(headersFile());

    const attempt = await page.evaluate(() => new Promise<{ ran: boolean; directive: string | null }>((resolve) => {
      const w = window as { inlineRan?: boolean };
      let directive: string | null = null;
      document.addEventListener('securitypolicyviolation', (e) => { directive = e.effectiveDirective; }, { once: true });
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true;';
      document.head.append(s);
      setTimeout(() => resolve({ ran: w.inlineRan === true, directive }), 500);
    }));
    expect(attempt).toEqual({ ran: false, directive: 'script-src-elem' });
    await page.close();
  });

  it('a whole session sends nothing off the origin, uploads nothing, sets no cookie, stores only on its origin and breaks no CSP', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const urls = recordRequests(page);
    const sent: string[] = []; // requests from the page, its workers and the service worker that carry a body or change state
    context.on('request', (r) => { if (!['GET', 'HEAD'].includes(r.method()) || r.postDataBuffer()) sent.push(`${r.method()} ${r.url()}`); });
    const violations = await watchCsp(context, page);

    await page.goto(h.url);
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').first().textContent()).toBe('Slice 3/24');
    // Enhance: denoise one slice of the brain MR (its derived pane appears beside the original).
    await page.locator('[data-testid=series-item]', { hasText: 'brain' }).click();
    await runOnSlice(page, 'denoise');
    await page.waitForSelector('[data-testid=derived-pane-placeholder]', { state: 'detached', timeout: 180_000 });
    await page.click('[data-testid=open-card]');
    await page.click('[data-testid=model-card] button.close');
    // Screen: the anomaly model on one CT slice (heatmap and findings).
    await page.locator('[data-testid=series-item]').first().click();
    await runOnSlice(page, 'anomaly');
    await expect.poll(() => page.locator('[data-testid=findings], [data-testid=screen-panel]').first().textContent(), { timeout: 180_000 }).toMatch(/1 \/ 24 slices screened/);
    expect(await page.locator('[data-testid=inference-error]').count()).toBe(0);

    // Author a set with one case, export it as a packet.
    await page.click('[data-testid=route-author]');
    await page.click('[data-testid=new-set]');
    await page.fill('[data-testid=set-title]', 'Privacy set');
    await addCase(page, 1, 'box', 0);
    const download = await exportThroughDialog(page, 'export-packet');
    expect(download.suggestedFilename()).toBe('Privacy-set.lucid.zip');
    expect(await download.failure()).toBeNull();

    // Practise it: answer with no mark; the feedback and the profile's uPlot charts draw.
    await page.click('[data-testid=route-practice]');
    await page.locator('[data-testid=practice-set]').selectOption({ label: 'Privacy set (1)' });
    await page.click('[data-testid=submit-answer]');
    await page.waitForSelector('[data-testid=feedback-summary]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=profile-chart-detection] canvas', { timeout: 30_000 });

    expect(violations).toEqual([]);
    expect(urls.length).toBeGreaterThan(10);
    expect(urls.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
    expect(sent).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    const state = await context.storageState({ indexedDB: true });
    expect(state.cookies).toEqual([]);
    expect(state.origins.map((o) => o.origin)).toEqual([origin]); // the IndexedDB written by the session, nothing else
    await context.close();
  }, 480_000);
});
