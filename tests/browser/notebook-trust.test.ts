// Trust and safety in real Chromium: an untrusted notebook's HTML and SVG outputs cannot run
// code (sanitised, and blocked by the page's CSP besides); trusting it renders benign HTML as is.
import { expect, test } from 'vitest';
import { builtAppInChromium } from './built-app.ts';
import { cell, dropNotebook, kernelStatus, openHome, output } from './notebook-page.ts';

const session = builtAppInChromium();

const hostile = [
  '<img src="x" onerror="window.__pwned = \'img onerror\'">',
  '<script>window.__pwned = "script"</script>',
  '<a id="js-link" href="javascript:window.__pwned = \'link\'">click</a>',
  '<style>.benign { color: rgb(1, 2, 3); }</style><span class="benign">benign text</span>',
].join('\n');
const hostileSvg = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned = \'svg\'"><circle r="4"/><script>window.__pwned = "svg script"</script></svg>';

const notebook = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    {
      id: 'c1',
      cell_type: 'code',
      source: 'display(html)',
      metadata: {},
      execution_count: 1,
      outputs: [
        { output_type: 'display_data', data: { 'text/html': hostile, 'text/plain': 'html' }, metadata: {} },
        { output_type: 'display_data', data: { 'image/svg+xml': hostileSvg, 'text/plain': 'svg' }, metadata: {} },
      ],
    },
  ],
});

test('an untrusted notebook does not run scripts or handlers in its outputs; after Trust, benign HTML renders as is', async () => {
  const page = await openHome(session.browser, session.app.url);
  await dropNotebook(page, 'hostile.ipynb', notebook);
  await cell(page, 1).waitFor();
  await expect.poll(() => page.getByText('Not trusted').count()).toBe(1);
  await expect.poll(() => output(page, 1).getByText('benign text').count()).toBe(1);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
  // Sanitised: the handler attributes, scripts, the javascript: URL and the <style> are gone.
  const area = output(page, 1);
  expect(await area.locator('img[onerror], script, [onload], style').count()).toBe(0);
  expect(await area.locator('#js-link').getAttribute('href')).toBeNull();
  // Nothing ran: the prompt still shows the file's count, not a running or new one.
  expect(await cell(page, 1).getByText('[1]:').count()).toBe(1);
  expect(await kernelStatus(page).textContent()).not.toBe('busy');

  await page.getByRole('button', { name: 'Trust', exact: true }).click();
  await expect.poll(() => page.getByText('Not trusted').count()).toBe(0);
  const benign = area.locator('.benign');
  await expect.poll(() => benign.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(1, 2, 3)');
  expect(await area.locator('style').count()).toBe(1);
  // Trusted markup is inserted as written, and the page's Content-Security-Policy still blocks inline code.
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
});

test('the built page carries a Content-Security-Policy that allows wasm and workers but no inline script', async () => {
  const page = await openHome(session.browser, session.app.url);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("worker-src 'self' blob:");
  expect(csp).toContain("object-src 'none'");
  const blocked = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.append(s);
    return (window as { __inline?: boolean }).__inline ?? false;
  });
  expect(blocked).toBe(false);
});

test('?open=<url> opens that notebook untrusted and runs nothing until asked', async () => {
  const page = await session.browser.newPage();
  await page.goto(`${session.app.url}?open=${encodeURIComponent(`data:application/json,${encodeURIComponent(notebook)}`)}`);
  await cell(page, 1).waitFor();
  await expect.poll(() => page.getByText('Not trusted').count()).toBe(1);
  await expect.poll(() => output(page, 1).getByText('benign text').count()).toBe(1);
  expect(await cell(page, 1).getByText('[1]:').count()).toBe(1);
  expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
});
