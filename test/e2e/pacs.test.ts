// Opening studies from a PACS in the browser, against a real Orthanc (issue 14): the production build (its CSP lists
// the server's origin, as a deployment would with LUCID_DICOMWEB_ORIGINS) served by vite preview, Orthanc with its
// DICOMweb plugin behind the CORS front a deployment puts before it. A new user adds the server, searches by patient,
// pages, opens a study: the first image shows while the rest arrives, every image arrives, and the page talks to no
// origin but its own and the server's. A server of an origin the policy does not list is flagged before any request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ChildProcess } from 'node:child_process';
import { HAS_CHROMIUM, SKIP_REASON, buildProduction, launchChromium, recordRequests, servePreview, setRangeInput } from './harness';
import { addCase } from './authoring';
import { describeWithOrthanc, freePort, startOrthanc, type Orthanc } from '../orthanc/orthanc';
import { startCorsFront, type CorsFront } from '../orthanc/cors';
import { makeSampleStudy } from '../../src/dicom/synthetic/sampleStudy';
import { qidoStudies, studyInstance } from '../fixtures/dicomwebFixtures';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);
const PORT = 5209;
const APP = `http://127.0.0.1:${PORT}`;

describeWithOrthanc('open from a PACS in Chromium (Orthanc)', () => {
  let orthanc: Orthanc, front: CorsFront, preview: ChildProcess, browser: Browser;
  /** A second archive that asks for a user name and password, behind its own front (which can cut a retrieval). */
  let locked: Orthanc, lockedFront: CorsFront;
  beforeAll(async () => {
    orthanc = await startOrthanc();
    for (const f of makeSampleStudy()) await orthanc.upload(f.bytes);
    for (const f of qidoStudies()) await orthanc.upload(studyInstance(f)); // 25 other patients' one-image studies
    const frontPort = await freePort();
    front = await startCorsFront(orthanc.url, APP, frontPort);
    locked = await startOrthanc({ users: { teacher: 'hunter2' } });
    for (const f of makeSampleStudy()) await locked.upload(f.bytes);
    lockedFront = await startCorsFront(locked.url, APP, await freePort());
    const env = { LUCID_DICOMWEB_ORIGINS: `${front.url} ${lockedFront.url}` };
    preview = await servePreview(buildProduction(env), PORT, env);
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => { await browser?.close(); preview?.kill(); await front?.close(); await orthanc?.stop(); await lockedFront?.close(); await locked?.stop(); });

  /** The app with nothing loaded, as a user starts who has come for the PACS. */
  async function emptyPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${APP}/?empty`);
    await page.waitForSelector('[data-testid=app]');
    return page;
  }

  /** In the open study browser: the sample study, found by its patient's name. */
  async function findSample(page: Page): Promise<void> {
    await page.locator('[data-testid=pacs-q-patientName]').fill('PHANTOM');
    await page.locator('[data-testid=pacs-search-button]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-study]').count(), { timeout: 30_000 }).toBe(1);
  }

  async function addServer(page: Page, url: string): Promise<void> {
    await page.locator('[data-testid=open-pacs]').click();
    await page.locator('[data-testid=pacs-label]').fill('Teaching PACS');
    await page.locator('[data-testid=pacs-url]').fill(url);
  }

  it.skipIf(!HAS_CHROMIUM)('adds a server, searches and pages, opens a study that streams into the viewer', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const requests = recordRequests(page);
    await page.goto(`${APP}/?empty`);
    await page.waitForSelector('[data-testid=app]');
    await addServer(page, `${front.url}/dicom-web`);
    expect(await page.locator('[data-testid=pacs-policy]').count()).toBe(0);
    await page.locator('[data-testid=pacs-save]').click();
    // Every study, 25 to a page: 26 studies make two pages.
    await page.locator('[data-testid=pacs-search-button]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-study]').count(), { timeout: 30_000 }).toBe(25);
    expect(await page.locator('[data-testid=pacs-page]').textContent()).toBe('1–25 of more');
    await page.locator('[data-testid=pacs-next]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-study]').count()).toBe(1);
    expect(await page.locator('[data-testid=pacs-next]').isDisabled()).toBe(true);
    // Teaching-safe: names are not shown, even of the studies found by name.
    expect(await page.locator('[data-testid=pacs-results]').textContent()).not.toMatch(/SMITH|JONES|LUCID-0/);
    await page.screenshot({ path: 'test-results/pacs-search.png' });
    // By patient name: the sample study only.
    await page.locator('[data-testid=pacs-q-patientName]').fill('SMITH');
    await page.locator('[data-testid=pacs-search-button]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-page]').textContent()).toBe('1–5');
    await page.locator('[data-testid=pacs-q-patientName]').fill('PHANTOM');
    await page.locator('[data-testid=pacs-search-button]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-page]').textContent()).toBe('1–1');
    expect(await page.locator('[data-testid=pacs-study]').count()).toBe(1);
    expect(await page.locator('[data-testid=pacs-study]').textContent()).toContain('44');
    await page.locator('[data-testid=pacs-open]').click();
    // The study streams in: the first image is on screen, and every one of the 44 arrives.
    await page.waitForSelector('[data-testid=overlay-slice]', { timeout: 60_000 });
    await expect.poll(() => page.locator('[data-testid=retrieval]').textContent(), { timeout: 60_000 }).toMatch(/44 images\./);
    await expect.poll(() => page.locator('[data-testid=series-item]').count()).toBe(2);
    expect((await page.locator('[data-testid=series-count]').allTextContents()).sort()).toEqual(['20', '24']);
    await page.screenshot({ path: 'test-results/pacs-opened.png' });
    // Screen the slice in view and store the findings back: an SR and a SEG, new series of the same study.
    const seriesScreened = (await page.locator('[data-testid=overlay-series] div').first().textContent())!;
    await page.locator('[data-testid=task-anomaly]').check();
    await page.locator('[data-testid=run-slice]').click();
    await page.waitForSelector('[data-testid=screen-panel]:has-text("1 / ")', { timeout: 180_000 });
    // The sample slice is lesion-free, so nothing reaches the default threshold: a low one gives regions to store.
    await setRangeInput(page, 'heat-threshold', 0.02);
    await expect.poll(() => page.locator('[data-testid=findings] li').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const regions = await page.locator('[data-testid=findings] li').count();
    const scoresOf = (texts: string[]) => texts.map((t) => /(\d+\.\d+)/.exec(t)?.[1]).sort();
    const screenedScores = scoresOf(await page.locator('[data-testid=findings] li').allTextContents());
    await page.locator('[data-testid=send-screening]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-send-result]').textContent(), { timeout: 60_000 })
      .toBe(`Stored in Teaching PACS: an SR with ${regions} region(s) and a SEG (a new series in this study).`);
    // And the slice denoised, as a derived series.
    await page.locator('[data-testid=task-denoise]').check();
    await page.locator('[data-testid=run-slice]').click();
    await page.waitForSelector('[data-testid=derived-pane-placeholder]', { state: 'detached', timeout: 180_000 });
    await page.locator('[data-testid=send-derived]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-send-result]').textContent(), { timeout: 60_000 })
      .toBe('Stored in Teaching PACS: 1 enhanced slice(s) (a new series in this study).');
    // The study browser lists them with the images.
    await page.locator('[data-testid=open-pacs]').click();
    await findSample(page);
    expect(await page.locator('[data-testid=pacs-study]').textContent()).toContain('47');
    await page.locator('[data-testid=pacs-series-toggle]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-series-item]').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringMatching(/^SR · Lucid anomaly findings · 1 instance$/), expect.stringMatching(/^SEG · Lucid anomaly regions · 1 instance$/),
      expect.stringMatching(/^MR · .*[Dd]enois.* · 1 instance$/),
    ]));
    await page.screenshot({ path: 'test-results/pacs-stored-back.png' });
    // Opened again, the study brings its report: the same findings, listed on the slice they belong to and drawn there.
    await page.locator('[data-testid=pacs-open]').click();
    await expect.poll(() => page.locator('[data-testid=retrieval]').textContent(), { timeout: 60_000 }).toMatch(/47 images\./);
    await page.locator('[data-testid=series-item]', { hasText: seriesScreened }).filter({ hasNotText: /[Dd]enois/ }).click();
    await page.locator('[data-testid=task-sr-x2]').check(); // away from screening: what is shown now comes from the SR
    await expect.poll(() => page.locator('[data-testid=reported-item]').count()).toBe(regions);
    const reported = await page.locator('[data-testid=reported-item]').allTextContents();
    for (const t of reported) expect(t).toMatch(/^Slice 1: Abnormal \d+\.\d+ Lucid anomaly findings \(Lucid anomaly\)$/);
    expect(scoresOf(reported)).toEqual(screenedScores);
    // The SEG and the derived series open as series of their own, beside the CT and MR.
    await expect.poll(() => page.locator('[data-testid=series-item]').count()).toBe(4);
    await page.screenshot({ path: 'test-results/pacs-report-reopened.png' });
    // Only the app's own origin and the configured server.
    const origins = new Set(requests.map((u) => new URL(u).origin));
    expect([...origins].sort()).toEqual([APP, front.url].sort());
    await page.close();
  }, 300_000);

  it.skipIf(!HAS_CHROMIUM)('an educator\'s case on a PACS study: its key goes back to the PACS as an SR and a SEG', async () => {
    const page = await emptyPage();
    await addServer(page, `${front.url}/dicom-web`);
    await page.locator('[data-testid=pacs-save]').click();
    await findSample(page);
    await page.locator('[data-testid=pacs-open]').click();
    await expect.poll(() => page.locator('[data-testid=retrieval]').textContent(), { timeout: 60_000 }).toMatch(/ images\./);
    await page.click('[data-testid=route-author]');
    await page.click('[data-testid=new-set]');
    await page.fill('[data-testid=set-title]', 'From the PACS');
    await addCase(page, 1, 'box', 0);
    await page.locator('[data-testid=send-key]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-send-result]').textContent(), { timeout: 60_000 })
      .toBe('Stored in Teaching PACS: the key as an SR and a SEG (a new series in this study).');
    await page.locator('[data-testid=open-pacs]').click();
    await findSample(page);
    await page.locator('[data-testid=pacs-series-toggle]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-series-item]').allTextContents()).toEqual(expect.arrayContaining([
      'SR · Lucid teaching key · 1 instance', 'SEG · Lucid teaching key regions · 1 instance',
    ]));
    await page.close();
  }, 180_000);

  it.skipIf(!HAS_CHROMIUM)('asks for the password it is refused without, remembers it only when told; a cut retrieval keeps what came and Retry brings the rest', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const requests: { url: string; auth: string | null }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers().authorization ?? null }));
    await page.goto(`${APP}/?empty`);
    await page.waitForSelector('[data-testid=app]');
    await addServer(page, `${lockedFront.url}/dicom-web`);
    await page.locator('[data-testid=pacs-save]').click();
    await page.locator('[data-testid=pacs-search-button]').click();
    // 401: the sign-in form, with a sentence saying why.
    const signIn = page.locator('form[aria-label="Sign in to Teaching PACS"]');
    await signIn.waitFor({ timeout: 30_000 });
    expect(await signIn.locator('[role=alert]').textContent()).toMatch(/Teaching PACS/);
    await signIn.locator('[data-testid=pacs-auth-basic]').check();
    await signIn.locator('[data-testid=pacs-username]').fill('teacher');
    await signIn.locator('[data-testid=pacs-password]').fill('hunter2');
    await signIn.locator('[data-testid=pacs-remember]').check();
    await signIn.locator('[data-testid=pacs-save]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-study]').count(), { timeout: 30_000 }).toBe(1);
    // The password went to that server only, in a header, never in a URL.
    const withAuth = requests.filter((r) => r.auth);
    expect(withAuth.length).toBeGreaterThan(0);
    for (const r of withAuth) expect(new URL(r.url).origin).toBe(lockedFront.url);
    for (const r of requests) expect(r.url).not.toContain('hunter2');
    // The connection drops a little way into the study: what arrived is shown, the sentence says so, Retry finishes.
    lockedFront.cutNextRetrieval = 3_000_000;
    await page.locator('[data-testid=pacs-open]').click();
    const error = page.locator('[data-testid=retrieval-error]');
    await error.waitFor({ timeout: 60_000 });
    const said = (await error.textContent()) ?? '';
    expect(said).toMatch(/"Teaching PACS"/);
    expect(said).toMatch(/connection .* lost/);
    const partial = (await page.locator('[data-testid=series-count]').allTextContents()).map(Number).reduce((a, b) => a + b, 0);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(44);
    await page.screenshot({ path: 'test-results/pacs-cut.png' });
    await page.locator('[data-testid=retrieval-retry]').click();
    await expect.poll(() => page.locator('[data-testid=retrieval]').textContent(), { timeout: 60_000 }).toMatch(/44 images\./);
    expect((await page.locator('[data-testid=series-count]').allTextContents()).sort()).toEqual(['20', '24']);
    // Remembered: after a reload the server and its sign-in are there.
    await page.reload();
    await page.waitForSelector('[data-testid=app]');
    await page.locator('[data-testid=open-pacs]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-server] option').allTextContents()).toContain('Teaching PACS');
    await page.locator('[data-testid=pacs-server]').selectOption({ label: 'Teaching PACS' });
    await page.locator('[data-testid=pacs-search-button]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-study]').count(), { timeout: 30_000 }).toBe(1);
    await page.close();
  }, 180_000);

  it.skipIf(!HAS_CHROMIUM)('a server not remembered is gone after a reload, and its password was never stored', async () => {
    const page = await emptyPage();
    await page.locator('[data-testid=open-pacs]').click();
    await page.locator('[data-testid=pacs-add]').click();
    await page.locator('[data-testid=pacs-label]').fill('Just today');
    await page.locator('[data-testid=pacs-url]').fill(`${lockedFront.url}/dicom-web`);
    await page.locator('[data-testid=pacs-auth-basic]').check();
    await page.locator('[data-testid=pacs-username]').fill('teacher');
    await page.locator('[data-testid=pacs-password]').fill('not-to-be-kept');
    await page.locator('[data-testid=pacs-save]').click();
    await page.locator('[data-testid=pacs-search-button]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-error], [role=alert]').count(), { timeout: 30_000 }).toBeGreaterThan(0); // wrong password: asked again
    const stored = await page.evaluate(() => new Promise<string>((resolve) => {
      const open = indexedDB.open('lucid');
      open.onsuccess = () => {
        const tx = open.result.transaction('settings', 'readonly').objectStore('settings').getAll();
        tx.onsuccess = () => resolve(JSON.stringify(tx.result));
      };
      open.onerror = () => resolve('');
    }));
    expect(stored).not.toContain('not-to-be-kept');
    expect(stored).not.toContain('Just today');
    await page.reload();
    await page.waitForSelector('[data-testid=app]');
    await page.locator('[data-testid=open-pacs]').click();
    await expect.poll(() => page.locator('[data-testid=pacs-server] option').allTextContents()).not.toContain('Just today');
    await page.close();
  }, 120_000);

  it.skipIf(!HAS_CHROMIUM)('a server the deployment\'s policy does not list is flagged before anything is sent', async () => {
    const page = await emptyPage();
    await addServer(page, 'http://127.0.0.1:9/dicom-web');
    expect(await page.locator('[data-testid=pacs-policy]').textContent()).toMatch(/does not allow connecting to http:\/\/127\.0\.0\.1:9.*LUCID_DICOMWEB_ORIGINS/);
    await page.close();
  }, 60_000);
});
