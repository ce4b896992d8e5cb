// The notebook page runs cells in the kernel worker (real Chromium, production build):
// results, shared scope between cells, Plot charts as SVG, and interrupting an endless loop.
import { expect, test } from 'vitest';
import { builtAppInChromium } from './built-app.ts';
import { cell, cellCount, kernelStatus, newNotebook, output, sourceOf, typeInto, waitForKernel, waitForOutput } from './notebook-page.ts';

const session = builtAppInChromium();

test('typing a cell and pressing Shift+Enter shows its result; a later cell uses its variable', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await typeInto(page, 1, 'const xs = [1, 2, 3]; xs.map(x => x * 2)');
  await page.keyboard.press('Shift+Enter');
  expect(await waitForOutput(page, 1, '2, 4, 6')).toMatch(/\[\s*2,\s*4,\s*6\s*\]/);
  await expect.poll(() => cell(page, 1).getByText('[1]:').count()).toBe(1);
  // Shift+Enter on the last cell made a new one and put the cursor in it.
  expect(await cellCount(page)).toBe(2);
  await page.keyboard.insertText('xs.reduce((a, b) => a + b, 0) * 10');
  await page.keyboard.press('Shift+Enter');
  expect(await waitForOutput(page, 2, '60')).toBe('60');
  expect(session.browser.errorsOf(page)).toEqual([]);
});

test('a cell that makes an Observable Plot chart shows an SVG in its output', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await typeInto(
    page,
    1,
    "import * as Plot from '@observablehq/plot';\nPlot.barY([{k: 'a', v: 3}, {k: 'b', v: 5}], {x: 'k', y: 'v'}).plot()",
  );
  await page.keyboard.press('Control+Enter');
  const svg = output(page, 1).locator('svg');
  await expect.poll(() => svg.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  // Two bars: the marks made it through rendering.
  expect(await output(page, 1).locator('svg rect').count()).toBeGreaterThanOrEqual(2);
});

test('Interrupt stops while (true) {}: the kernel comes back idle, the text is intact, and a new cell runs', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  await typeInto(page, 1, 'let before = 41;');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.insertText('while (true) {}');
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => kernelStatus(page).textContent(), { timeout: 30_000 }).toBe('busy');
  await page.getByRole('button', { name: 'Interrupt kernel', exact: true }).click();
  // Generous: under a loaded CI machine a fresh worker can take a while to load the kernel.
  await waitForKernel(page, 'idle', 60_000);
  expect(await waitForOutput(page, 2, 'restarted')).toMatch(/state was lost/);
  expect(await sourceOf(page, 1)).toBe('let before = 41;');
  expect(await sourceOf(page, 2)).toBe('while (true) {}');
  await page.getByRole('button', { name: 'Add code cell', exact: true }).click();
  await page.keyboard.insertText('typeof before + " " + (6 * 7)');
  await page.keyboard.press('Control+Enter');
  // The restart cleared the old state ("undefined"), and the fresh kernel computes.
  expect(await waitForOutput(page, 3, '42')).toContain('undefined 42');
});
