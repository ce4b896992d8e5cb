// Smoke test in real Chromium: the production build, served by `vite preview`,
// opens with the app's title, is cross-origin isolated, and logs no errors.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useBuiltApp } from './built-app.ts';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import type { ServedApp } from './serve-build.ts';

let app: ServedApp;
let browser: ChromiumSession;

beforeAll(async () => {
  app = await useBuiltApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test('the built page opens with the title "Tailor", cross-origin isolated, without console errors', async () => {
  const page = await browser.newPage();
  const response = await page.goto(app.url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.title()).toBe('Tailor');
  // SharedArrayBuffer (wasm threads) is only available when the headers took effect.
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  // Let module scripts and the first render settle before reading the error log.
  await page.waitForLoadState('networkidle');
  expect(browser.errorsOf(page)).toEqual([]);
});
