// Screenshots for the README (docs/*.png): practice feedback and the learner profile, made by driving the app in
// Debian's Chromium as a trainee would (import a packet, answer the cases). Run: npx tsx scripts/readmeShots.ts
import { mkdirSync } from 'node:fs';
import { startHarness, stopHarness } from '../test/e2e/harness';
import { openPracticeSet } from '../test/fixtures/practicePacket';

const h = await startHarness(5188);
try {
  const page = await (await h.browser.newContext({ viewport: { width: 1440, height: 860 } })).newPage();
  await openPracticeSet(page, h.url);
  await page.waitForSelector('.practice [data-testid=overlay-slice]:has-text("Slice 1/")');
  await page.waitForTimeout(800);
  // Case 1: one mark near the finding, one elsewhere.
  const b = (await page.locator('.practice [data-testid=viewport]').boundingBox())!;
  await page.mouse.click(b.x + b.width / 2 + 8, b.y + b.height / 2 - 6);
  await page.mouse.click(b.x + b.width / 2 - 150, b.y + b.height / 2 + 120);
  await page.locator('[data-testid=mark-label]').first().selectOption('nodule');
  await page.locator('[data-testid=mark-confidence]').first().selectOption('4');
  await page.click('[data-testid=submit-answer]');
  await page.waitForSelector('[data-testid=feedback-summary]');
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/practice-feedback.png' });
  for (let i = 0; i < 2; i++) {
    await page.click('[data-testid=next-case]');
    await page.waitForSelector('[data-testid=submit-answer]');
    await page.click('[data-testid=submit-answer]');
    await page.waitForSelector('[data-testid=feedback-summary]');
  }
  await page.locator('[data-testid=profile-panel]').screenshot({ path: 'docs/practice-profile.png' });
  console.log('docs/practice-feedback.png, docs/practice-profile.png written');
} finally {
  await stopHarness(h);
}
