// `tailor export` output opened in real Chromium from a file: nothing but the file is requested,
// the Plot SVG and the images show, nothing from the notebook runs, and the console stays clean.
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIXTURE, writeExportFixture } from '../support/export-fixture.ts';
import { runTailor } from '../unit/run-tailor.ts';
import { launchChromium, type ChromiumSession } from './chromium.ts';

let browser: ChromiumSession;
let notebook: string;

beforeAll(async () => {
  notebook = await writeExportFixture();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
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
