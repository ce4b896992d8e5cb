// A guided notebook in the page, as a learner meets it: open "2. Feature extraction" from the home page,
// click "Run all", wait until every cell has run, and find its charts, images and passed checks in the
// outputs — real Chromium, production build, real weights and photos served from public/.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { builtAppInChromium } from './built-app.ts';
import { cellCount, openHome, waitForKernel } from './notebook-page.ts';

const FILE = resolve(import.meta.dirname, '../../notebooks/02-feature-extraction.ipynb');
const codeCells = (JSON.parse(readFileSync(FILE, 'utf8')) as { cells: { cell_type: string }[] }).cells.filter((c) => c.cell_type === 'code').length;

const session = builtAppInChromium();

test('02-feature-extraction: Run all in the page draws its charts and passes its checks', { timeout: 300_000 }, async () => {
  const page = await openHome(session.browser, session.app.url);
  await page.getByRole('button', { name: /2\. Feature extraction/ }).click();
  await expect.poll(() => cellCount(page), { timeout: 30_000 }).toBeGreaterThan(20);
  await waitForKernel(page);
  const started = Date.now();
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  // The last check of the notebook sits two cells before its end; when it shows, every cell before it ran.
  const checks = page.locator('.tailor-check-pass');
  await expect.poll(() => checks.count(), { timeout: 280_000, interval: 500 }).toBe(5);
  await waitForKernel(page, 'idle', 60_000);
  console.log(`02-feature-extraction in Chromium: Run all took ${((Date.now() - started) / 1000).toFixed(1)} s`);

  expect(await page.locator('.tailor-check-fail').count()).toBe(0);
  // Charts: the cache timing bars and the PCA scatter are Plot SVGs with their marks.
  const charts = page.getByRole('region', { name: 'Output', exact: true }).locator('svg[class^="plot-"], figure svg');
  await expect.poll(() => charts.count()).toBeGreaterThanOrEqual(2);
  expect(await page.locator('svg g[aria-label="dot"] circle').count()).toBeGreaterThan(200);
  // Photo sheets (examples and nearest neighbours) are images.
  expect(await page.getByRole('region', { name: 'Output', exact: true }).locator('img').count()).toBeGreaterThanOrEqual(2);
  // No cell ended in an error, and every code cell ran: from a fresh kernel the last one is execution [N].
  expect(await page.locator('.output-error').count()).toBe(0);
  expect(await page.getByLabel(`Execution count ${codeCells}`, { exact: true }).count()).toBe(1);
  expect(session.browser.errorsOf(page)).toEqual([]);
});
