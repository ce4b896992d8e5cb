/**
 * The browser half of the bench for one backbone: Tailor's fused backbone on
 * TF.js wasm with every core (the kernel worker's setup), the layers model,
 * onnxruntime-web and the webgl reference, each in its own worker in one
 * cross-origin isolated Chromium page, parity-checked, then timed
 * interleaved per batch size; plus `extractFeatures` end to end in the page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeChain, exportOnnx, type Backbone } from '../kernels/transfer/index.ts';
import { browserRunner, type BenchBrowser, type BrowserRunner } from './browser-runners.ts';
import type { BrowserRunnerKind } from './browser/runner-worker.ts';
import type { RunnerInfo } from './figures.ts';
import { measureInterleaved, type Throughput, type TimingPlan } from './timing.ts';

export interface BrowserPlan {
  batches: number[];
  timing: TimingPlan;
  /** The plan of one batch size (default: `timing`). */
  timingFor?: (batch: number) => TimingPlan;
  /** End-to-end runs go over this many slices of the photos in turn (1: every run over all). */
  endToEndParts?: number;
  /** Also time the webgl reference (software WebGL here: slow). */
  webgl: boolean;
  /** Also time Tailor's fused chain on TF.js's wasm kernels (what its SIMD engine replaced). */
  tfjsFused: boolean;
  /** Runs of `extractFeatures` over the ants/bees set in the page (0: none). */
  endToEndRuns: number;
  parityLimit: number;
}

export interface BrowserMeasurement {
  /** One entry per runner and batch (scope backbone) plus Tailor's end to end. */
  timed: Array<{ info: RunnerInfo; parity: number; throughput: Throughput; scope: 'backbone' | 'end-to-end' }>;
  backends: Record<string, unknown>;
  skipped: string[];
}

/**
 * The ONNX graph onnxruntime-web runs: the PyTorch port's export when the
 * Node half wrote it (the same file ONNX Runtime's Node figure uses), else
 * Tailor's own export of the folded backbone (NHWC).
 */
function onnxForPage(net: Backbone, outDir: string): { file: string; details: string; layout: 'nchw' | 'nhwc' } {
  const torchFile = `${net.info.id}-torch.onnx`;
  if (fs.existsSync(path.join(outDir, torchFile))) return { file: torchFile, details: 'torch.onnx.export of the PyTorch port (NCHW)', layout: 'nchw' };
  const file = `${net.info.id}-tailor.onnx`;
  fs.writeFileSync(path.join(outDir, file), exportOnnx(describeChain(net)));
  return { file, details: "Tailor's TypeScript ONNX export (NHWC; no PyTorch here for the port)", layout: 'nhwc' };
}

export async function measureBrowser(browser: BenchBrowser, net: Backbone, outDir: string, plan: BrowserPlan, log: (...m: unknown[]) => void): Promise<BrowserMeasurement> {
  const id = net.info.id;
  const skipped: string[] = [];
  const backends: Record<string, unknown> = {};
  const ready: BrowserRunner[] = [];
  const kinds: Array<[BrowserRunnerKind, Record<string, unknown>]> = [
    ['tailor-wasm', {}],
    ['tfjs-layers', {}],
    ['onnxruntime-web', { onnx: onnxForPage(net, outDir) }],
  ];
  if (plan.webgl) kinds.push(['tailor-webgl', {}]);
  // What Tailor's own SIMD kernels buy: the same fused chain on TF.js's wasm kernels (every core).
  if (plan.tfjsFused) kinds.push(['tailor-wasm', { runner: 'tailor-tfjs-fused', simd: false }]);
  for (const [kind, extra] of kinds) {
    try {
      const runner = await browserRunner(browser, kind, id, extra);
      backends[kind] = runner.backend;
      if (runner.parity <= plan.parityLimit) {
        ready.push(runner);
        continue;
      }
      skipped.push(`browser ${kind} on ${id}: features differ from Tailor's by ${runner.parity} (> ${plan.parityLimit}); not timed.`);
      await runner.dispose();
    } catch (error) {
      skipped.push(`browser ${kind} on ${id}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const timed: BrowserMeasurement['timed'] = [];
  try {
    for (const batch of plan.batches) {
      const measured = await measureInterleaved(ready.map((r) => ({ key: r.info.runner, prepare: () => r.prepare(batch) })), batch, plan.timingFor?.(batch) ?? plan.timing);
      for (const r of ready) {
        const throughput = measured.get(r.info.runner)!;
        timed.push({ info: r.info, parity: r.parity, throughput, scope: 'backbone' });
        log(`browser ${r.info.runner.padEnd(16)} batch ${String(batch).padStart(2)}: ${throughput.median.toFixed(1)} img/s [${throughput.min.toFixed(1)}–${throughput.max.toFixed(1)}]`);
      }
    }
    const tailor = ready.find((r) => r.info.runner === 'tailor-wasm');
    if (tailor && plan.endToEndRuns > 0) {
      const throughput = await tailor.endToEnd(32, plan.endToEndRuns, plan.endToEndParts ?? 1);
      timed.push({ info: tailor.info, parity: 0, throughput, scope: 'end-to-end' });
      log(`browser tailor-wasm end-to-end batch 32: ${throughput.median.toFixed(1)} img/s`);
    }
  } finally {
    for (const r of ready) await r.dispose();
  }
  return { timed, backends, skipped };
}
