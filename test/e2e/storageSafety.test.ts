// End-to-end in real Chromium with real IndexedDB: a quota too small for a case's images gives StorageQuotaError
// with what to do and stores nothing half-way (Chromium's own quota, lowered through DevTools); closing the page
// while a case and its images are being saved never leaves a case pointing at images that are not stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, startHarness, stopHarness, type Harness } from './harness';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

interface Snapshot { cases: { id: string; series: { sopInstanceUIDs: string[] }[] }[]; images: string[] }

async function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('lucid');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const read = <T,>(store: string, keys: boolean) => new Promise<T[]>((resolve, reject) => {
      const s = db.transaction(store).objectStore(store);
      const r = keys ? s.getAllKeys() : s.getAll();
      r.onsuccess = () => resolve(r.result as T[]);
      r.onerror = () => reject(r.error);
    });
    const out = { cases: await read<Snapshot['cases'][number]>('cases', false), images: await read<string>('images', true) };
    db.close();
    return out;
  });
}

/** Every SOP Instance UID a stored case lists is stored too. */
function consistent(s: Snapshot): boolean {
  const images = new Set(s.images);
  return s.cases.every((c) => c.series.every((x) => x.sopInstanceUIDs.every((u) => images.has(u))));
}

async function newCase(page: Page, url: string) {
  await page.goto(`${url}#/author`);
  await page.waitForSelector('[data-testid=series-item]', { timeout: 60_000 });
  await page.click('[data-testid=new-set]');
  await page.click('[data-testid=new-case]');
  await page.waitForSelector('[data-testid=case-editor]');
  await page.fill('[data-testid=case-title]', 'Quota case');
  await expect.poll(() => page.locator('[data-testid=save-state]').textContent()).toBe('Saved');
}

describe.skipIf(!HAS_CHROMIUM)('storage safety in Chromium', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(5191); });
  afterAll(async () => { await stopHarness(h); });

  it('quota exhausted: StorageQuotaError with what to do, nothing half-written, and the save goes through once there is room', async () => {
    const ctx: BrowserContext = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    // Chromium's own quota for the origin, lowered before the app stores anything (lowering it later does not reach a
    // database the page already holds open): room for the set and case records, not for the CT series (24 × ~0.5 MB).
    const cdp = await ctx.newCDPSession(page);
    const origin = new URL(h.url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 3_000_000 });
    await newCase(page, h.url);
    const before = await snapshot(page);
    await page.locator('[data-testid=series-item]').first().click();
    await page.click('[data-testid=add-series]');
    await expect.poll(() => page.locator('[data-testid=teaching-error]').textContent(), { timeout: 20_000 }).toMatch(/^StorageQuotaError/);
    expect(await page.locator('[data-testid=teaching-error]').textContent()).toMatch(/delete|export|space/i);
    expect(await page.locator('[data-testid=save-state]').textContent()).toBe('Not saved');
    const after = await snapshot(page);
    expect(after).toEqual(before); // the case without the series, and no image: nothing half-written
    expect(after.cases[0]!.series).toEqual([]);

    // Room again: the next edit saves the case with its pending images.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.fill('[data-testid=case-question]', 'Where is the lesion?');
    await expect.poll(() => page.locator('[data-testid=save-state]').textContent()).toBe('Saved');
    const saved = await snapshot(page);
    expect(saved.cases[0]!.series[0]!.sopInstanceUIDs).toHaveLength(24);
    expect(saved.images).toHaveLength(24);
    expect(consistent(saved)).toBe(true);
    await ctx.close();
  });

  it('closing the page while a case and its images are saved leaves either both or neither', async () => {
    const outcomes: string[] = [];
    for (const delayMs of [0, 200, 350, 450, 600, 1500]) {
      const ctx = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await ctx.newPage();
      await newCase(page, h.url);
      await page.locator('[data-testid=series-item]').first().click();
      await page.click('[data-testid=add-series]');
      await page.waitForTimeout(delayMs);
      await page.close({ runBeforeUnload: false });
      const again = await ctx.newPage();
      await again.goto(`${h.url}?empty#/author`);
      await again.waitForSelector('[data-testid=set-select]');
      const s = await snapshot(again);
      expect(consistent(s), `after closing at ${delayMs} ms`).toBe(true);
      expect(s.cases).toHaveLength(1); // the case written before is never lost
      outcomes.push(`${delayMs} ms: ${s.cases[0]!.series.length ? 'saved' : 'not saved'} (${s.images.length} images)`);
      await ctx.close();
    }
    console.log(`close during save: ${outcomes.join('; ')}`);
  }, 240_000);
});
