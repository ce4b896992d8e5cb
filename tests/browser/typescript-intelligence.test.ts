// TypeScript intelligence in real Chromium (production build, the language worker loaded on demand):
// the library's real types complete, a type error shows as a diagnostic with a count, and a name
// from an earlier cell completes in a later one. Prints completion latencies (no timed assertion).
//
// The app's cell editor does not include the extension yet, so this runs against a test-only page
// (tests/browser/fixtures/ts-intelligence.html) with the same editor setup plus the extension.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import { REPO_ROOT } from './serve-build.ts';

let browser: ChromiumSession;
let outDir: string;
let server: Awaited<ReturnType<typeof preview>>;
let url: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'tailor-ts-harness-'));
  const configFile = resolve(REPO_ROOT, 'vite.config.ts');
  const input = resolve(REPO_ROOT, 'tests/browser/fixtures/ts-intelligence.html');
  await build({ root: REPO_ROOT, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true, rolldownOptions: { input } } });
  server = await preview({ root: REPO_ROOT, configFile, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, open: false } });
  url = `${server.resolvedUrls!.local[0]}tests/browser/fixtures/ts-intelligence.html`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const editor = (page: Page, n: number) => page.getByRole('group', { name: `Cell ${n}`, exact: true }).locator('.cm-content');
const completionLabels = (page: Page) => page.locator('.cm-tooltip-autocomplete .cm-completionLabel').allInnerTexts();

/** Types `text` at the end of cell `n` key by key; returns the ms from its last key until the completion list shows `expected`. */
async function timeCompletion(page: Page, n: number, text: string, expected: string): Promise<number> {
  await editor(page, n).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text.slice(0, -1));
  const started = Date.now();
  await page.keyboard.type(text.slice(-1));
  await expect
    .poll(() => completionLabels(page), { timeout: 30_000, interval: 10 })
    .toContain(expected)
    .catch(async (error) => {
      throw new Error(`${(error as Error).message}\ncell ${n} text: ${JSON.stringify(await editor(page, n).innerText())}; errors: ${browser.errorsOf(page).join('; ')}`);
    });
  return Date.now() - started;
}

test('completions, diagnostics and cross-cell names come from the TypeScript worker', async () => {
  const page = await browser.newPage();
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto(url);
  await editor(page, 3).waitFor();
  const openedAt = Date.now();
  // TypeScript is not part of the page's own JavaScript: it comes with the worker the editors start.
  await expect.poll(() => workers.some((w) => /ts-worker/.test(w))).toBe(true);

  await editor(page, 1).click();
  await page.keyboard.insertText("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\n");
  const first = await timeCompletion(page, 1, 'net.', 'classify');
  const labels = await completionLabels(page);
  expect(labels).toEqual(expect.arrayContaining(['classify', 'info', 'features', 'dispose']));
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace');
  const later = [];
  for (const [text, expected] of [['.', 'classify'], ['info.', 'featureDim'], ['featureDim;\nnet.', 'classify']] as const) {
    later.push(await timeCompletion(page, 1, text, expected));
    await page.keyboard.press('Escape');
  }

  // A type error: squiggle, message, and the count on the editor.
  await editor(page, 2).click();
  await page.keyboard.insertText("const n: number = 'x';");
  const cell2 = page.getByRole('group', { name: 'Cell 2', exact: true });
  await expect.poll(() => cell2.locator('.cm-lintRange-error').count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => cell2.locator('.cm-editor').getAttribute('data-type-errors')).toBe('1');
  await cell2.locator('.cm-lintRange-error').hover();
  await expect.poll(() => page.locator('.cm-tooltip-lint').innerText(), { timeout: 10_000 }).toContain("Type 'string' is not assignable to type 'number'");

  // A name declared in cell 1 completes in cell 3, with its type (a Backbone).
  const cross = await timeCompletion(page, 3, 'net.', 'classify');
  expect(await completionLabels(page)).toEqual(expect.arrayContaining(['classify', 'info']));
  await page.keyboard.press('Escape');
  // Cell 1 and 3 have no type error; cell 3 sees `n` from cell 2 as a number.
  await page.keyboard.insertText('classify;\nn.toFixed(1);');
  await page.waitForTimeout(1200);
  expect(await page.getByRole('group', { name: 'Cell 3', exact: true }).locator('.cm-editor').getAttribute('data-type-errors')).toBe('0');

  console.log(
    `completion latency (Chromium, production build): first after opening ${first} ms ` +
      `(the worker loading TypeScript and warming up; the page opened ${Date.now() - openedAt} ms before the end of the test); ` +
      `later ${later.join(', ')} ms; in a later cell ${cross} ms`,
  );
  expect(browser.errorsOf(page)).toEqual([]);
});
