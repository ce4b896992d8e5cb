/**
 * Browser runners: headless Chromium (playwright-core, the system's
 * Chromium as the browser tests use it) opens the bench page cross-origin
 * isolated; each runner lives in its own module worker there and is timed
 * inside the page (`bench/browser/runner-worker.ts`), so only inference is
 * on the clock. They plug into the same interleaved timing as the Node runners.
 */
import type { Page } from 'playwright-core';
import { launchChromium, type ChromiumSession } from '../tests/browser/chromium.ts';
import type { BrowserRunnerKind } from './browser/runner-worker.ts';
import { serveBenchPage, type BenchServer } from './browser/serve.ts';
import type { RunnerInfo } from './figures.ts';
import type { Runner } from './node-runners.ts';
import { summarise, type Throughput } from './timing.ts';

/** The browser page the runners live in. */
export interface BenchBrowser {
  page: Page;
  /** Chromium's version, isolation, cores. */
  info: { chromium: string; isolated: boolean; cores: number };
  close(): Promise<void>;
}

type Bench = { start(): number; call(id: number, op: string, args?: Record<string, unknown>): Promise<unknown>; stop(id: number): void };

/** Builds and serves the bench page and opens it in headless Chromium (SwiftShader WebGL allowed, for the webgl reference). */
export async function openBenchBrowser(root: string, outDir: string): Promise<BenchBrowser> {
  const server: BenchServer = await serveBenchPage(root, outDir);
  let browser: ChromiumSession | undefined;
  try {
    browser = await launchChromium(['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist']);
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'tailorBench' in globalThis);
    const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const session = browser;
    return {
      page,
      info: { chromium: session.context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent)), isolated, cores },
      async close() {
        await session.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}

function call<T>(page: Page, worker: number, op: string, args: Record<string, unknown> = {}): Promise<T> {
  return page.evaluate(([w, o, a]) => (globalThis as unknown as { tailorBench: Bench }).tailorBench.call(w, o, a), [worker, op, args] as const) as Promise<T>;
}

const DESCRIPTIONS: Record<BrowserRunnerKind, Omit<RunnerInfo, 'threads' | 'details'>> = {
  'tailor-wasm': { runner: 'tailor-wasm', tailor: true, ceiling: 'simd128' },
  'tfjs-layers': { runner: 'tfjs-layers', tailor: false, ceiling: 'simd128' },
  'tailor-webgl': { runner: 'tailor-webgl', tailor: false, ceiling: 'simd128' },
  'onnxruntime-web': { runner: 'onnxruntime-web', tailor: false, ceiling: 'simd128' },
};

/** What `init` returns from the worker. */
interface InitReply {
  parity: number;
  threads: number;
  details: string;
  simd: boolean;
  backend: string;
  isolated: boolean;
}

/** A browser runner; `backend` says what it really ran on (wasm with SIMD, webgl, ort-wasm). */
export interface BrowserRunner extends Runner {
  backend: { backend: string; simd: boolean; threads: number; isolated: boolean };
  /** `extractFeatures` over the ants/bees set in the page (Tailor's wasm runner only); run r over slice r mod `parts`. */
  endToEnd(batch: number, runs: number, parts?: number): Promise<Throughput>;
}

/**
 * Starts a runner of `kind` for `backbone` in a fresh worker and checks its
 * parity against Tailor's Node features. `tailor-webgl` is a reference
 * (software WebGL here), not a peer Tailor must beat, so it is marked
 * `tailor: false` but excluded from ratios by the caller.
 */
export async function browserRunner(b: BenchBrowser, kind: BrowserRunnerKind, backbone: string, extra: Record<string, unknown> = {}): Promise<BrowserRunner> {
  const worker = await b.page.evaluate(() => (globalThis as unknown as { tailorBench: Bench }).tailorBench.start());
  const stop = () => b.page.evaluate((w) => (globalThis as unknown as { tailorBench: Bench }).tailorBench.stop(w), worker);
  try {
    const reply = await call<InitReply>(b.page, worker, 'init', { kind, backbone, ...extra });
    // `runner` renames a variant (e.g. Tailor's path at TF.js's default thread count), which is then compared like a peer.
    const named = typeof extra.runner === 'string' ? { runner: extra.runner, tailor: false } : {};
    return {
      info: { ...DESCRIPTIONS[kind], ...named, threads: reply.threads, details: `Chromium: ${reply.details}` },
      parity: reply.parity,
      backend: { backend: reply.backend, simd: reply.simd, threads: reply.threads, isolated: reply.isolated },
      async prepare(batch) {
        await call(b.page, worker, 'prepare', { batch });
        return {
          run: (calls) => call<number>(b.page, worker, 'run', { calls }),
          release: () => call<void>(b.page, worker, 'release'),
        };
      },
      async endToEnd(batch, runs, parts = 1) {
        return summarise(batch, await call<number[]>(b.page, worker, 'endToEnd', { batch, runs, parts }));
      },
      async dispose() {
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
