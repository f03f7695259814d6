// End-to-end in real Chromium: an educator builds a 3-case teaching set from the sample study, reloads (everything
// is still there), exports the packet; a fresh browser profile imports it and previews the same cases, with the same
// records and the same image bytes. Also: closing the page in the middle of saving a case leaves no half-written case.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, recordRequests, startHarness, stopHarness, type Harness } from './harness';
import { addCase, saved } from './authoring';
import { exportThroughDialog } from './exportDialog';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

/** Everything in the page's IndexedDB, images as sha-256 hex (bit-for-bit comparison without moving megabytes). */
async function dumpDb(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('lucid');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = (store: string) => new Promise<unknown[]>((resolve, reject) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const hex = async (b: ArrayBuffer) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', b))].map((x) => x.toString(16).padStart(2, '0')).join('');
    const images = await all('images') as { sopInstanceUID: string; bytes: ArrayBuffer }[];
    const outputs = await all('outputs') as { key: string; values: Float32Array }[];
    const out = {
      sets: await all('sets'), cases: await all('cases'), annotations: await all('annotations'),
      outputs: Object.fromEntries(await Promise.all(outputs.map(async (o) => [o.key, await hex(o.values.slice().buffer)] as const))),
      images: Object.fromEntries(await Promise.all(images.map(async (i) => [i.sopInstanceUID, await hex(i.bytes)] as const))),
    };
    db.close();
    return out;
  });
}

describe.skipIf(!HAS_CHROMIUM)('teaching sets in Chromium', () => {
  let h: Harness;
  let author: BrowserContext;
  let page: Page;
  let requests: string[];
  beforeAll(async () => {
    h = await startHarness(5190);
    author = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await author.newPage();
    requests = recordRequests(page);
    await page.goto(`${h.url}#/author`);
    await page.waitForSelector('[data-testid=series-item]', { timeout: 60_000 });
  });
  afterAll(async () => { await stopHarness(h); });

  it('builds a 3-case set with findings, explanations and key images; a reload keeps all of it', async () => {
    await page.click('[data-testid=new-set]');
    await page.fill('[data-testid=set-title]', 'Chest and brain basics');
    await page.fill('[data-testid=set-author]', 'Dr Educator');
    await addCase(page, 1, 'ellipse', 0);
    await addCase(page, 2, 'box', 1);
    await addCase(page, 3, 'point', 0);
    // One more finding on case 3, placed and moved from the keyboard only.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Shift+B');
    await expect.poll(() => page.locator('[data-testid=finding-item]').count()).toBe(2);
    await page.locator('[data-testid=finding-item]').nth(1).focus();
    await page.keyboard.press('Shift+ArrowRight');
    await saved(page);
    // Resize from the keyboard: Alt+arrows move the chosen handle (the box's second corner), the first stays.
    const case3 = async () => ((await dumpDb(page)).cases as { title: string; findings: { region: { kind: string; corners?: { x: number; y: number }[] } }[] }[])
      .find((c) => c.title === 'Case 3');
    const boxOf = async () => (await case3())!.findings[1]!.region.corners!;
    // "Saved" can still be showing from the save before the keyboard finding: wait for the finding in the database.
    await expect.poll(async () => (await case3())?.findings.length, { timeout: 10_000 }).toBe(2);
    const [a0, b0] = await boxOf();
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+Shift+ArrowRight');
    await saved(page);
    await expect.poll(async () => (await boxOf())[1]).toEqual({ x: b0!.x + 10, y: b0!.y + 1 });
    expect((await boxOf())[0]).toEqual(a0);
    // Reorder: case 3 first.
    await page.getByRole('button', { name: 'Move Case 3 up' }).click();
    await page.getByRole('button', { name: 'Move Case 3 up' }).click();
    await expect.poll(() => page.locator('[data-testid=case-item] button.link').allTextContents()).toEqual(['Case 3', 'Case 1', 'Case 2']);
    const before = await dumpDb(page);
    expect(before.sets).toHaveLength(1);
    expect(before.cases).toHaveLength(3);
    expect(Object.keys(before.images)).toHaveLength(24 + 20); // the CT and MR series, each image once

    await page.reload();
    await page.waitForSelector('[data-testid=set-select]');
    // The sample study reloads in the background; a case opened before its key image is read opens elsewhere.
    await expect.poll(() => page.locator('[data-testid=progress]').count(), { timeout: 60_000 }).toBe(0);
    await page.locator('[data-testid=set-select]').selectOption({ label: 'Chest and brain basics (3)' });
    await expect.poll(() => page.locator('[data-testid=case-item] button.link').allTextContents()).toEqual(['Case 3', 'Case 1', 'Case 2']);
    expect(await dumpDb(page)).toEqual(before);
    await page.locator('[data-testid=case-item] button.link').nth(0).click();
    await expect.poll(() => page.locator('[data-testid=finding-item]').count()).toBe(2);
    expect(await page.locator('[data-testid=finding-explanation]').first().inputValue()).toBe('Explanation 3: look at the edge.');
    await expect.poll(() => page.locator('.author [data-testid=overlay-slice]').textContent(), { timeout: 30_000 }).toBe('Slice 3/24'); // opens on its key image
  });

  it('duplicates the set (sharing its images) and deletes the copy without touching the original', async () => {
    const before = await dumpDb(page);
    await page.click('[data-testid=duplicate-set]');
    await expect.poll(() => page.locator('[data-testid=set-title]').inputValue()).toBe('Chest and brain basics (copy)');
    await expect.poll(() => page.locator('[data-testid=case-item] button.link').allTextContents()).toEqual(['Case 3', 'Case 1', 'Case 2']);
    const copied = await dumpDb(page);
    expect(copied.sets).toHaveLength(2);
    expect(copied.cases).toHaveLength(6);
    expect(copied.images).toEqual(before.images); // shared, not copied
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete set' }).click();
    await expect.poll(async () => (await dumpDb(page)).sets.length).toBe(1);
    expect(await dumpDb(page)).toEqual(before);
    await page.locator('[data-testid=set-select]').selectOption({ label: 'Chest and brain basics (3)' });
    await page.locator('[data-testid=case-item] button.link').nth(0).click();
    await expect.poll(() => page.locator('[data-testid=finding-item]').count()).toBe(2);
  });

  it('previews a case as a trainee: history and question, no findings or diagnosis', async () => {
    await page.click('[data-testid=preview-mode]');
    const text = await page.locator('[data-testid=case-preview]').textContent();
    expect(text).toContain('History 3');
    expect(text).toContain('Question 3');
    expect(text).not.toContain('Diagnosis 3');
    expect(text).not.toContain('Explanation 3');
    expect(await page.locator('[data-testid=finding-item]').count()).toBe(0);
    await page.click('[data-testid=edit-mode]');
  });

  it('attaches the anomaly map of a slice to a case (what AI sees), stored with the model sha256', async () => {
    await page.click('[data-testid=route-review]');
    await page.locator('[data-testid=series-item]').first().click();
    await page.locator('[data-testid=task-anomaly]').check();
    await page.locator('[data-testid=run-slice]').click();
    await expect.poll(() => page.locator('[data-testid=findings], [data-testid=screen-panel]').first().textContent(), { timeout: 120_000 }).toMatch(/1 \/ 24 slices screened/);
    await page.click('[data-testid=route-author]');
    await page.locator('[data-testid=case-item] button.link').nth(1).click(); // Case 1 (CT)
    await expect.poll(() => page.locator('.author [data-testid=overlay-slice]').textContent(), { timeout: 30_000 }).toBe('Slice 3/24');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('.author [data-testid=overlay-slice]').textContent()).toBe('Slice 1/24');
    await page.click('[data-testid=attach-anomaly]');
    await expect.poll(() => page.locator('[data-testid=attachment-item]').count()).toBe(1);
    await saved(page);
    const db = await dumpDb(page);
    const c1 = (db.cases as { title: string; attachments: { modelId: string; modelSha256: string; dataKey: string; rows: number }[] }[]).find((c) => c.title === 'Case 1')!;
    expect(c1.attachments).toHaveLength(1);
    expect(c1.attachments[0]).toMatchObject({ modelId: 'anomaly', rows: 512 });
    expect(c1.attachments[0]!.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(db.outputs)).toEqual([c1.attachments[0]!.dataKey]);
  });

  it('exports one packet; a fresh profile imports the same set, records and image bytes, and previews it', async () => {
    const before = await dumpDb(page);
    const download = await exportThroughDialog(page, 'export-packet');
    expect(download.suggestedFilename()).toBe('Chest-and-brain-basics.lucid.zip');
    const path = await download.path();
    const bytes = readFileSync(path!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');

    const fresh = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const trainee = await fresh.newPage();
    await trainee.goto(`${h.url}?empty#/author`); // no sample study: the images must come from the packet
    await trainee.waitForSelector('[data-testid=import-packet]', { state: 'attached' });
    await trainee.locator('[data-testid=import-packet]').setInputFiles(path!);
    await expect.poll(() => trainee.locator('[data-testid=case-item] button.link').allTextContents(), { timeout: 30_000 }).toEqual(['Case 3', 'Case 1', 'Case 2']);
    const after = await dumpDb(trainee);
    expect(after.sets).toEqual(before.sets);
    expect(after.outputs).toEqual(before.outputs);
    expect(Object.keys(after.outputs)).toHaveLength(1);
    // De-identified on the way out: every UID is replaced, the same way everywhere, so each case still points at its
    // images; the case content itself is unchanged.
    const uids = (x: unknown) => JSON.stringify(x).match(/"(?:sopInstanceUID|seriesInstanceUID|studyInstanceUID)":"[^"]+"/g) ?? [];
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/("(?:sopInstanceUID|seriesInstanceUID|studyInstanceUID)":)"[^"]+"/g, '$1""').replace(/"sopInstanceUIDs":\[[^\]]*\]/g, '"sopInstanceUIDs":[]'));
    expect(strip(after.cases)).toEqual(strip(before.cases));
    expect(strip(after.annotations)).toEqual(strip(before.annotations));
    const oldUids = new Set(uids([before.cases, before.annotations]));
    expect(uids([after.cases, after.annotations]).filter((u) => oldUids.has(u))).toEqual([]);
    expect(Object.keys(after.images)).toHaveLength(Object.keys(before.images).length);
    for (const sop of Object.keys(after.images)) expect(sop).toMatch(/^2\.25\.\d+$/);

    await trainee.locator('[data-testid=case-item] button.link').nth(1).click(); // Case 1, from stored images
    await expect.poll(() => trainee.locator('.author [data-testid=overlay-slice]').textContent(), { timeout: 30_000 }).toBe('Slice 3/24');
    await trainee.click('[data-testid=preview-mode]');
    expect(await trainee.locator('[data-testid=preview-question]').textContent()).toBe('Question 1: what do you see?');
    await fresh.close();
  });

  it('exports the series\' measurements as a DICOM SR that dicom-parser reads (and dcmtk, where installed)', async () => {
    await page.click('[data-testid=route-review]');
    await page.locator('[data-testid=series-item]').first().click();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('l'); // length tool
    await page.keyboard.press('Enter'); // placed at the centre of the view
    await expect.poll(() => page.locator('[data-testid=measurement-item]').count()).toBeGreaterThan(0);
    // Lengthen it from the keyboard: Alt+arrows move its second end (the chosen handle).
    const value = page.locator('[data-testid=measurement-value]').last();
    const before = parseFloat((await value.textContent())!);
    await page.locator('[data-testid=measurement-jump]').last().focus();
    await page.keyboard.press('Alt+Shift+ArrowRight');
    await expect.poll(async () => parseFloat((await value.textContent())!)).not.toBe(before);
    const download = await exportThroughDialog(page, 'export-sr');
    expect(download.suggestedFilename()).toMatch(/\(de-identified\)\.sr\.dcm$/);
    const sr = new Uint8Array(readFileSync((await download.path())!));
    const ds = dicomParser.parseDicom(sr);
    expect(ds.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.88.33'); // Comprehensive SR
    expect(ds.string('x00120062')).toBe('YES');
    expect(ds.string('x00100010')).toMatch(/^ANON-[0-9A-F]{8}$/);
    expect(ds.elements.x0040a730).toBeDefined(); // Content Sequence
    if (existsSync('/usr/bin/dsrdump')) {
      const path = join(mkdtempSync(join(tmpdir(), 'lucid-sr-')), 'm.dcm');
      writeFileSync(path, sr);
      expect(execFileSync('/usr/bin/dsrdump', [path]).toString()).toMatch(/Imaging Measurement Report/);
    }
    await page.click('[data-testid=route-author]');
  });

  it('a corrupt packet is refused by name and changes nothing stored', async () => {
    const before = await dumpDb(page);
    await page.locator('[data-testid=import-packet]').setInputFiles({ name: 'broken.lucid.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 this is not really a zip') });
    await expect.poll(() => page.locator('[data-testid=teaching-error]').textContent()).toMatch(/^PacketCorruptError/);
    expect(await dumpDb(page)).toEqual(before);
  });

  it('nothing left the app origin', () => {
    const origin = new URL(h.url).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
  });
});
