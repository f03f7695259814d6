// The viewer on a tablet in portrait (768 × 1024, touch), as a new user meets it (issue 13): the series list is a
// drawer opened by a tap, each series keeps its own window, the compare views stack with their labels and legends,
// model cards and the anomaly legend read as formatted text, a damaged file is named in a sentence, and the view saves
// as a PNG. Each step leaves a screenshot in test-results/tablet-*.png. The same points at 1440 × 900 are covered by
// viewerState, inference, modelUi and accessibility.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, dropFiles, startHarness, stopHarness, type Harness } from './harness';
import { makeImage, pattern } from '../fixtures/makeImage';
import { TS_UID } from '../../src/dicom/transferSyntax';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

const TABLET = { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: false } as const;
const MR = 'Synthetic brain T1 MR (phantom)';
const text = (page: Page, id: string) => page.locator(`[data-testid=${id}]`).textContent();
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/tablet-${name}.png` });

async function openSample(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
  await expect.poll(() => page.locator('[data-testid=series-item]', { hasText: MR }).locator('[data-testid=series-count]').textContent(), { timeout: 30_000 }).toBe('20');
}

/** Opens the series drawer with a tap and taps a series: the drawer closes and the series is in view. */
async function tapSeries(page: Page, label: string): Promise<void> {
  await page.locator('[data-testid=drawer-toggle]').tap();
  await expect.poll(() => page.locator('#sources').evaluate((el) => (el as HTMLElement).inert)).toBe(false);
  await page.locator('[data-testid=series-item]', { hasText: label }).tap();
  await expect.poll(() => text(page, 'overlay-series')).toContain(label);
  await expect.poll(() => page.locator('#sources').evaluate((el) => (el as HTMLElement).inert)).toBe(true);
}

describe.skipIf(!HAS_CHROMIUM)('the viewer on a 768 × 1024 tablet with touch', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(5208); });
  afterAll(async () => { await stopHarness(h); });

  it('series from a drawer, each with its own window; orientation, scale bar, slice location; the tag browser fits', async () => {
    const page = await h.browser.newPage(TABLET);
    await openSample(page, h.url);
    // The viewport takes the width: the series list is a closed drawer, not a column beside it.
    const vp = (await page.locator('[data-testid=viewport]').boundingBox())!;
    expect(vp.width).toBeGreaterThan(700);
    expect(await page.locator('#sources').evaluate((el) => (el as HTMLElement).inert)).toBe(true);
    expect(await text(page, 'overlay-window')).toBe('W 400 L 40');
    await page.locator('.toolbar button', { hasText: 'Bone' }).tap();
    await expect.poll(() => text(page, 'overlay-window')).toBe('W 2500 L 480');
    await shot(page, 'ct-bone');
    await tapSeries(page, MR);
    await expect.poll(() => text(page, 'overlay-slice')).toBe('Slice 1/20');
    await expect.poll(() => text(page, 'overlay-window')).not.toMatch(/^W (2500 L 480|400 L 40)$/);
    await tapSeries(page, 'Synthetic chest CT');
    await expect.poll(() => text(page, 'overlay-window')).toBe('W 2500 L 480'); // as the user left it
    // Orientation markers, slice location and thickness, a scale bar: all inside the viewport, none overlapping.
    const edges = await Promise.all(['left', 'right', 'top', 'bottom'].map((e) => text(page, `orientation-${e}`)));
    expect(edges).toEqual(['R', 'L', 'A', 'P']);
    expect(await text(page, 'overlay-location')).toBe('Loc 0 mm · Th 5 mm');
    const boxes = await Promise.all(['overlay-slice', 'overlay-location', 'scale-bar', 'overlay-zoom', 'overlay-series'].map(async (id) => (await page.locator(`[data-testid=${id}]`).boundingBox())!));
    for (const b of boxes) expect(b.x >= vp.x - 1 && b.x + b.width <= vp.x + vp.width + 1).toBe(true);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlap, `overlay items ${i} and ${j} overlap`).toBe(false);
    }
    await shot(page, 'orientation-scale');
    await page.locator('[data-testid=tags-open]').tap();
    const dialog = page.locator('[data-testid=tag-browser]');
    await expect.poll(() => page.locator('[data-testid=tag-row]').count()).toBeGreaterThan(30);
    const d = (await dialog.boundingBox())!;
    expect(d.x).toBeGreaterThanOrEqual(0);
    expect(d.x + d.width).toBeLessThanOrEqual(768);
    expect(await page.locator('[data-testid=tag-row]', { hasText: 'PatientName' }).textContent()).toContain('hidden (teaching-safe)');
    await shot(page, 'tag-browser');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.close();
  }, 180_000);

  it('comparing: the views stack, swipe shows a divider and both sides\' names, flicker has a rate, the difference a legend', async () => {
    const page = await h.browser.newPage(TABLET);
    await openSample(page, h.url);
    await tapSeries(page, MR);
    await page.locator('[data-testid=task-sr-x2]').tap();
    await page.locator('[data-testid=run-slice]').tap();
    await page.waitForSelector('[data-testid=derived-pane-placeholder]', { state: 'detached', timeout: 180_000 });
    // Side by side on a portrait tablet: one above the other, each the full width.
    const main = (await page.locator('[data-testid=viewport]').boundingBox())!;
    const derived = (await page.locator('[data-testid=derived-pane]').boundingBox())!;
    expect(derived.y).toBeGreaterThanOrEqual(main.y + main.height - 4);
    expect(Math.min(main.width, derived.width)).toBeGreaterThan(700);
    expect(Math.min(main.height, derived.height)).toBeGreaterThan(200);
    await shot(page, 'compare-side');
    await page.locator('[data-testid=mode-swipe]').tap();
    await expect.poll(() => page.locator('[data-testid=swipe-divider]').isVisible()).toBe(true);
    expect(await text(page, 'swipe-label-original')).toBe('◀ Original');
    expect(await text(page, 'swipe-label-enhanced')).toBe('Super-resolution ×2 ▶');
    await shot(page, 'compare-swipe');
    await page.locator('[data-testid=mode-flicker]').tap();
    const rate = page.locator('[data-testid=flicker-rate]');
    await rate.focus();
    await page.keyboard.press('End');
    expect(await rate.inputValue()).toBe('2000');
    await shot(page, 'compare-flicker');
    await page.locator('[data-testid=mode-difference]').tap();
    await expect.poll(() => text(page, 'difference-legend')).toMatch(/^Enhanced − original \(signal\)-[\d.]+0\+[\d.]+mid-grey: unchanged/);
    const legend = (await page.locator('[data-testid=difference-legend]').boundingBox())!;
    const pane = (await page.locator('[data-testid=difference-pane]').boundingBox())!;
    expect(legend.x + legend.width).toBeLessThanOrEqual(pane.x + pane.width + 1);
    await shot(page, 'compare-difference');
    await page.close();
  }, 240_000);

  it('the model card reads as formatted text and the anomaly legend says what its score is', async () => {
    const page = await h.browser.newPage(TABLET);
    await openSample(page, h.url);
    await page.locator('[data-testid=task-anomaly]').tap();
    await page.locator('[data-testid=open-card]').tap();
    const card = page.locator('[data-testid=model-card]');
    await card.waitFor();
    expect(await card.locator('table').count()).toBeGreaterThan(0);
    expect(await card.textContent()).not.toContain('**');
    const c = (await card.boundingBox())!;
    expect(c.x).toBeGreaterThanOrEqual(0);
    expect(c.x + c.width).toBeLessThanOrEqual(768);
    await shot(page, 'model-card');
    await card.locator('button.close').tap();
    await card.waitFor({ state: 'detached' });
    await page.locator('[data-testid=run-slice]').tap();
    await page.waitForSelector('[data-testid=screen-panel]:has-text("1 / 24 slices screened")', { timeout: 180_000 });
    expect(await text(page, 'heat-legend')).toMatch(/same at any threshold and not a probability/);
    await shot(page, 'anomaly');
    await page.close();
  }, 240_000);

  it('a file cut inside its header is named in a sentence; the study just dropped becomes the one in view', async () => {
    const page = await h.browser.newPage(TABLET);
    await openSample(page, h.url);
    const image = (i: number) => makeImage({ rows: 64, columns: 64, bitsAllocated: 16, bitsStored: 12, values: Uint16Array.from(pattern(64, 64, 0, 4095, 1, 1, i + 1)), modality: 'MR', extra: [
      { tag: 0x0008103e, vr: 'LO', value: 'Tablet drop' },
      { tag: 0x0020000d, vr: 'UI', value: '1.2.826.0.1.3680043.10.1401.62' },
      { tag: 0x0020000e, vr: 'UI', value: '1.2.826.0.1.3680043.10.1401.62.1' },
      { tag: 0x00080018, vr: 'UI', value: `1.2.826.0.1.3680043.10.1401.62.1.${i + 1}` },
      { tag: 0x00200013, vr: 'IS', value: i + 1 },
    ] }, TS_UID.explicitLE);
    const good = await Promise.all([0, 1, 2].map(async (i) => ({ name: `drop/mr-${i}.dcm`, bytes: await image(i) })));
    const cut = { name: 'drop/cut.dcm', bytes: (await image(3)).subarray(0, 300) };
    await dropFiles(page, [...good, cut]);
    await expect.poll(() => text(page, 'overlay-series'), { timeout: 30_000 }).toContain('Tablet drop');
    await expect.poll(() => page.locator('[data-testid=not-loaded-item]').count(), { timeout: 30_000 }).toBe(1);
    const sentence = (await text(page, 'not-loaded-sentence')) ?? '';
    expect(sentence).toMatch(/cut off|ends|truncated|incomplete/i);
    expect(sentence).not.toMatch(/ByteStream|parameter|position/);
    await shot(page, 'not-loaded');
    await page.close();
  }, 120_000);

  it('saves the view as a PNG', async () => {
    const page = await h.browser.newPage({ ...TABLET, acceptDownloads: true });
    await openSample(page, h.url);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=save-png]').tap()]);
    expect(download.suggestedFilename()).toBe('CT slice 1.png');
    await page.close();
  }, 120_000);
});
