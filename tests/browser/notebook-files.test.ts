// Files and autosave in real Chromium: Save through the File System Access API and reopen,
// Download .ipynb and reopen, the written files pass nbformat's validator, a reload recovers
// unsaved text, a second tab is warned, and a full disk is reported.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { validateIpynb } from '../support/nbformat.ts';
import { builtAppInChromium } from './built-app.ts';
import {
  cell,
  cellCount,
  dropNotebook,
  newNotebook,
  output,
  settleAutosave,
  sourceOf,
  typeInto,
  waitForOutput,
} from './notebook-page.ts';

const session = builtAppInChromium();

/** A notebook with a Markdown cell and a code cell that has run (so it has outputs). */
async function makeNotebookWithOutputs(page: Page): Promise<void> {
  await typeInto(page, 1, 'const total = [1, 2, 3].reduce((a, b) => a + b, 0);\nconsole.log("sum", total);\ntotal * 7');
  await page.keyboard.press('Control+Enter');
  await waitForOutput(page, 1, '42');
  await page.keyboard.press('a');
  await page.keyboard.press('m');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText('# Saved notes');
  await page.keyboard.press('Shift+Enter');
}

async function snapshot(page: Page) {
  const cells = [];
  for (let n = 1; n <= (await cellCount(page)); n++) {
    const c = cell(page, n);
    const isMarkdown = (await c.locator('.rendered').count()) > 0;
    cells.push({
      source: isMarkdown ? (await c.locator('.rendered').innerText()).trim() : await sourceOf(page, n),
      output: (await output(page, n).count()) ? (await output(page, n).innerText()).trim() : '',
    });
  }
  return cells;
}

/** File pickers answered with a file in the origin-private file system: a real FileSystemFileHandle, no dialog. */
const stubPickers = () => {
  const handle = async () => (await navigator.storage.getDirectory()).getFileHandle('saved.ipynb', { create: true });
  Object.assign(window, {
    showSaveFilePicker: async () => handle(),
    showOpenFilePicker: async () => [await handle()],
  });
};

test('Save writes the file; reopening it shows the same cells and outputs; nbformat validates it', async () => {
  await session.browser.context.addInitScript(stubPickers);
  const page = await newNotebook(session.browser, session.app.url);
  await makeNotebookWithOutputs(page);
  const before = await snapshot(page);
  expect(before).toEqual([
    { source: 'Saved notes', output: '' },
    expect.objectContaining({ output: expect.stringContaining('sum 6') }),
  ]);
  expect(await page.title()).toMatch(/^• /);
  await page.keyboard.press('Control+s');
  await expect.poll(() => page.title()).toBe('saved.ipynb — Tailor');

  const text = await page.evaluate(async () => {
    const dir = await navigator.storage.getDirectory();
    return (await (await dir.getFileHandle('saved.ipynb')).getFile()).text();
  });
  expect(validateIpynb(text)).toBeNull();
  const json = JSON.parse(text);
  expect(json.cells.map((c: { cell_type: string }) => c.cell_type)).toEqual(['markdown', 'code']);
  expect(json.cells[1].outputs.map((o: { output_type: string }) => o.output_type)).toEqual(['stream', 'execute_result']);

  await page.getByRole('button', { name: 'Home', exact: true }).click();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await cell(page, 2).waitFor();
  expect(await snapshot(page)).toEqual(before);
});

test('Download .ipynb from the command palette gives a valid file that reopens the same', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await makeNotebookWithOutputs(page);
  const before = await snapshot(page);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.insertText('download');
  await page.keyboard.press('Enter');
  const file = await (await download).path();
  const text = await readFile(file, 'utf8');
  expect(validateIpynb(text)).toBeNull();

  const reopened = await session.browser.newPage();
  await reopened.goto(session.app.url);
  await reopened.getByRole('button', { name: 'New notebook' }).waitFor();
  await dropNotebook(reopened, 'Untitled.ipynb', text);
  await cell(reopened, 2).waitFor();
  expect(await snapshot(reopened)).toEqual(before);
});

test('text typed but not saved is recovered after a reload', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await typeInto(page, 1, 'const unsaved = "typed before the reload";');
  await settleAutosave(page);
  await page.reload();
  await cell(page, 1).waitFor();
  expect(await sourceOf(page, 1)).toBe('const unsaved = "typed before the reload";');
  await expect.poll(() => page.getByText('Restored unsaved changes').count()).toBe(1);
});

test('the same notebook open in a second tab warns about overwriting', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await typeInto(page, 1, '1');
  await settleAutosave(page);
  const second = await session.browser.newPage();
  await second.goto(page.url());
  await cell(second, 1).waitFor();
  const warning = /also open in another tab/;
  await expect.poll(() => second.getByText(warning).count()).toBe(1);
  await expect.poll(() => page.getByText(warning).count()).toBe(1);
});

test('a full browser storage is reported instead of failing silently', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await typeInto(page, 1, 'const big = 1;');
  await expect.poll(() => page.getByText(/storage for this site is full/).count(), { timeout: 5000 }).toBe(1);
  expect(await page.getByRole('alert').filter({ hasText: 'Save the notebook to a file' }).count()).toBe(1);
});
