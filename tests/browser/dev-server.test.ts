/**
 * `npm start` is how a student runs Tailor: the Vite dev server, on a cold
 * dependency cache. Opening a notebook must not make the server discover new
 * dependencies and reload the page under the first keystrokes (it did, before
 * `optimizeDeps.include` listed what the workers import); completions and a
 * cell run must work there as in the build.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from './chromium.ts';

let server: ViteDevServer;
let cacheDir: string;
let browser: ChromiumSession;

beforeAll(async () => {
  // A fresh dependency cache: what a clone sees on its first `npm start`.
  cacheDir = await mkdtemp(join(tmpdir(), 'tailor-vite-cache-'));
  server = await createServer({ configFile: 'vite.config.ts', cacheDir, logLevel: 'warn', server: { port: 0, open: false } });
  await server.listen();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

test('the dev server on a cold cache: a new notebook keeps what is typed, completes and runs a cell', async () => {
  const url = server.resolvedUrls!.local[0];
  const page = await browser.newPage();
  const response = await page.goto(url);
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));

  await page.getByRole('button', { name: 'New notebook' }).click();
  const editor = page.locator('.cm-content').first();
  await editor.waitFor({ timeout: 60_000 });
  await editor.click();
  await page.keyboard.insertText("import { loadBackbone } from 'tailor';\nconst net = await loadBackbone('mobilenet_v1_0.25_224');\nnet.");
  await page.locator('.cm-tooltip-autocomplete').waitFor({ timeout: 60_000 });
  expect(await page.locator('.cm-tooltip-autocomplete li').allInnerTexts()).toEqual(expect.arrayContaining(['classify', 'info']));

  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText('await tf.ready(); `backend ${tf.getBackend()}`');
  await page.keyboard.press('Shift+Enter');
  await expect.poll(() => page.getByText("'backend wasm'").count(), { timeout: 60_000 }).toBeGreaterThan(0);

  // No reload since the notebook opened: nothing typed was thrown away.
  expect(loads).toEqual([]);
  expect(await editor.innerText()).toContain('backend ${tf.getBackend()}');
  expect(browser.errorsOf(page)).toEqual([]);
});
