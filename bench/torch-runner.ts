import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Backbone } from '../kernels/transfer/index.ts';
import type { RunnerInfo } from './figures.ts';
import type { ParityInputs } from './inputs.ts';
import { maxAbsDiff, summarise, type Throughput, type TimingPlan } from './timing.ts';

const run = promisify(execFile);
const PEERS = path.join(import.meta.dirname, 'peers');
/** Debian's Python, which has python3-torch (the `python3` first on PATH may be another one). */
export const PYTHON = process.env.TAILOR_BENCH_PYTHON ?? '/usr/bin/python3';

/** The PyTorch version, or undefined with what to install. */
export async function torchVersion(): Promise<{ version?: string; problem?: string }> {
  try {
    const { stdout } = await run(PYTHON, ['-c', 'import torch; print(torch.__version__)']);
    return { version: stdout.trim() };
  } catch {
    return { problem: `PyTorch is not importable by ${PYTHON}: install it with \`apt-get install -y python3-torch\` (Debian) to measure the PyTorch peers.` };
  }
}

/** PyTorch peer figures, timed in the Python process after its own parity check. */
export interface TorchResult {
  info: RunnerInfo;
  parity: number;
  throughputs: Throughput[];
  torch: string;
}

/**
 * Runs `peers/torch_bench.py` for one mode. `eager`: tutorial defaults
 * (eval + no_grad, NCHW, default threads and malloc). `optimised`: frozen
 * TorchScript, channels-last, inference_mode, 2 threads, MALLOC_MMAP_MAX_=0.
 * The script refuses to time (exit 3) when its features differ from Tailor's
 * by more than 1e-3; this function then throws with the difference, and
 * re-checks the difference from the features file it wrote.
 */
export async function torchRunner(net: Backbone, modelDir: string, inputs: ParityInputs, mode: 'eager' | 'optimised', batches: number[], plan: TimingPlan, outDir: string): Promise<TorchResult> {
  const featuresOut = path.resolve(outDir, `${net.info.id}-torch-${mode}-features.f32`);
  const threads = os.availableParallelism();
  const args = [
    path.join(PEERS, 'torch_bench.py'), '--model-dir', path.resolve(modelDir), '--feature-layer', net.info.featureLayer, '--pool', net.info.pool ? '1' : '0',
    '--size', String(net.info.inputSize), '--mode', mode, '--input', path.resolve(inputs.inputFile), '--expect', path.resolve(inputs.expectFile), '--dim', String(net.info.featureDim),
    '--features-out', featuresOut, '--batches', batches.join(','), '--runs', String(plan.runs), '--warmup', String(plan.warmup),
    '--images-per-run', String(plan.imagesPerRun), ...(mode === 'optimised' ? ['--threads', String(threads)] : []),
  ];
  const env = { ...process.env, ...(mode === 'optimised' ? { MALLOC_MMAP_MAX_: '0' } : {}) };
  if (mode === 'eager') delete env.MALLOC_MMAP_MAX_;
  let stdout: string;
  try {
    ({ stdout } = await run(PYTHON, args, { env, cwd: PEERS, maxBuffer: 1 << 24 }));
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const report = e.stdout ? (JSON.parse(e.stdout.trim().split('\n').pop()!) as { error?: string }) : undefined;
    throw new Error(`torch-${mode} on ${net.info.id}: ${report?.error ?? e.stderr?.trim().split('\n').slice(-3).join(' ') ?? e.message}`);
  }
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as { torch: string; threads: number; figures: Array<{ batch: number; imgPerSec: number[] }> };
  const parity = maxAbsDiff(new Float32Array(fs.readFileSync(featuresOut).buffer.slice(0)), inputs.expected);
  if (!(parity <= 1e-3)) throw new Error(`torch-${mode} on ${net.info.id}: features differ from Tailor's by ${parity}; its timings are discarded.`);
  const details = mode === 'eager'
    ? `PyTorch ${report.torch} eager, tutorial defaults (eval, no_grad, NCHW, default threads and malloc)`
    : `PyTorch ${report.torch}, frozen TorchScript, channels-last, inference_mode, MALLOC_MMAP_MAX_=0`;
  return {
    info: { runner: `torch-${mode}`, tailor: false, threads: report.threads, ceiling: 'native', details },
    parity,
    throughputs: report.figures.map((f) => summarise(f.batch, f.imgPerSec)),
    torch: report.torch,
  };
}

/** Exports the PyTorch port with torch.onnx.export for the ONNX Runtime peer; returns the .onnx path. */
export async function exportTorchOnnx(net: Backbone, modelDir: string, outDir: string): Promise<string> {
  const out = path.resolve(outDir, `${net.info.id}-torch.onnx`);
  await run(PYTHON, [path.join(PEERS, 'torch_export_onnx.py'), '--model-dir', path.resolve(modelDir), '--feature-layer', net.info.featureLayer, '--pool', net.info.pool ? '1' : '0', '--size', String(net.info.inputSize), '--out', out], { cwd: PEERS });
  return out;
}
