// End-to-end in real Chromium (issue 13): the model card reads as formatted text — headings and real tables, no raw
// Markdown — and anomaly screening of the bundled sample says what its region score is and keeps a region's score
// when the threshold slider moves (the slider picks which regions show, not what they score). Screenshots go to
// test-results/ (not committed).
import { readFileSync } from 'node:fs';
import dicomParser from 'dicom-parser';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStructuredReport } from '../../src/dicom/readSr';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, setRangeInput, startHarness, stopHarness, type Harness } from './harness';

const SKIP = !HAS_CHROMIUM && process.env.CI !== 'true';
if (SKIP) console.warn(`e2e skipped: ${SKIP_REASON}`);

/** The first finding's text once it has stopped changing (the list follows the slider a moment later). */
async function settledTopFinding(page: Page): Promise<string> {
  let last = '';
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(150);
    const now = (await page.locator('[data-testid=findings] li').first().textContent()) ?? '';
    if (now === last && now) return now;
    last = now;
  }
  return last;
}

describe.skipIf(SKIP)('model card and anomaly score in Chromium', () => {
  let h: Harness;
  let page: Page;
  beforeAll(async () => {
    h = await startHarness(5205);
    page = await h.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(h.url);
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
  }, 120_000);
  afterAll(async () => { await stopHarness(h); });

  it('renders each model card as formatted text with tables, not raw Markdown', async () => {
    for (const task of ['sr-x2', 'denoise', 'anomaly']) {
      await page.locator(`[data-testid=task-${task}]`).check();
      await page.locator('[data-testid=open-card]').click();
      const card = page.locator('[data-testid=model-card]');
      await card.waitFor();
      expect(await card.locator('h1').count()).toBe(1);
      expect(await card.locator('h2').count()).toBeGreaterThan(3);
      expect(await card.locator('table').count()).toBeGreaterThan(0);
      expect(await card.locator('table th').count()).toBeGreaterThan(3);
      expect(await card.locator('strong').first().textContent()).toMatch(/Not a diagnostic device/);
      const text = (await card.textContent()) ?? '';
      expect(text).toMatch(/teaching and review/i);
      expect(text).not.toContain('**');
      expect(text).not.toContain('|---');
      expect(text).not.toMatch(/^#+ /m);
      expect(text).not.toContain('<!--');
      await page.screenshot({ path: `test-results/model-card-${task}.png` });
      await card.locator('button.close').click();
      await card.waitFor({ state: 'detached' });
    }
  });

  it('screens a sample slice: the legend says what the score is, and the slider does not change a region\'s score', async () => {
    await page.locator('[data-testid=series-item]', { hasText: 'brain' }).click();
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("/20")', { timeout: 30_000 });
    await page.locator('[data-testid=task-anomaly]').check();
    await page.locator('[data-testid=run-slice]').click();
    await page.waitForSelector('[data-testid=screen-panel]:has-text("1 / 20 slices screened")', { timeout: 180_000 });
    const legend = (await page.locator('[data-testid=heat-legend]').textContent()) ?? '';
    expect(legend).toMatch(/Region score: the region's peak ÷ its modality's reference level, which regions reach on fewer than one in ten lesion-free validation slices/);
    expect(legend).toMatch(/same at any threshold and not a probability/);

    // Two slider positions below the slice's highest score: the region holding that peak is listed at both.
    const slider = page.locator('[data-testid=heat-threshold]');
    const max = Number(await slider.getAttribute('max'));
    const reference = Number(await slider.inputValue());
    // With the slider at the bottom the legend's top tick is the slice's highest score.
    await setRangeInput(page, 'heat-threshold', 0);
    await page.waitForTimeout(300);
    const peak = Math.max(...(await page.locator('[data-testid=heat-legend] .ticks span').allTextContents()).map(Number));
    expect(peak).toBeGreaterThan(0);
    const a = Math.min(0.8 * peak, max), b = 0.5 * peak;
    await setRangeInput(page, 'heat-threshold', a);
    const atA = await settledTopFinding(page);
    await page.screenshot({ path: 'test-results/anomaly-threshold-high.png' });
    await setRangeInput(page, 'heat-threshold', b);
    const atB = await settledTopFinding(page);
    await page.screenshot({ path: 'test-results/anomaly-threshold-low.png' });
    const score = (s: string) => /score (\d+\.\d+)/.exec(s)?.[1];
    const pixels = (s: string) => Number(/\((\d+) px\)/.exec(s)?.[1]);
    expect(score(atA)).toBeDefined();
    expect(score(atB)).toBe(score(atA));
    expect(pixels(atB)).toBeGreaterThan(pixels(atA)); // the slider did move: the region grew
    // Never a percentage chance: no % in the findings, and "probability" only as "not a probability".
    expect(await page.locator('[data-testid=findings]').textContent()).not.toContain('%');
    const text = (await page.locator('[data-testid=screen-panel]').textContent()) ?? '';
    expect(text.match(/probability/g)).toHaveLength(1);
    expect(text).toContain('not a probability');
    console.log(`sample MR slice 1: reference ${reference}, peak ${peak}; top finding at ${a.toFixed(4)}: "${atA}", at ${b.toFixed(4)}: "${atB}"`);
  }, 240_000);

  it('saves the screening as DICOM (an SR of the regions and a SEG), de-identified', async () => {
    const regions = await page.locator('[data-testid=findings] li').count();
    expect(regions).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save-screening]').click()]);
    expect(download.suggestedFilename()).toBe('MR anomaly findings (de-identified).zip');
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    expect(Object.keys(files).sort()).toEqual(['anomaly findings.sr.dcm', 'anomaly regions.seg.dcm']);
    const sr = dicomParser.parseDicom(files['anomaly findings.sr.dcm']!);
    expect(readStructuredReport(sr).groups).toHaveLength(regions);
    for (const f of Object.values(files)) {
      const ds = dicomParser.parseDicom(f);
      expect(ds.string('x00120062')).toBe('YES'); // Patient Identity Removed
      expect(ds.string('x00100010')).toMatch(/^ANON-/);
    }
    expect(dicomParser.parseDicom(files['anomaly regions.seg.dcm']!).string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.66.4');
  }, 60_000);

  it('colours a screened slice\'s heatmap once: scrolling back and forth over screened slices reuses it', async () => {
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 2/20")');
    await page.locator('[data-testid=run-slice]').click();
    await page.waitForSelector('[data-testid=screen-panel]:has-text("2 / 20 slices screened")', { timeout: 180_000 });
    const marks = () => page.evaluate(() => performance.getEntriesByName('lucid:heatmap').length);
    const scroll = async (key: string, slice: number) => {
      await page.keyboard.press(key);
      await page.waitForSelector(`[data-testid=overlay-slice]:has-text("Slice ${slice}/20")`);
      await page.waitForTimeout(100);
    };
    // The series' colour scale may have grown with slice 2's result: each slice is coloured once more at most.
    await scroll('ArrowUp', 1);
    await scroll('ArrowDown', 2);
    expect(await marks()).toBeGreaterThan(0);
    await page.evaluate(() => performance.clearMarks('lucid:heatmap'));
    for (let i = 0; i < 4; i++) { await scroll('ArrowUp', 1); await scroll('ArrowDown', 2); }
    expect(await marks()).toBe(0);
    // A new threshold is a new colouring (of the slice on screen only).
    await setRangeInput(page, 'heat-threshold', 0);
    await expect.poll(marks).toBeGreaterThan(0);
  }, 240_000);
});
