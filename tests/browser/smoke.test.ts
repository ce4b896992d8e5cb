// Smoke test in real Chromium: the production build, served by `vite preview`,
// opens with the app's title, is cross-origin isolated, and logs no errors.
import { expect, test } from 'vitest';
import { builtAppInChromium } from './built-app.ts';

const session = builtAppInChromium();

test('the built page opens with the title "Tailor", cross-origin isolated, without console errors', async () => {
  const page = await session.browser.newPage();
  const response = await page.goto(session.app.url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.title()).toBe('Tailor');
  // SharedArrayBuffer (wasm threads) is only available when the headers took effect.
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  // Let module scripts and the first render settle before reading the error log.
  await page.waitForLoadState('networkidle');
  expect(session.browser.errorsOf(page)).toEqual([]);
});
