// End-to-end in real Chromium: the Review view's Identity panel. The bundled sample says it was de-identified; a file
// with identity planted (test/fixtures/phiDicom.ts), opened through the file input, lists the attributes that carry
// it, with values only while teaching-safe mode is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, startHarness, stopHarness, type Harness } from './harness';
import { PLANTED, phiFile } from '../fixtures/phiDicom';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

const PLANTED_VALUES = [PLANTED.family, PLANTED.patientId, PLANTED.birthDate, PLANTED.institution];

describe.skipIf(!HAS_CHROMIUM)('identity panel in Chromium', () => {
  let h: Harness;
  let page: Page;
  const summary = () => page.locator('[data-testid=identity-summary]').textContent();
  const toggle = () => page.locator('[data-testid=identity-toggle]');
  const valueOf = (keyword: string) => page.locator(`[data-testid=identity-row][data-keyword=${keyword}] [data-testid=identity-value]`).textContent();

  beforeAll(async () => {
    h = await startHarness(5201);
    page = await h.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(h.url);
    // Whichever sample series opens first (files are read smallest first), once the whole sample has been read.
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/")', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=series-item]').length === 2 && !document.querySelector('[data-testid=progress]'), null, { timeout: 30_000 });
  });
  afterAll(async () => { await stopHarness(h); });

  it('says the bundled sample was de-identified, collapsed by default', async () => {
    await expect.poll(summary, { timeout: 15_000 }).toMatch(/^De-identified \(Synthetic phantom/);
    expect(await toggle().getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('[data-testid=identity-row]').count()).toBe(0);
  });

  it('lists the identity of an opened identified file, values hidden in teaching-safe mode and shown without it', async () => {
    await page.locator('[data-testid=open-files]').setInputFiles({ name: 'identified.dcm', mimeType: 'application/dicom', buffer: Buffer.from(phiFile({ sop: PLANTED.sopA })) });
    const item = page.locator('[data-testid=series-item]', { hasText: PLANTED.seriesWord });
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(1);
    await item.click();
    await expect.poll(() => page.locator('[data-testid=overlay-slice]').textContent()).toBe('Slice 1/1');
    await expect.poll(summary).toMatch(/^Carries patient identity: \d+ attributes, [1-9]\d* private tags$/);

    await toggle().click();
    expect(await toggle().getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => page.locator('[data-testid=identity-row][data-keyword=PatientName]').count()).toBe(1);
    const rows = await page.locator('[data-testid=identity-row]').allTextContents();
    for (const keyword of ['PatientName', 'PatientID', 'PatientBirthDate', 'InstitutionName']) expect(rows.some((r) => r.startsWith(keyword))).toBe(true);
    expect(rows.find((r) => r.startsWith('PatientName'))).toContain('(0010,0010)');
    expect(rows.find((r) => r.startsWith('PatientID'))).toMatch(/(removed|emptied|replaced)/);
    expect(await page.locator('[data-testid=identity-sequences]').textContent()).toContain('RequestAttributesSequence');

    // Teaching-safe (the default): every value hidden, no planted value anywhere in the panel.
    const values = await page.locator('[data-testid=identity-value]').allTextContents();
    expect(values.length).toBe(rows.length);
    expect(values.every((v) => v === 'hidden')).toBe(true);
    const panelText = (await page.locator('[data-testid=identity-panel]').textContent())!.toUpperCase();
    for (const planted of PLANTED_VALUES) expect(panelText).not.toContain(planted);
    // The study description names the patient ("CHEST DOEWICZ FOLLOW-UP"): teaching-safe blanks the name there too.
    const browser = await page.locator('[data-testid=series-browser]').textContent();
    expect(browser).toContain('CHEST ••• FOLLOW-UP');
    expect(browser!.toUpperCase()).not.toContain(PLANTED.family);

    // Switched off as a user does (the header checkbox), the values show; switched back, they are hidden again.
    await page.locator('[data-testid=teaching-safe]').uncheck();
    await expect.poll(() => valueOf('PatientID')).toBe(PLANTED.patientId);
    expect(await page.locator('[data-testid=series-browser]').textContent()).toContain(`CHEST ${PLANTED.family} FOLLOW-UP`);
    expect(await valueOf('PatientName')).toContain(PLANTED.family);
    expect(await valueOf('PatientBirthDate')).toBe(PLANTED.birthDate);
    await page.locator('[data-testid=teaching-safe]').check();
    await expect.poll(() => valueOf('PatientID')).toBe('hidden');
    expect((await page.locator('[data-testid=identity-panel]').textContent())!.toUpperCase()).not.toContain(PLANTED.patientId);
  });

  it('follows the series in view: back on the sample it says de-identified again', async () => {
    await page.locator('[data-testid=series-item]').first().click();
    await expect.poll(summary).toMatch(/^De-identified/);
    await toggle().click();
    expect(await toggle().getAttribute('aria-expanded')).toBe('false');
  });
});
