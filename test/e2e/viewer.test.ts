// End-to-end in real Chromium: what a person does with the workbench.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, canvasStats, dropFiles, recordRequests, startHarness, stopHarness, type Harness } from './harness';
import { makeImage, pattern } from '../fixtures/makeImage';
import { TS_UID } from '../../src/dicom/transferSyntax';
import { writeDicom } from '../../src/dicom/writeDicom';

const REAL_SERIES = '../shared/data/dicom/mr-t1-studyforrest';
const HAS_REAL = existsSync(REAL_SERIES);

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

describe.skipIf(!HAS_CHROMIUM)('workbench in Chromium', () => {
  let h: Harness;
  let page: Page;
  let requests: string[];
  beforeAll(async () => {
    h = await startHarness(5199);
    page = await h.browser.newPage({ viewport: { width: 1280, height: 800 } });
    requests = recordRequests(page);
    await page.goto(h.url);
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/24")', { timeout: 60_000 });
  });
  afterAll(async () => { await stopHarness(h); });

  it('opens on the bundled synthetic sample study with thumbnails and a non-blank image', async () => {
    await expect.poll(() => page.locator('[data-testid=series-item]').count()).toBe(2);
    expect(await page.locator('[data-testid=notice]').textContent()).toMatch(/not a diagnostic device/i);
    const stats = await canvasStats(page);
    expect(stats.std).toBeGreaterThan(20);
    expect(await page.locator('[data-testid=overlay-window]').textContent()).toBe('W 400 L 40');
  });

  it('hides patient identity in teaching-safe mode and shows it when switched off', async () => {
    expect(await page.locator('[data-testid=overlay-patient]').textContent()).toMatch(/hidden/);
    await page.locator('[data-testid=teaching-safe]').uncheck();
    expect(await page.locator('[data-testid=overlay-patient]').textContent()).toContain('PHANTOM SYNTHETIC');
    expect(await page.locator('[data-testid=overlay-patient]').textContent()).toContain('Lucid Synthetic Teaching Hospital');
    await page.locator('[data-testid=teaching-safe]').check();
    expect(await page.locator('body').textContent()).not.toContain('PHANTOM SYNTHETIC');
  });

  it('scrolls with keys and wheel, windows with a mouse drag, applies presets, inverts', async () => {
    const before = await canvasStats(page);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 2/24');
    await page.keyboard.press('PageDown');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 12/24');
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 24/24');
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 1/24');
    const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 120);
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 2/24');
    // Window/level: left drag.
    await page.mouse.down({ button: 'left' });
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 8 });
    await page.mouse.up({ button: 'left' });
    await expect.poll(() => page.locator('[data-testid=overlay-window]').textContent()).not.toBe('W 400 L 40');
    const after = await canvasStats(page);
    expect(after.std).toBeGreaterThan(5);
    expect(after.data.some((v, i) => v !== before.data[i])).toBe(true);
    await page.keyboard.press('3'); // lung preset
    await expect.poll(() => page.locator('[data-testid=overlay-window]').textContent()).toBe('W 1500 L -600');
    const lung = await canvasStats(page);
    await page.keyboard.press('i');
    await expect.poll(async () => (await canvasStats(page)).mean).not.toBeCloseTo(lung.mean, 0);
    await page.keyboard.press('i');
  });

  it('shows the keyboard help', async () => {
    await page.keyboard.press('?');
    expect(await page.locator('[data-testid=help]').textContent()).toContain('Page Up / Page Down');
    await page.keyboard.press('Escape');
    // A native dialog closes on Escape through its 'close' event, which the browser fires a moment later.
    await expect.poll(() => page.locator('[data-testid=help]').count()).toBe(0);
  });

  it('lists bad files with named errors while the good ones display', async () => {
    const good = await Promise.all([0, 1, 2].map(async (i) => {
      const values = Uint16Array.from(pattern(64, 64, 0, 4000, 1, 1, i));
      const bytes = await makeImage({ rows: 64, columns: 64, bitsAllocated: 16, bitsStored: 12, values, modality: 'MR', extra: [
        { tag: 0x0008103e, vr: 'LO', value: 'Dropped good series' },
        { tag: 0x0020000e, vr: 'UI', value: '1.2.826.0.1.3680043.10.1401.77.1' },
        { tag: 0x00080018, vr: 'UI', value: `1.2.826.0.1.3680043.10.1401.77.1.${i}` },
        { tag: 0x00200013, vr: 'IS', value: i + 1 },
      ] }, TS_UID.explicitLE);
      return { name: `good-${i}.dcm`, bytes };
    }));
    const base = good[0]!.bytes;
    const jls = await makeImage({ rows: 32, columns: 32, bitsAllocated: 16, values: Uint16Array.from(pattern(32, 32, 0, 4000)) }, TS_UID.jpegLS);
    const corrupt = jls.slice();
    for (let i = jls.length - 200; i < jls.length - 20; i++) corrupt[i] = 0xff; // smash the JPEG-LS scan data
    const shortPixels = writeDicom([
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' }, { tag: 0x00080018, vr: 'UI', value: '1.2.3.4' },
      { tag: 0x00280002, vr: 'US', value: 1 }, { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280010, vr: 'US', value: 512 }, { tag: 0x00280011, vr: 'US', value: 512 },
      { tag: 0x00280100, vr: 'US', value: 16 }, { tag: 0x00280101, vr: 'US', value: 16 }, { tag: 0x00280102, vr: 'US', value: 15 },
      { tag: 0x00280103, vr: 'US', value: 0 }, { tag: 0x7fe00010, vr: 'OW', value: new Uint16Array(100) },
    ], { transferSyntaxUID: TS_UID.explicitLE });
    const unsupported = writeDicom([{ tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' }, { tag: 0x00280010, vr: 'US', value: 8 }, { tag: 0x00280011, vr: 'US', value: 8 }, { tag: 0x7fe00010, vr: 'OB', value: new Uint8Array(64) }], { transferSyntaxUID: '1.2.840.10008.1.2.4.100' });
    const bad = [
      { name: 'notes.txt', bytes: new TextEncoder().encode('<img src=x onerror=alert(1)> not DICOM at all, just text that is long enough to have a byte 128 and more and more and more and more and more and more and more and more.') },
      { name: 'truncated.dcm', bytes: base.slice(0, Math.floor(base.length / 2)) },
      { name: 'unsupported.dcm', bytes: unsupported },
      { name: 'corrupt-jpegls.dcm', bytes: corrupt },
      { name: 'short-pixels.dcm', bytes: shortPixels },
    ];
    await dropFiles(page, [...good, ...bad]);
    await expect.poll(() => page.locator('[data-testid=not-loaded-item]').count(), { timeout: 30_000 }).toBe(5);
    const text = await page.locator('[data-testid=not-loaded]').textContent();
    for (const name of ['NotDicomError', 'TruncatedError', 'UnsupportedTransferSyntaxError', 'CorruptPixelDataError', 'InconsistentPixelModuleError']) expect(text).toContain(name);
    // What the user reads first is a sentence about the file; the parser's text is folded away under the name.
    const sentences = await page.locator('[data-testid=not-loaded-sentence]').allTextContents();
    expect(sentences).toHaveLength(5);
    for (const s of sentences) expect(s).toMatch(/^This file|^The image data/);
    expect(sentences.join(' ')).not.toMatch(/dicomParser|ByteStream|buffer|segment/);
    expect(await page.locator('[data-testid=not-loaded] .muted').first().isVisible()).toBe(false);
    expect(await page.locator('img').count()).toBe(0); // tag values and file names are text, never HTML
    await page.locator('[data-testid=series-item]', { hasText: 'Dropped good series' }).click();
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 1/3');
    expect((await canvasStats(page)).std).toBeGreaterThan(5);
  });

  it('shows a multi-frame file as frames, and cine plays through them', async () => {
    const frames = 6;
    const values = Uint16Array.from(pattern(48, 48, 0, 3000, frames));
    const bytes = await makeImage({ rows: 48, columns: 48, frames, bitsAllocated: 16, bitsStored: 12, values, modality: 'US', extra: [
      { tag: 0x0008103e, vr: 'LO', value: 'Multi-frame cine' },
      { tag: 0x0020000e, vr: 'UI', value: '1.2.826.0.1.3680043.10.1401.78.1' },
    ] }, TS_UID.rle);
    await dropFiles(page, [{ name: 'cine.dcm', bytes }]);
    const item = page.locator('[data-testid=series-item]', { hasText: 'Multi-frame cine' });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.locator('[data-testid=series-count]').textContent()).toBe(String(frames));
    await item.click();
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe(`Slice 1/${frames}`);
    const seen = new Set<string>();
    await page.locator('[data-testid=cine]').click();
    for (let i = 0; i < 30 && seen.size < 3; i++) {
      seen.add((await page.locator('[data-testid=overlay-slice]').textContent()) ?? '');
      await page.waitForTimeout(100);
    }
    await page.locator('[data-testid=cine]').click();
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });

  it('shows progress while a large drop is read, and indexes every file', async () => {
    const n = 300;
    const one = await makeImage({ rows: 128, columns: 128, bitsAllocated: 16, values: Uint16Array.from(pattern(128, 128, 0, 2000)), modality: 'CT', extra: [
      { tag: 0x0008103e, vr: 'LO', value: 'Progress series' },
      { tag: 0x0020000e, vr: 'UI', value: '1.2.826.0.1.3680043.10.1401.79.1' },
    ] }, TS_UID.explicitLE);
    await page.evaluate(() => {
      (window as unknown as { sawProgress: boolean }).sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=progress]')) (window as unknown as { sawProgress: boolean }).sawProgress = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    // Same pixels, each file its own SOP Instance UID (an instance opened twice is shown once): the count is checked.
    const uid = Buffer.from('1.2.826.0.1.3680043.10.1401.99.1');
    const files = Array.from({ length: n }, (_, i) => {
      const bytes = Buffer.from(one);
      const own = Buffer.from(`1.2.826.0.1.3680043.10.1401.9${String(i).padStart(3, '0')}`); // same length as `uid`
      for (let at = bytes.indexOf(uid); at >= 0; at = bytes.indexOf(uid, at + 1)) own.copy(bytes, at);
      return { name: `p${i}.dcm`, bytes: new Uint8Array(bytes) };
    });
    await dropFiles(page, files);
    const item = page.locator('[data-testid=series-item]', { hasText: 'Progress series' });
    await expect.poll(() => item.locator('[data-testid=series-count]').textContent(), { timeout: 60_000 }).toBe(String(n));
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    await expect.poll(() => page.locator('[data-testid=progress]').count()).toBe(0);
  });

  it.skipIf(!HAS_REAL)('opens the real studyforrest series folder, sorted, and scrolls through it', async () => {
    const dir = REAL_SERIES;
    expect(readdirSync(dir).filter((f) => f.endsWith('.dcm'))).toHaveLength(24);
    await page.locator('[data-testid=open-folder]').setInputFiles(dir);
    const item = page.locator('[data-testid=series-item]').filter({ has: page.locator('[data-testid=series-count]', { hasText: /^24$/ }) }).filter({ hasNotText: 'phantom' });
    await expect.poll(() => item.count(), { timeout: 60_000 }).toBe(1);
    await item.click();
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 1/24');
    const first = await canvasStats(page);
    expect(first.std).toBeGreaterThan(5);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 3/24');
    const third = await canvasStats(page);
    expect(third.data.some((v, i) => v !== first.data[i])).toBe(true);
    void readFileSync;
  });

  it('made no request outside the app origin', () => {
    const origin = new URL(h.url).origin;
    const outside = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(requests.length).toBeGreaterThan(10);
    expect(outside).toEqual([]);
  });
});

if (!HAS_REAL) console.warn('real-series e2e skipped: ../shared/data/dicom/mr-t1-studyforrest not present');
