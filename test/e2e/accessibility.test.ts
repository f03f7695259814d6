// Accessibility (issue 13): axe-core (run in the page, served from node_modules, nothing fetched) finds no serious or
// critical violation in any view or dialog, at a desktop and a tablet size; every control is reachable by keyboard.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, startHarness, stopHarness, type Harness } from './harness';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation { id: string; impact: string; help: string; nodes: string[] }
async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}
const serious = (vs: Violation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

const SIZES = [{ width: 1440, height: 900 }, { width: 768, height: 1024 }];

describe.skipIf(!HAS_CHROMIUM)('accessibility in Chromium (axe-core)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(5207); });
  afterAll(async () => { await stopHarness(h); });

  for (const size of SIZES) {
    it(`every view and dialog at ${size.width}×${size.height}: no serious or critical violation`, async () => {
      const page = await h.browser.newPage({ viewport: size, hasTouch: size.width < 1000 });
      await page.goto(h.url);
      await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
      const found: Record<string, Violation[]> = {};
      const check = async (name: string) => {
        found[name] = serious(await axe(page));
        await page.screenshot({ path: `test-results/a11y-${size.width}-${name}.png` });
      };
      await check('review');
      await page.locator('[data-testid=tags-open]').click();
      await page.waitForSelector('[data-testid=tag-row]');
      await check('tag-browser');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=tag-browser]', { state: 'detached' });
      await page.keyboard.press('?');
      await page.waitForSelector('[data-testid=help]');
      await check('help');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=help]', { state: 'detached' });
      await page.getByText('Model card').click();
      await page.waitForSelector('[data-testid=model-card]');
      await check('model-card');
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=route-author]').click();
      await page.waitForTimeout(500);
      await check('author');
      await page.locator('[data-testid=route-practice]').click();
      await page.waitForTimeout(500);
      await check('practice');
      const report = Object.entries(found).flatMap(([view, vs]) => vs.map((v) => `${view}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.join(' | ')})`));
      expect(report, report.join('\n')).toEqual([]);
      await page.close();
    }, 180_000);
  }

  it('every control on the Review view can be reached with Tab, with a visible focus', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(h.url);
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
    const reached = new Set<string>();
    let outlineSeen = 0;
    for (let k = 0; k < 120; k++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        if (!e || e === document.body) return null;
        const s = getComputedStyle(e);
        return { id: e.dataset.testid ?? e.textContent?.trim().slice(0, 30) ?? e.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 };
      });
      if (f) { reached.add(f.id); if (f.outline) outlineSeen++; }
    }
    for (const id of ['open-files-button', 'open-folder-button', 'teaching-safe', 'route-author', 'tags-open', 'series-item']) expect([...reached], id).toContain(id);
    expect(outlineSeen).toBeGreaterThan(10);
    await page.close();
  }, 120_000);
});
