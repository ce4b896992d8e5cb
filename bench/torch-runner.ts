import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { promisify } from 'node:util';
import type { Backbone } from '../kernels/transfer/index.ts';
import type { Runner } from './node-runners.ts';
import type { ParityInputs } from './inputs.ts';
import { maxAbsDiff, type Timed } from './timing.ts';

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

/**
 * A PyTorch peer: `peers/torch_bench.py --serve` for one mode, kept running
 * and timed on request (it times inside Python, so process overhead is not
 * counted). `eager`: tutorial defaults (eval + no_grad, NCHW, default threads
 * and malloc). `optimised`: frozen TorchScript, channels-last,
 * inference_mode, every core, MALLOC_MMAP_MAX_=0. The script refuses to time
 * (exit 3) when its features differ from Tailor's by more than 1e-3; this
 * then throws with the difference, and the difference is re-checked here
 * from the features file it wrote.
 */
export async function torchRunner(net: Backbone, modelDir: string, inputs: ParityInputs, mode: 'eager' | 'optimised', outDir: string): Promise<Runner & { torch: string }> {
  const featuresOut = path.resolve(outDir, `${net.info.id}-torch-${mode}-features.f32`);
  const threads = os.availableParallelism();
  const args = [
    path.join(PEERS, 'torch_bench.py'), '--serve', '--model-dir', path.resolve(modelDir), '--feature-layer', net.info.featureLayer, '--pool', net.info.pool ? '1' : '0',
    '--size', String(net.info.inputSize), '--mode', mode, '--input', path.resolve(inputs.inputFile), '--expect', path.resolve(inputs.expectFile),
    '--dim', String(net.info.featureDim), '--features-out', featuresOut, ...(mode === 'optimised' ? ['--threads', String(threads)] : []),
  ];
  const env = { ...process.env, ...(mode === 'optimised' ? { MALLOC_MMAP_MAX_: '0' } : {}) };
  if (mode === 'eager') delete env.MALLOC_MMAP_MAX_;
  const child = spawn(PYTHON, args, { env, cwd: PEERS, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) {
      const code = await exited;
      throw new Error(`torch-${mode} on ${net.info.id} exited (${code}): ${stderr.trim().split('\n').slice(-2).join(' ')}`);
    }
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const kill = () => {
    child.stdin.end();
    child.kill();
  };
  let report: Record<string, unknown>;
  try {
    report = await next();
  } catch (error) {
    kill();
    throw error;
  }
  if (report.error) {
    kill();
    throw new Error(`torch-${mode} on ${net.info.id}: ${String(report.error)}`);
  }
  const parity = maxAbsDiff(new Float32Array(fs.readFileSync(featuresOut).buffer.slice(0)), inputs.expected);
  const torch = String(report.torch);
  const details = mode === 'eager'
    ? `PyTorch ${torch} eager, tutorial defaults (eval, no_grad, NCHW, default threads and malloc)`
    : `PyTorch ${torch}, frozen TorchScript, channels-last, inference_mode, MALLOC_MMAP_MAX_=0`;
  return {
    info: { runner: `torch-${mode}`, tailor: false, threads: Number(report.threads), ceiling: 'native', details },
    parity,
    torch,
    async prepare(batch): Promise<Timed> {
      return {
        async run(calls) {
          child.stdin.write(`${JSON.stringify({ batch, calls })}\n`);
          return Number((await next()).seconds);
        },
        release() {},
      };
    },
    async dispose() {
      kill();
      await exited;
    },
  };
}

/** Exports the PyTorch port with torch.onnx.export for the ONNX Runtime peer; returns the .onnx path. */
export async function exportTorchOnnx(net: Backbone, modelDir: string, outDir: string): Promise<string> {
  const out = path.resolve(outDir, `${net.info.id}-torch.onnx`);
  await run(PYTHON, [path.join(PEERS, 'torch_export_onnx.py'), '--model-dir', path.resolve(modelDir), '--feature-layer', net.info.featureLayer, '--pool', net.info.pool ? '1' : '0', '--size', String(net.info.inputSize), '--out', out], { cwd: PEERS });
  return out;
}
