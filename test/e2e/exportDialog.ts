// End-to-end helper: every export opens the privacy dialog (de-identification options, burned-in text warning);
// this clicks through it as a user would and returns the download.
import type { Download, Page } from 'playwright-core';

export interface DialogChoice { keepIdentity?: boolean; shiftDates?: boolean; acknowledgeBurnedIn?: boolean }

export async function exportThroughDialog(page: Page, button: string, choice: DialogChoice = {}): Promise<Download> {
  await page.click(`[data-testid=${button}]`);
  const dialog = page.locator('[data-testid=export-privacy]');
  await dialog.waitFor();
  if (choice.keepIdentity) await dialog.locator('[data-testid=deid-keep-identity]').check();
  if (choice.shiftDates) await dialog.locator('[data-testid=deid-shiftDates]').check();
  const confirm = dialog.locator('[data-testid=export-confirm]');
  // The burned-in check runs in the worker first; the button stays disabled until it has answered.
  await page.waitForFunction(() => !document.querySelector('[data-testid=export-privacy] [role=status]'), undefined, { timeout: 60_000 });
  if (choice.acknowledgeBurnedIn && await dialog.locator('[data-testid=burned-in-ack]').count()) await dialog.locator('[data-testid=burned-in-ack]').check();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), confirm.click()]);
  return download;
}
