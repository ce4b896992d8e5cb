// The SIMD engine's thread pool in real Chromium, where the Tailor kernel uses it: inside a module Web Worker of
// a cross-origin-isolated page, with nested Blob-URL workers sharing a WebAssembly.Memory and synchronising with
// Atomics. The page bundles the library's own thread-pool.ts (esbuild, as is) with the unit test's toy module,
// serves it with COOP/COEP, and checks results, traps, and the clear error on the page's main thread.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { expectedToyBatch, type ToyResult } from '../unit/simd-toy-module.ts';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import { bundleForPage, serveIsolated, type IsolatedServer } from '../support/isolated-page.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const BATCHES: Array<[number, number]> = [[12, 0], [75, 5], [3, 2]];

const IMPORTS = `
import { createParallelRunner } from '../../kernels/transfer/simd/thread-pool.ts';
import { buildToyModule, runToyBatch, TOY_AREA, TOY_PAGES, toyMemory } from '../unit/simd-toy-module.ts';
const BATCHES = ${JSON.stringify(BATCHES)};
const open = async (threads) => {
  const shape = { shared: threads > 1, pages: TOY_PAGES };
  const memory = toyMemory(shape);
  return { memory, runner: await createParallelRunner(buildToyModule(shape), memory, threads) };
};
const message = async (f) => { try { await f(); return 'no error'; } catch (e) { return e.message; } };
`;

/** In the kernel-like worker: toy batches on 1–3 threads, workers taking part, a worker's trap. */
const WORKER = `${IMPORTS}
const report = { isolated: self.crossOriginIsolated, runs: {}, owners: {}, trap: {} };
for (const threads of [1, 2, 3]) {
  const { memory, runner } = await open(threads);
  report.runs[threads] = BATCHES.map(([count, seed]) => runToyBatch((calls) => runner.run(calls), memory, count, seed));
  const i32 = new Int32Array(memory.buffer);
  if (threads > 1) {
    i32.fill(0, TOY_AREA.flag / 4, TOY_AREA.flag / 4 + 2);
    i32.fill(-1, TOY_AREA.owner / 4, TOY_AREA.owner / 4 + 64);
    runner.run([{ fn: 'meet', args: [TOY_AREA.flag, TOY_AREA.owner], rows: 64 }]);
    report.owners[threads] = Array.from(i32.subarray(TOY_AREA.owner / 4, TOY_AREA.owner / 4 + 64));
    i32[TOY_AREA.flag / 4] = 0;
    report.trap[threads] = await message(() => runner.run([{ fn: 'trapInWorker', args: [TOY_AREA.flag], rows: 10 }]));
  }
  runner.dispose();
}
postMessage(report);
`;

/** On the page's main thread: threads > 1 must be refused with a clear error; 1 thread works; then the worker runs. */
const PAGE = `${IMPORTS}
window.result = (async () => {
  const mainThread = await message(() => open(2));
  const { memory, runner } = await open(1);
  const inline = runToyBatch((calls) => runner.run(calls), memory, 12, 0);
  const worker = new Worker('/worker.js', { type: 'module' });
  const report = await new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error('worker: ' + e.message));
  });
  return { mainThread, inline, ...report };
})();
`;

let server: IsolatedServer;
let browser: ChromiumSession;

beforeAll(async () => {
  const files: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>thread pool</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>'],
    '/page.js': ['text/javascript', await bundleForPage(PAGE, HERE)],
    '/worker.js': ['text/javascript', await bundleForPage(WORKER, HERE)],
  };
  server = await serveIsolated(files);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Report {
  mainThread: string;
  inline: ToyResult;
  isolated: boolean;
  runs: Record<number, ToyResult[]>;
  owners: Record<number, number[]>;
  trap: Record<number, string>;
}

test('runs kernel calls on nested Blob workers over shared memory in an isolated page’s worker, and refuses the main thread', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  const report = (await page.evaluate(() => (window as unknown as { result: Promise<unknown> }).result)) as Report;
  expect(report.mainThread).toMatch(/^createParallelRunner: 2 threads need a thread that may block in Atomics\.wait, and a page's main thread may not\. Run the kernels in a Web Worker/);
  const want = (count: number, seed: number) => {
    const { sums, counts, scaled } = expectedToyBatch(count, seed);
    return { sums, counts, scaled };
  };
  const { sums, counts, scaled } = report.inline;
  expect({ sums, counts, scaled }).toEqual(want(12, 0));
  expect(report.isolated).toBe(true);
  for (const threads of [1, 2, 3]) {
    report.runs[threads].forEach((got, b) => {
      expect({ sums: got.sums, counts: got.counts, scaled: got.scaled }).toEqual(want(...BATCHES[b]));
      expect(got.owners.every((t) => t >= 0 && t < threads)).toBe(true);
    });
  }
  for (const threads of [2, 3]) {
    expect(report.owners[threads].every((t) => t >= 0 && t < threads)).toBe(true);
    expect(new Set(report.owners[threads]).size).toBeGreaterThan(1);
    expect(report.trap[threads]).toMatch(/^run: call 0 \('trapInWorker', rows \[\d+, \d+\)\) failed on thread [12]: RuntimeError: unreachable/);
  }
  expect(browser.errorsOf(page)).toEqual([]);
});
