// Screenshots for the README, taken from the production build in real Chromium:
// docs/screenshots/home.png and docs/screenshots/notebook.png (a notebook with a
// Markdown cell, a printed log, a table and a Plot chart).
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useBuiltApp } from './built-app.ts';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import { cell, dropNotebook, openHome, output, waitForKernel, waitForOutput } from './notebook-page.ts';
import { REPO_ROOT, type ServedApp } from './serve-build.ts';

const OUT = `${REPO_ROOT}docs/screenshots`;
let app: ServedApp;
let browser: ChromiumSession;

beforeAll(async () => {
  app = await useBuiltApp();
  browser = await launchChromium();
  await mkdir(OUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const md = (id: string, source: string) => ({ id, cell_type: 'markdown', source, metadata: {} });
const code = (id: string, source: string) => ({ id, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null });

const demo = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    md('m1', '# Ants or bees?\n\nA first look at the data before we **tailor** a pretrained network to it.'),
    code('c1', "const counts = [\n  { split: 'train', ants: 124, bees: 121 },\n  { split: 'val', ants: 70, bees: 83 },\n];\nconsole.log(`${counts.length} splits`);\ncounts"),
    code(
      'c2',
      "import * as Plot from '@observablehq/plot';\nPlot.plot({\n  height: 220,\n  marks: [Plot.barY(counts.flatMap((c) => [{ split: c.split, class: 'ants', n: c.ants }, { split: c.split, class: 'bees', n: c.bees }]), { x: 'class', y: 'n', fx: 'split', fill: 'class' })],\n})",
    ),
  ],
};

test('screenshots of the home page and of a notebook with outputs', async () => {
  const page = await openHome(browser, app.url);
  await page.setViewportSize({ width: 1200, height: 760 });
  await page.screenshot({ path: `${OUT}/home.png` });

  await dropNotebook(page, 'ants-or-bees.ipynb', JSON.stringify(demo));
  await cell(page, 3).waitFor();
  await waitForKernel(page);
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await waitForOutput(page, 2, '2 splits');
  await expect.poll(() => output(page, 3).locator('svg').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.mouse.click(5, 700);
  await page.screenshot({ path: `${OUT}/notebook.png` });
});
