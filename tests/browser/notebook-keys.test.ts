// Jupyter's keys in real Chromium, one test per key: run keys in edit mode, and the
// command-mode keys (A, B, D D with Z to undo, M, Y, Up/Down/J/K, Enter, Esc) plus the palette.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { builtAppInChromium } from './built-app.ts';
import { cell, cellCount, dropNotebook, editor, openHome, sourceOf, waitForKernel, waitForOutput } from './notebook-page.ts';

const session = builtAppInChromium();

const codeCell = (id: string, source: string) => ({ id, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null });

/** A page with three code cells (`10 + 1`, `20 + 2`, `30 + 3`), cell 1 selected in command mode. */
async function threeCells(): Promise<Page> {
  const page = await openHome(session.browser, session.app.url);
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [codeCell('a', '10 + 1'), codeCell('b', '20 + 2'), codeCell('c', '30 + 3')] };
  await dropNotebook(page, 'keys.ipynb', JSON.stringify(nb));
  await cell(page, 3).waitFor();
  await waitForKernel(page);
  await editor(page, 1).click();
  await page.keyboard.press('Escape');
  await expect.poll(() => mode(page, 1)).toBe('command');
  return page;
}

/** 'edit', 'command' or '' (not selected) for cell `n`. */
async function mode(page: Page, n: number): Promise<string> {
  const c = cell(page, n);
  if ((await c.getAttribute('active')) === null) return '';
  return (await c.getAttribute('editing')) === null ? 'command' : 'edit';
}

const sources = async (page: Page) => {
  const list = [];
  for (let n = 1; n <= (await cellCount(page)); n++) list.push(await sourceOf(page, n));
  return list;
};

test('Shift+Enter runs the cell and selects the next one', async () => {
  const page = await threeCells();
  await page.keyboard.press('Shift+Enter');
  expect(await waitForOutput(page, 1, '11')).toBe('11');
  await expect.poll(() => mode(page, 2)).toBe('command');
  expect(await cellCount(page)).toBe(3);
});

test('Ctrl+Enter runs the cell and stays on it', async () => {
  const page = await threeCells();
  await page.keyboard.press('Control+Enter');
  expect(await waitForOutput(page, 1, '11')).toBe('11');
  expect(await mode(page, 1)).toBe('command');
  expect(await cellCount(page)).toBe(3);
});

test('Alt+Enter runs the cell and inserts a new one below in edit mode', async () => {
  const page = await threeCells();
  await page.keyboard.press('Alt+Enter');
  expect(await waitForOutput(page, 1, '11')).toBe('11');
  await expect.poll(() => cellCount(page)).toBe(4);
  await expect.poll(() => mode(page, 2)).toBe('edit');
  expect(await sources(page)).toEqual(['10 + 1', '', '20 + 2', '30 + 3']);
});

test('A inserts a cell above', async () => {
  const page = await threeCells();
  await page.keyboard.press('a');
  expect(await sources(page)).toEqual(['', '10 + 1', '20 + 2', '30 + 3']);
  expect(await mode(page, 1)).toBe('command');
});

test('B inserts a cell below', async () => {
  const page = await threeCells();
  await page.keyboard.press('b');
  expect(await sources(page)).toEqual(['10 + 1', '', '20 + 2', '30 + 3']);
  expect(await mode(page, 2)).toBe('command');
});

test('D D deletes the cell and Z brings it back', async () => {
  const page = await threeCells();
  await page.keyboard.press('d');
  expect(await cellCount(page)).toBe(3);
  await page.keyboard.press('d');
  await expect.poll(() => sources(page)).toEqual(['20 + 2', '30 + 3']);
  await page.keyboard.press('z');
  await expect.poll(() => sources(page)).toEqual(['10 + 1', '20 + 2', '30 + 3']);
});

test('M makes the cell Markdown', async () => {
  const page = await threeCells();
  await page.keyboard.press('m');
  await expect.poll(() => cell(page, 1).locator('.rendered').innerText()).toBe('10 + 1');
});

test('Y makes a Markdown cell code again', async () => {
  const page = await threeCells();
  await page.keyboard.press('m');
  await expect.poll(() => cell(page, 1).locator('.rendered').count()).toBe(1);
  await page.keyboard.press('y');
  await expect.poll(() => cell(page, 1).locator('.rendered').count()).toBe(0);
  expect(await sourceOf(page, 1)).toBe('10 + 1');
});

test('Down and Up move the selection', async () => {
  const page = await threeCells();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => mode(page, 3)).toBe('command');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => mode(page, 2)).toBe('command');
});

test('J and K move the selection', async () => {
  const page = await threeCells();
  await page.keyboard.press('j');
  await expect.poll(() => mode(page, 2)).toBe('command');
  await page.keyboard.press('k');
  await expect.poll(() => mode(page, 1)).toBe('command');
});

test('Enter edits the selected cell', async () => {
  const page = await threeCells();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect.poll(() => mode(page, 2)).toBe('edit');
  await page.keyboard.press('End');
  await page.keyboard.insertText(' + 100');
  expect(await sourceOf(page, 2)).toBe('20 + 2 + 100');
});

test('Esc leaves edit mode for command mode', async () => {
  const page = await threeCells();
  await page.keyboard.press('Enter');
  await expect.poll(() => mode(page, 1)).toBe('edit');
  await page.keyboard.press('Escape');
  await expect.poll(() => mode(page, 1)).toBe('command');
  // In command mode letters are commands, not text.
  await page.keyboard.press('b');
  expect(await sources(page)).toEqual(['10 + 1', '', '20 + 2', '30 + 3']);
});

test('Ctrl+Shift+P opens the command palette, which runs the chosen command', async () => {
  const page = await threeCells();
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  await page.keyboard.insertText('run all');
  await page.keyboard.press('Enter');
  await expect.poll(() => palette.count()).toBe(0);
  expect(await waitForOutput(page, 3, '33')).toBe('33');
  expect(await waitForOutput(page, 1, '11')).toBe('11');
});
