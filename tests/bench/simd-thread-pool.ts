/**
 * The SIMD engine's thread pool (kernels/transfer/simd/thread-pool.ts), with
 * the toy module of its unit test, in Node and in headless Chromium (inside a
 * module Web Worker of a cross-origin-isolated page, as the Tailor kernel
 * runs; the runner's threads are nested Blob-URL workers):
 *
 * - barrier cost: µs per call of a batch of 100 empty calls (8 rows each, so
 *   every thread claims rows and meets a barrier), and µs per `run` of a
 *   single empty call (waking the workers and counting them out), for
 *   1 thread (inline) and 2 threads, with the default spin and with none;
 * - speed-up of 2 threads over 1 on a compute-bound toy kernel: one big call
 *   (1000 rows, ~50 ms), and MobileNet-like batches of 30 calls of 14 rows
 *   taking ~10 ms in all on one thread (where barriers and wake-ups matter).
 *
 * Figures are medians of `--rounds` timings (default 15) after warm-up.
 * Run one timing job at a time on a shared machine:
 *
 *   flock /tmp/bench.lock npx tsx tests/bench/simd-thread-pool.ts [--rounds 15] [--no-chromium]
 */
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../browser/chromium.ts';
import { bundleForPage, serveIsolated } from '../support/isolated-page.ts';
import { timeThreadPool, type TimingRow } from './simd-thread-pool-page.ts';

const argv = process.argv.slice(2);
const ROUNDS = Number(argv[argv.indexOf('--rounds') + 1] || 15) || 15;
const CHROMIUM = !argv.includes('--no-chromium');

function print(title: string, rows: TimingRow[]): void {
  const width = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(title);
  for (const r of rows) console.log('  ' + r.map((cell, c) => cell.padEnd(width[c])).join('  ').trimEnd());
}

/** `timeThreadPool` in a module worker of an isolated page served on 127.0.0.1, and the Chromium version. */
async function timeInChromium(): Promise<{ rows: TimingRow[]; version: string }> {
  const worker = await bundleForPage(
    `import { timeThreadPool } from './simd-thread-pool-page.ts';\npostMessage(await timeThreadPool(${ROUNDS}));`,
    fileURLToPath(new URL('.', import.meta.url)),
  );
  const server = await serveIsolated({
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>thread pool bench</title>'],
    '/worker.js': ['text/javascript', worker],
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const rows = await page.evaluate(
      () =>
        new Promise<TimingRow[]>((resolve, reject) => {
          if (!crossOriginIsolated) reject(new Error('the bench page is not cross-origin isolated'));
          const w = new Worker('/worker.js', { type: 'module' });
          w.onmessage = (e: MessageEvent<TimingRow[]>) => resolve(e.data);
          w.onerror = (e) => reject(new Error(`bench worker: ${e.message}`));
        }),
    );
    return { rows, version: browser.context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent)) };
  } finally {
    await browser.close();
    await server.close();
  }
}

print(`thread pool, Node ${process.version} (median of ${ROUNDS})`, await timeThreadPool(ROUNDS));
if (CHROMIUM) {
  const { rows, version } = await timeInChromium();
  print(`thread pool, Chromium ${version}, module worker of an isolated page (median of ${ROUNDS})`, rows);
}
