// The kernel worker of the production build runs TF.js wasm with SIMD on every core when the
// page is cross-origin isolated: the pthread workers start (a broken build hangs in setBackend),
// TF.js's half-the-cores default is lifted, and a convolution runs on them.
import { expect, test } from 'vitest';
import { builtAppInChromium } from './built-app.ts';
import { newNotebook, typeInto, waitForOutput } from './notebook-page.ts';

const session = builtAppInChromium();

test('the kernel reports wasm with SIMD and one thread per core, and a convolution runs on them', async () => {
  const page = await newNotebook(session.browser, session.app.url);
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const expected = `wasm (simd, ${cores} thread${cores === 1 ? '' : 's'})`;
  await expect.poll(() => page.getByTitle('TensorFlow.js backend').textContent(), { timeout: 30_000 }).toBe(expected);
  // The cell sees the same pool the status reports, and a conv through XNNPACK's threadpool gives the right numbers.
  await typeInto(
    page,
    1,
    [
      "const x = tf.ones([2, 32, 32, 16]);",
      "const y = tf.conv2d(x, tf.ones([3, 3, 16, 8]), 1, 'valid');",
      "const v = await y.data();",
      "`${tf.getBackend()} ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')} ${v.length} ${v[0]} ${v[v.length - 1]}`",
    ].join('\n'),
  );
  await page.keyboard.press('Control+Enter');
  // 2·30·30·8 outputs, each the sum of 3·3·16 ones.
  expect(await waitForOutput(page, 1, 'wasm', 60_000)).toContain(`wasm ${cores > 1} 14400 144 144`);
  expect(session.browser.errorsOf(page)).toEqual([]);
});
