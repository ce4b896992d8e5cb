/**
 * Driving the notebook page in tests: open the app, make or open a notebook,
 * type into cells, run them, read outputs — through the page's accessible
 * names (the same ones a screen reader announces).
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ChromiumSession } from './chromium.ts';

/** The cell `n` (1-based), as the `role="group"` "Cell n". */
export const cell = (page: Page, n: number): Locator => page.getByRole('group', { name: `Cell ${n}`, exact: true });

/** The output area of cell `n`. */
export const output = (page: Page, n: number): Locator => cell(page, n).getByRole('region', { name: 'Output', exact: true });

/** The kernel indicator; its text is the state. */
export const kernelStatus = (page: Page): Locator => page.getByLabel('Kernel status', { exact: true });

/** Waits until the kernel reports `state` (default: idle). */
export async function waitForKernel(page: Page, state = 'idle', timeout = 60_000): Promise<void> {
  await expect.poll(() => kernelStatus(page).textContent(), { timeout, interval: 100 }).toBe(state);
}

/** Opens the app's home page in a new tab. */
export async function openHome(browser: ChromiumSession, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'New notebook' }).waitFor();
  return page;
}

/** Home → "New notebook"; resolves when the kernel is idle and cell 1 is in edit mode. */
export async function newNotebook(browser: ChromiumSession, url: string): Promise<Page> {
  const page = await openHome(browser, url);
  await page.getByRole('button', { name: 'New notebook' }).click();
  await cell(page, 1).waitFor();
  await waitForKernel(page);
  return page;
}

/** The source editor of cell `n`. */
export const editor = (page: Page, n: number): Locator => cell(page, n).locator('.cm-content');

/** Clicks into cell `n`'s editor and types `text` (CodeMirror closes brackets, so type without closers where needed). */
export async function typeInto(page: Page, n: number, text: string): Promise<void> {
  await editor(page, n).click();
  await page.keyboard.insertText(text);
}

/** The source text of cell `n` as the editor shows it. */
export async function sourceOf(page: Page, n: number): Promise<string> {
  return editor(page, n).evaluate((el) => (el as HTMLElement).innerText.replace(/\u200b/g, '').trimEnd());
}

/** Opens a notebook text as if its file were dropped on the page. */
export async function dropNotebook(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(
    ([fileName, content]) => {
      const data = new DataTransfer();
      data.items.add(new File([content], fileName, { type: 'application/x-ipynb+json' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    [name, text] as const,
  );
}

/** Waits until cell `n`'s output text contains `text`; returns the whole output text. */
export async function waitForOutput(page: Page, n: number, text: string, timeout = 30_000): Promise<string> {
  await expect.poll(async () => (await output(page, n).count()) ? await output(page, n).innerText() : '', { timeout, interval: 100 }).toContain(text);
  return output(page, n).innerText();
}

/** The number of cells on the page. */
export async function cellCount(page: Page): Promise<number> {
  return page.getByRole('group', { name: /^Cell \d+$/ }).count();
}

/** Waits for the autosave pause to pass and the write to finish. */
export async function settleAutosave(page: Page): Promise<void> {
  await page.waitForTimeout(900);
}
