/**
 * Where the time of the fused backbone goes in Chromium: the bench page
 * (`bench/browser/`, built with the app's Vite config, served cross-origin
 * isolated) profiles it per kernel in a module worker on TF.js wasm with
 * SIMD and `--threads` threads (default: one per core, TF.js's cap lifted as
 * the kernel does), on real ants/bees photos; then single convolutions
 * alone (the GEMM and depthwise speed of this wasm build) and one thread's
 * wasm SIMD peak (mul+add, and relaxed_madd).
 *
 *   npx tsx tests/bench/page-op-profile.ts [--backbones a,b] [--batches 1,8] [--threads 1,2] [--detail] [--no-kernels]
 *   npx tsx tests/bench/page-op-profile.ts --variants 8,32 [--only a,b] [--runs 5]   (img/s of the run strategies instead)
 *   npx tsx tests/bench/page-op-profile.ts --parallel 8 [--runs 5]   (one worker × N threads vs N workers × 1 thread, batch 8)
 *
 * Run under `flock /tmp/bench.lock` on a shared machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { profileTable, type KernelSpeed, type OpProfile } from '../../bench/browser/op-profile.ts';
import { serveBenchPage } from '../../bench/browser/serve.ts';
import type { SimdPeak } from '../../bench/browser/simd-peak.ts';
import { launchChromium } from '../browser/chromium.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

type Bench = { start(): number; call(id: number, op: string, args?: Record<string, unknown>): Promise<unknown>; stop(id: number): void };

async function inWorker<T>(page: Page, op: string, args: Record<string, unknown> = {}): Promise<T> {
  return page.evaluate(async ([o, a]) => {
    const bench = (globalThis as unknown as { tailorBench: Bench }).tailorBench;
    const id = bench.start();
    try {
      return await bench.call(id, o, a);
    } finally {
      bench.stop(id);
    }
  }, [op, args] as const) as Promise<T>;
}

/**
 * Throughput of one worker running the backbone on `threads` wasm threads
 * (XNNPACK splits every op) against `threads` workers on 1 thread each
 * splitting the images (data-parallel), interleaved, median of `runs`.
 */
async function compareParallel(page: Page, backbones: string[], batch: number, threads: number, runs: number): Promise<void> {
  for (const backbone of backbones) {
    const rates = await page.evaluate(
      async ([b, n, t, r]) => {
        const bench = (globalThis as unknown as { tailorBench: Bench }).tailorBench;
        const one = bench.start();
        const many = Array.from({ length: t }, () => bench.start());
        await bench.call(one, 'load', { backbone: b, threads: t, batch: n });
        for (const id of many) await bench.call(id, 'load', { backbone: b, threads: 1, batch: n });
        const calls = 4;
        const out = { intraOp: [] as number[], dataParallel: [] as number[] };
        for (let i = -1; i < r; i++) {
          let t0 = performance.now();
          await bench.call(one, 'loop', { calls: calls * t });
          const a = (calls * t * n * 1000) / (performance.now() - t0);
          t0 = performance.now();
          await Promise.all(many.map((id) => bench.call(id, 'loop', { calls })));
          const d = (calls * t * n * 1000) / (performance.now() - t0);
          if (i >= 0) {
            out.intraOp.push(a);
            out.dataParallel.push(d);
          }
        }
        for (const id of [one, ...many]) {
          await bench.call(id, 'release');
          bench.stop(id);
        }
        return out;
      },
      [backbone, batch, threads, runs] as const,
    );
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    const show = (v: number[]) => `${med(v).toFixed(1)} [${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}]`;
    console.log(`\n## ${backbone}, batch ${batch}: 1 worker × ${threads} threads ${show(rates.intraOp)} img/s; ${threads} workers × 1 thread ${show(rates.dataParallel)} img/s`);
  }
}

const root = path.resolve(import.meta.dirname, '../..');
const backbones = option('--backbones', 'mobilenet_v1_0.75_224,mobilenet_v1_0.25_224').split(',');
const batches = option('--batches', '1,8').split(',').map(Number);
const threadCounts = option('--threads', String(os.cpus().length)).split(',').map(Number);
const detail = process.argv.includes('--detail');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-page-profile-'));
const server = await serveBenchPage(root, outDir);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => 'tailorBench' in globalThis);
  const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
  console.log(`Chromium ${browser.context.browser()?.version() ?? ''}, isolated ${isolated}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const peak = await inWorker<SimdPeak>(page, 'simdPeak');
  console.log(`wasm SIMD peak, 1 thread: f32x4.mul+add ${peak.mulAdd.toFixed(1)} GFLOP/s; f32x4.relaxed_madd ${peak.relaxedMadd?.toFixed(1) ?? 'not available'} GFLOP/s`);
  if (process.argv.includes('--parallel')) {
    await compareParallel(page, backbones, Number(option('--parallel', '8')), threadCounts[0], Number(option('--runs', '5')));
  } else {
    await profileAll(page);
  }
  if (browser.errorsOf(page).length) console.log('page errors:', browser.errorsOf(page));
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(outDir, { recursive: true, force: true });
}

/** The per-kernel profiles (or `--variants` rates) and single-kernel speeds for every thread count and backbone. */
async function profileAll(page: Page): Promise<void> {
  const variants = process.argv.includes('--variants') ? option('--variants', '8,32').split(',').map(Number) : undefined;
  const only = process.argv.includes('--only') ? option('--only', '').split(',') : undefined;
  for (const threads of threadCounts) {
    for (const backbone of backbones) {
      if (variants) {
        const reply = await inWorker<{ threads: number; rates: Array<{ name: string; batch: number; imgPerSec: number; min: number; max: number }> }>(page, 'variants', {
          backbone,
          threads,
          batches: variants,
          only,
          runs: Number(option('--runs', '5')),
        });
        console.log(`\n## ${backbone}: run strategies in Chromium, ${reply.threads} thread(s), img/s (median [min–max], interleaved)\n`);
        for (const r of reply.rates) console.log(`batch ${r.batch} ${r.name}: ${r.imgPerSec.toFixed(1)} [${r.min.toFixed(1)}–${r.max.toFixed(1)}]`);
        continue;
      }
      const reply = await inWorker<{ threads: number; simd: boolean; profiles: OpProfile[] }>(page, 'profile', { backbone, threads, batches });
      for (const p of reply.profiles) {
        console.log(`\n## ${backbone} fused, Chromium wasm (${reply.simd ? 'SIMD' : 'no SIMD'}, ${reply.threads} thread${reply.threads === 1 ? '' : 's'})\n`);
        console.log(profileTable(p, detail));
      }
    }
    if (!process.argv.includes('--no-kernels') && !variants) {
      const k = await inWorker<{ threads: number; kernels: KernelSpeed[] }>(page, 'kernels', { threads });
      console.log(`\n## Single kernels alone, ${k.threads} thread(s) (relu6 fused, median of 7)\n`);
      console.log('| kernel | ms | GFLOP/s |\n| --- | ---: | ---: |');
      for (const r of k.kernels) console.log(`| ${r.what} | ${r.ms.toFixed(2)} | ${r.gflops.toFixed(1)} |`);
    }
  }
}
