// TypeScript intelligence in the real app (production build, real Chromium, the language worker
// loaded on demand): the library's real types complete, a type error shows as a squiggle and a
// per-cell count but does not stop the cell from running, and a name from an earlier cell completes
// in a later one. Prints completion latencies the way a user meets them (typing right after a
// notebook opens); no timed assertion.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { builtAppInChromium } from './built-app.ts';
import { cell, editor, openHome, waitForKernel, waitForOutput } from './notebook-page.ts';

const session = builtAppInChromium();

const completionLabels = (page: Page) => page.locator('.cm-tooltip-autocomplete .cm-completionLabel').allInnerTexts();

/** Types `text` at the end of cell `n` key by key; returns the ms from its last key until the completion list shows `expected`. */
async function timeCompletion(page: Page, n: number, text: string, expected: string): Promise<number> {
  if (!(await editor(page, n).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement))) await editor(page, n).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text.slice(0, -1));
  const started = Date.now();
  await page.keyboard.type(text.slice(-1));
  await expect
    .poll(() => completionLabels(page), { timeout: 30_000, interval: 10 })
    .toContain(expected)
    .catch(async (error) => {
      throw new Error(`${(error as Error).message}\ncell ${n} text: ${JSON.stringify(await editor(page, n).innerText())}; errors: ${session.browser.errorsOf(page).join('; ')}`);
    });
  return Date.now() - started;
}

/** Adds a code cell below the active one (toolbar), in edit mode. */
async function addCodeCell(page: Page, n: number): Promise<void> {
  await page.getByRole('button', { name: 'Add code cell', exact: true }).click();
  await editor(page, n).waitFor();
}

test('completions, type errors and cross-cell names come from the TypeScript worker', async () => {
  const page = await openHome(session.browser, session.app.url);

  // As a user would: open a notebook and start typing as soon as the first cell shows.
  await page.getByRole('button', { name: 'New notebook' }).click();
  const opened = Date.now();
  await editor(page, 1).waitFor();
  await editor(page, 1).click();
  await page.keyboard.insertText("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\n");
  const typedAfter = Date.now() - opened;
  const first = await timeCompletion(page, 1, 'net.', 'classify');
  const firstSinceOpen = Date.now() - opened;
  expect(await completionLabels(page)).toEqual(expect.arrayContaining(['classify', 'info', 'features', 'dispose']));
  // TypeScript is not in the page's JavaScript: it runs in its own worker, beside the kernel's
  // (started while the home page was idle, so it may predate this notebook).
  expect(page.workers().some((w) => /ts-worker/.test(w.url()))).toBe(true);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace');
  const later = [];
  for (const [text, expected] of [['.', 'classify'], ['info.', 'featureDim'], ['featureDim;\nnet.', 'classify'], ['i', 'info']] as const) {
    later.push(await timeCompletion(page, 1, text, expected));
    await page.keyboard.press('Escape');
  }
  await page.keyboard.insertText('nfo;');

  // A type error: squiggle, message, and the cell's count — and the cell still runs.
  await addCodeCell(page, 2);
  await page.keyboard.insertText("const n: number = 'x';\nn");
  const cell2 = cell(page, 2);
  await expect.poll(() => cell2.locator('.cm-lintRange-error').count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => cell2.getByRole('status', { name: '1 type error', exact: true }).count()).toBe(1);
  await cell2.locator('.cm-lintRange-error').hover();
  await expect.poll(() => page.locator('.cm-tooltip-lint').innerText(), { timeout: 10_000 }).toContain("Type 'string' is not assignable to type 'number'");
  await editor(page, 2).click();
  await waitForKernel(page);
  await page.keyboard.press('Control+Enter');
  await waitForOutput(page, 2, 'x');
  expect(await cell2.getByRole('status', { name: '1 type error', exact: true }).count()).toBe(1);

  // A name declared in cell 1 completes in cell 3, with its type (a Backbone); `n` from cell 2 is a number.
  await addCodeCell(page, 3);
  const cross = await timeCompletion(page, 3, 'net.', 'classify');
  expect(await completionLabels(page)).toEqual(expect.arrayContaining(['classify', 'info']));
  await page.keyboard.press('Escape');
  await page.keyboard.insertText('classify;\nn.toFixed(1);');
  // Fixing cell 2 clears its count; cells 1 and 3 never had one.
  await editor(page, 2).click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.insertText('const n: number = 1;');
  await expect.poll(() => cell2.locator('.cm-lintRange-error').count(), { timeout: 30_000 }).toBe(0);
  await expect.poll(() => cell2.getByRole('status', { name: /type error/ }).count()).toBe(0);
  for (const n of [1, 3]) {
    await expect.poll(() => cell(page, n).locator('.cm-editor').getAttribute('data-type-errors'), { timeout: 30_000 }).toBe('0');
    expect(await cell(page, n).getByRole('status', { name: /type error/ }).count()).toBe(0);
  }

  console.log(
    `completion latency (Chromium, production build, the app): first ${first} ms after its key ` +
      `(${firstSinceOpen} ms after "New notebook" was clicked; typing began ${typedAfter} ms after the click); ` +
      `later ${later.join(', ')} ms; in a later cell ${cross} ms`,
  );
  expect(session.browser.errorsOf(page)).toEqual([]);
});
