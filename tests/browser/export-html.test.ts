// `tailor export` output opened in real Chromium from a file: nothing but the file is requested,
// the Plot SVG and the images show, nothing from the notebook runs, and the console stays clean.
// And the app's "Export HTML" downloads the same kind of page, with the outputs the cells made.
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIXTURE, writeExportFixture } from '../support/export-fixture.ts';
import { runTailor } from '../unit/run-tailor.ts';
import { useBuiltApp } from './built-app.ts';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import { newNotebook, typeInto, waitForOutput } from './notebook-page.ts';
import type { ServedApp } from './serve-build.ts';

let browser: ChromiumSession;
let notebook: string;
let app: ServedApp;

beforeAll(async () => {
  notebook = await writeExportFixture();
  app = await useBuiltApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (notebook) await rm(dirname(notebook), { recursive: true, force: true });
});

test('the exported page makes no request, shows the chart and images, and runs nothing', async () => {
  const out = join(dirname(notebook), 'shared.html');
  const run = await runTailor(['export', notebook, '--to', 'html', '--out', out]);
  expect(run.code).toBe(0);
  expect((await readFile(out, 'utf8')).length).toBeGreaterThan(1000);

  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const url = pathToFileURL(out).href;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(300);

  // Data URLs are not network requests, but Chromium reports them; only the file itself may be fetched.
  expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([url]);
  const svg = page.locator('.svg-output svg');
  await expect.poll(() => svg.isVisible()).toBe(true);
  const box = (await svg.boundingBox())!;
  expect(box.width).toBeGreaterThan(200);
  expect(box.height).toBeGreaterThan(100);
  expect(await page.locator('.svg-output svg rect').count()).toBeGreaterThanOrEqual(FIXTURE.plotBars);
  // Both PNGs (output and Markdown attachment) decoded at their real size.
  const sizes = await page.locator('img').evaluateAll((imgs) => imgs.map((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).complete]));
  expect(sizes).toEqual([[FIXTURE.pngSize, true], [FIXTURE.pngSize, true]]);
  await expect.poll(() => page.getByRole('heading', { name: FIXTURE.heading }).isVisible()).toBe(true);
  expect(await page.locator('.error-output').innerText()).toContain(`${FIXTURE.errorName}: ${FIXTURE.errorValue}`);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  // No script ran at all: the page has no script element, and a click on the former javascript: link does nothing.
  expect(await page.locator('script').count()).toBe(0);
  await page.getByText('click', { exact: true }).click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(browser.errorsOf(page)).toEqual([]);
});

test('"Export HTML" in the app downloads one page with the notebook\'s code and outputs', async () => {
  const page = await newNotebook(browser, app.url);
  await typeInto(page, 1, "console.log('from-the-stream');\nPlot.barY([{k: 'a', v: 3}, {k: 'b', v: 5}], {x: 'k', y: 'v'}).plot()");
  await page.keyboard.press('Shift+Enter');
  await waitForOutput(page, 1, 'from-the-stream');
  await expect.poll(() => page.getByRole('region', { name: 'Output' }).locator('svg rect').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await page.keyboard.insertText('const answer = 6 * 7; answer');
  await page.keyboard.press('Shift+Enter');
  await waitForOutput(page, 2, '42');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export HTML', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.html$/);
  // Saved under its own name: Chromium opens a file by its extension.
  const saved = join(dirname(notebook), file.suggestedFilename());
  await file.saveAs(saved);
  const html = await readFile(saved, 'utf8');
  // The code, the stream, the chart and the result, as the cells showed them; no script.
  expect(html).toContain('from-the-stream');
  expect(html).toContain('answer');
  expect(html).toMatch(/<svg[\s\S]*<rect[\s\S]*<rect/);
  expect(html).toMatch(/>\s*42\s*</);
  expect(html).not.toMatch(/<script/i);

  // The downloaded page opens on its own, from a file, and shows the chart.
  const view = await browser.newPage();
  await view.goto(pathToFileURL(saved).href);
  await expect.poll(() => view.locator('svg rect').count()).toBeGreaterThanOrEqual(2);
  expect(await view.locator('body').innerText()).toContain('from-the-stream');
  expect(browser.errorsOf(page)).toEqual([]);
  expect(browser.errorsOf(view)).toEqual([]);
});
