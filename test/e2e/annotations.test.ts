// End-to-end in real Chromium: measuring on the sample CT. A length and an ellipse drawn with the mouse are checked
// against the phantom (pixel spacing 0.7 mm; the descending aorta is 50 HU), against cornerstone-tools' own numbers,
// and against what IndexedDB stores; then keyboard-only placement and nudging, undo/redo, label, delete, zoom/pan
// (stored points unchanged) and a reload that brings everything back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, startHarness, stopHarness, type Harness } from './harness';
import { sampleSeriesSpecs, syntheticImage } from '../../src/dicom/synthetic/sampleStudy';
import { regionStats } from '../../src/shared/measure';
import type { Annotation, Point } from '../../src/teaching/model';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

const SPACING = 0.7; // mm, the sample CT's Pixel Spacing (both directions)
const SIZE = 512;
/** The phantom's descending aorta: centre of pixel (c + 18, c + 65), c = 256, radius 16 px, 50 HU + noise. */
const AORTA = { x: 274.5, y: 321.5 };

/** What IndexedDB holds (read the way any page script could, not through the app). */
function stored(page: Page): Promise<Annotation[]> {
  return page.evaluate(() => new Promise<Annotation[]>((resolve, reject) => {
    const open = indexedDB.open('lucid');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const q = db.transaction('annotations').objectStore('annotations').getAll();
      q.onsuccess = () => { resolve(q.result as Annotation[]); db.close(); };
      q.onerror = () => reject(q.error);
    };
  }));
}

/** cornerstone-tools' own length / ROI mean (what it writes on the image), read through the app's viewer module. */
function cornerstoneNumbers(page: Page): Promise<{ id: string; length?: number; mean?: number; value?: number }[]> {
  // A string, so the test runner does not rewrite this import(): the page imports the module instance the app uses.
  return page.evaluate(`import('/src/viewer/annotationTools.ts')
    .then((m) => m.cornerstoneValues(document.querySelector('[data-testid=viewport]')))`);
}

const items = (page: Page) => page.locator('[data-testid=measurement-item]');
const valueOf = async (page: Page, i: number) => (await items(page).nth(i).locator('[data-testid=measurement-value]').textContent()) ?? '';
const near = (p: Point, q: Point, tol: number) => Math.abs(p.x - q.x) <= tol && Math.abs(p.y - q.y) <= tol;
const byKind = async (page: Page, kind: string) => (await stored(page)).filter((a) => a.kind === kind);

describe.skipIf(!HAS_CHROMIUM)('measurements in Chromium', () => {
  let h: Harness;
  let page: Page;
  /** Image pixel → page coordinates for the fitted view (cornerstone centres the image at scale min(w, h) / 512). */
  let toPage: (p: Point) => Point;
  const drag = async (a: Point, b: Point) => {
    const p = toPage(a), q = toPage(b);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.mouse.move(q.x, q.y, { steps: 12 });
    await page.mouse.up();
  };

  beforeAll(async () => {
    h = await startHarness(5194);
    page = await h.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(h.url);
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
    const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
    const scale = Math.min(box.width, box.height) / SIZE;
    toPage = (p) => ({ x: box.x + box.width / 2 + (p.x - SIZE / 2) * scale, y: box.y + box.height / 2 + (p.y - SIZE / 2) * scale });
  });
  afterAll(async () => { await stopHarness(h); });

  it('measures a length drawn with the mouse: panel = stored points × 0.7 mm = cornerstone\'s text', async () => {
    await page.locator('[data-testid=measure-tool-length]').click();
    expect(await page.locator('[data-testid=measure-tool-length]').getAttribute('aria-pressed')).toBe('true');
    const a = { x: 200, y: 200 }, b = { x: 300, y: 260 };
    await drag(a, b);
    await expect.poll(() => items(page).count()).toBe(1);
    await expect.poll(async () => (await byKind(page, 'length')).length).toBe(1);
    const [len] = await byKind(page, 'length');
    // Stored in source pixels where the mouse went (one screen pixel is 1/scale image pixels), on slice 1 by UID.
    expect(near(len!.points[0]!, a, 1.5) && near(len!.points[1]!, b, 1.5)).toBe(true);
    expect(len!.image.sopInstanceUID).toMatch(/\.2\.1$/);
    const [p, q] = len!.points as [Point, Point];
    const mm = Math.hypot(q.x - p.x, q.y - p.y) * SPACING;
    expect(mm).toBeGreaterThan(Math.hypot(100, 60) * SPACING - 1.5);
    expect(await valueOf(page, 0)).toBe(`${mm.toFixed(1)} mm`);
    const cs = (await cornerstoneNumbers(page)).find((x) => x.id === len!.id);
    expect(cs?.length).toBeCloseTo(mm, 6);
    console.log(`length: stored ${JSON.stringify(len!.points)} → ours ${mm.toFixed(3)} mm, cornerstone ${cs!.length!.toFixed(3)} mm (dragged ${(Math.hypot(100, 60) * SPACING).toFixed(3)} mm)`);
  });

  it('measures an ellipse inside the aorta: mean HU = the phantom\'s stored values there ≈ 50 HU, the same on the image and in the panel', async () => {
    await page.keyboard.press('e');
    expect(await page.locator('[data-testid=measure-tool-ellipse]').getAttribute('aria-pressed')).toBe('true');
    await drag({ x: AORTA.x - 10, y: AORTA.y - 10 }, { x: AORTA.x + 10, y: AORTA.y + 10 });
    await expect.poll(async () => (await byKind(page, 'ellipse')).length).toBe(1);
    const [ell] = await byKind(page, 'ellipse');
    const ct = sampleSeriesSpecs().find((s) => s.modality === 'CT')!;
    const phantom = regionStats(syntheticImage(ct, 0).stored, SIZE, SIZE, 1, -1024, 'ellipse', ell!.points, { row: SPACING, column: SPACING });
    expect(phantom.pixels).toBeGreaterThan(250);
    expect(Math.abs(phantom.mean - 50)).toBeLessThan(3); // 12 HU noise over ~300 pixels
    const text = await items(page).filter({ hasText: 'Ellipse' }).locator('[data-testid=measurement-value]').textContent();
    expect(text).toContain(`${phantom.mean.toFixed(1)} ± ${phantom.sd.toFixed(1)} HU`);
    expect(text).toContain(`area ${phantom.areaMm2!.toFixed(1)} mm²`);
    // cornerstone-tools counts pixels by their corner in a rounded box, we by their centre: same region, ≤ 1.5 HU apart.
    const cs = (await cornerstoneNumbers(page)).find((x) => x.id === ell!.id);
    // The text cornerstone draws on the image carries our statistics (annotationTools.ts regionTool): the same number.
    expect(cs!.mean!).toBeCloseTo(phantom.mean, 9);
    console.log(`ellipse mean: ours ${phantom.mean.toFixed(2)} HU (${phantom.pixels} px), cornerstone ${cs!.mean!.toFixed(2)} HU`);
  });

  it('reads a probe from the pixel under it, the same pixel cornerstone names', async () => {
    await page.keyboard.press('p');
    // In the vertebral body, away from the ellipse (a click near a drawing grabs that drawing instead).
    const at = toPage({ x: 258.8, y: 368.2 });
    await page.mouse.click(at.x, at.y);
    await expect.poll(async () => (await byKind(page, 'probe')).length).toBe(1);
    const [probe] = await byKind(page, 'probe');
    const { x, y } = probe!.points[0]!;
    const ct = sampleSeriesSpecs().find((s) => s.modality === 'CT')!;
    const hu = syntheticImage(ct, 0).stored[Math.floor(y) * SIZE + Math.floor(x)]! - 1024;
    await expect.poll(() => items(page).filter({ hasText: 'Probe' }).locator('[data-testid=measurement-value]').textContent()).toBe(`${hu} HU`);
    await expect.poll(async () => (await cornerstoneNumbers(page)).find((v) => v.id === probe!.id)?.value).toBe(hu);
    await items(page).filter({ hasText: 'Probe' }).locator('[data-testid=measurement-delete]').click();
    await expect.poll(() => items(page).count()).toBe(2);
  });

  it('places, nudges, undoes and redoes a rectangle with the keyboard only; arrows on the item do not scroll', async () => {
    await page.keyboard.press('b');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await byKind(page, 'rectangle')).length).toBe(1);
    const [placed] = await byKind(page, 'rectangle');
    const item = items(page).filter({ hasText: 'Rectangle' });
    await item.locator('[data-testid=measurement-jump]').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    const moved = placed!.points.map((p) => ({ x: p.x + 3, y: p.y + 10 }));
    await expect.poll(async () => (await byKind(page, 'rectangle'))[0]!.points).toEqual(moved);
    expect(await page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 1/24');
    // Four nudges are four steps: undo them all (Ctrl+Z and the button), exact points come back; redo by keyboard.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
    await page.locator('[data-testid=measurement-undo]').click();
    await expect.poll(async () => (await byKind(page, 'rectangle'))[0]!.points).toEqual(placed!.points);
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+y');
    await expect.poll(async () => (await byKind(page, 'rectangle'))[0]!.points).toEqual(placed!.points.map((p) => ({ x: p.x + 2, y: p.y })));
  });

  it('edits a label, deletes with the Delete key and the button, and undo brings a deletion back', async () => {
    const label = items(page).filter({ hasText: 'Length' }).locator('[data-testid=measurement-label]');
    await label.fill('aorta to lung');
    await label.press('Enter');
    await expect.poll(async () => (await byKind(page, 'length'))[0]?.label).toBe('aorta to lung');
    await items(page).filter({ hasText: 'Rectangle' }).locator('[data-testid=measurement-jump]').focus();
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await byKind(page, 'rectangle')).length).toBe(0);
    await expect.poll(() => items(page).count()).toBe(2);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await byKind(page, 'rectangle')).length).toBe(1);
    await items(page).filter({ hasText: 'Rectangle' }).locator('[data-testid=measurement-delete]').click();
    await expect.poll(async () => (await byKind(page, 'rectangle')).length).toBe(0);
    expect(await items(page).count()).toBe(2);
  });

  it('jumps to a measurement\'s slice from the list (Enter on the item)', async () => {
    await page.keyboard.press('PageDown');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 11/24');
    await page.keyboard.press('p');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Enter');
    const probe = items(page).filter({ hasText: 'slice 11' });
    await expect.poll(() => probe.count()).toBe(1);
    expect(await probe.locator('[data-testid=measurement-value]').textContent()).toMatch(/^−?\d+ HU$/);
    expect((await byKind(page, 'probe'))[0]!.image.sopInstanceUID).toMatch(/\.2\.11$/);
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 1/24');
    await probe.locator('[data-testid=measurement-jump]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 11/24');
    await page.keyboard.press('Delete');
    await expect.poll(() => items(page).count()).toBe(2);
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 1/24');
  });

  it('keeps stored points and values through zoom and pan', async () => {
    const before = await stored(page);
    const values = [await valueOf(page, 0), await valueOf(page, 1)];
    const zoom = await page.locator('[data-testid=overlay-zoom]').textContent();
    await page.keyboard.press('w');
    const c = toPage({ x: 120, y: 420 });
    await page.mouse.move(c.x, c.y);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(c.x, c.y - 80, { steps: 8 });
    await page.mouse.up({ button: 'right' });
    await page.mouse.down({ button: 'middle' });
    await page.mouse.move(c.x + 40, c.y - 30, { steps: 8 });
    await page.mouse.up({ button: 'middle' });
    await expect.poll(() => page.locator('[data-testid=overlay-zoom]').textContent()).not.toBe(zoom);
    await page.waitForTimeout(300);
    expect(await stored(page)).toEqual(before);
    expect([await valueOf(page, 0), await valueOf(page, 1)]).toEqual(values);
    const len = before.find((a) => a.kind === 'length')!;
    const [p, q] = len.points as [Point, Point];
    expect((await cornerstoneNumbers(page)).find((x) => x.id === len.id)?.length).toBeCloseTo(Math.hypot(q.x - p.x, q.y - p.y) * SPACING, 6);
  });

  it('brings the measurements back after a reload (matched by UIDs), with their label', async () => {
    const before = await stored(page);
    const values = [await valueOf(page, 0), await valueOf(page, 1)];
    await page.reload();
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
    await expect.poll(() => items(page).count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => valueOf(page, 1)).toBe(values[1]);
    expect(await valueOf(page, 0)).toBe(values[0]);
    expect(await items(page).filter({ hasText: 'Length' }).locator('[data-testid=measurement-label]').inputValue()).toBe('aorta to lung');
    expect(await stored(page)).toEqual(before);
    // And cornerstone draws them again on the image.
    await expect.poll(async () => (await cornerstoneNumbers(page)).map((x) => x.id).sort()).toEqual(before.map((a) => a.id).sort());
  });
});
