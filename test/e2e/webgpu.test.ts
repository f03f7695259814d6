// The WebGPU path, once, on a small image: Chromium with --enable-unsafe-webgpu exposes a software (SwiftShader)
// adapter, so the inference worker picks the WebGPU execution provider and says so; the result is shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, dropFiles, startHarness, stopHarness, type Harness } from './harness';
import { makeImage } from '../fixtures/makeImage';
import { TS_UID } from '../../src/dicom/transferSyntax';
import { brainMrSlice } from '../../src/dicom/synthetic/phantom';

if (!HAS_CHROMIUM) console.warn(`e2e skipped: ${SKIP_REASON}`);

describe.skipIf(!HAS_CHROMIUM)('WebGPU execution provider (software adapter)', () => {
  let h: Harness;
  let page: Page;
  beforeAll(async () => {
    h = await startHarness(5197, ['--enable-unsafe-webgpu']);
    page = await h.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${h.url}?empty`);
    await page.waitForSelector('[data-testid=app]');
  });
  afterAll(async () => { await stopHarness(h); });

  it('denoises a 64 × 64 MR slice on WebGPU', async () => {
    const n = 64;
    const values = Uint16Array.from(brainMrSlice(n, 0.5, 3), (v) => Math.max(0, Math.round(v)));
    const bytes = await makeImage({ rows: n, columns: n, bitsAllocated: 16, bitsStored: 12, values, modality: 'MR',
      extra: [{ tag: 0x00280030, vr: 'DS', value: [1, 1] }] }, TS_UID.explicitLE);
    await dropFiles(page, [{ name: 'small.dcm', bytes }]);
    await page.waitForSelector('[data-testid=overlay-slice]:has-text("Slice 1/1")', { timeout: 60_000 });
    await page.locator('[data-testid=task-denoise]').check();
    await page.locator('[data-testid=run-slice]').click();
    await page.waitForSelector('[data-testid=derived-pane-placeholder]', { state: 'detached', timeout: 180_000 });
    expect(await page.locator('[data-testid=backend]').textContent()).toMatch(/Runs on webgpu/);
    expect(await page.locator('[data-testid=inference-error]').count()).toBe(0);
  });
});
