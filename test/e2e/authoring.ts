// What an educator does in the Author view, for end-to-end tests: wait for the save, draw on the image, add a whole
// case (title, history, question, series, key image, one finding with explanation and difficulty, diagnosis).
// Node side of playwright-core only; shared by teaching.test.ts and privacy.test.ts.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Drags on the author view's image from one fraction of its box to another. */
async function drag(page: Page, from: [number, number], to: [number, number]) {
  const b = (await page.locator('.author [data-testid=viewport]').boundingBox())!;
  await page.mouse.move(b.x + b.width * from[0], b.y + b.height * from[1]);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * to[0], b.y + b.height * to[1], { steps: 6 });
  await page.mouse.up();
}

export async function saved(page: Page) {
  await expect.poll(() => page.locator('[data-testid=save-state]').textContent()).toBe('Saved');
}

/** Case n of the open set, on the nth series in the list, with its key image on slice 3 and one finding there. */
export async function addCase(page: Page, n: number, kind: 'box' | 'ellipse' | 'point', series: number) {
  await page.click('[data-testid=new-case]');
  await page.waitForSelector('[data-testid=case-editor]');
  await page.fill('[data-testid=case-title]', `Case ${n}`);
  await page.fill('[data-testid=case-history]', `History ${n}: 60-year-old, cough.`);
  await page.fill('[data-testid=case-question]', `Question ${n}: what do you see?`);
  await page.locator('[data-testid=series-item]').nth(series).click();
  await page.click('[data-testid=add-series]');
  await saved(page);
  await page.keyboard.press('ArrowDown'); // slice 2
  await page.keyboard.press('ArrowDown'); // slice 3
  await page.click('[data-testid=key-image]');
  await page.click(`[data-testid=draw-${kind}]`);
  await drag(page, [0.42, 0.4], [0.55, 0.52]);
  await expect.poll(() => page.locator('[data-testid=finding-item]').count()).toBe(1);
  await page.locator('[data-testid=finding-explanation]').fill(`Explanation ${n}: look at the edge.`);
  await page.locator('[data-testid=finding-difficulty]').selectOption(String(n));
  await page.fill('[data-testid=case-diagnosis]', `Diagnosis ${n}`);
  await saved(page);
}
