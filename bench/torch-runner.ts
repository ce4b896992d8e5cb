import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Backbone } from '../kernels/transfer/index.ts';
import type { Runner } from './node-runners.ts';
import type { ParityInputs } from './inputs.ts';
import { maxAbsDiff, type Timed } from './timing.ts';

const PEERS = path.join(import.meta.dirname, 'peers');
/** Debian's Python, which has python3-torch (the `python3` first on PATH may be another one). */
export const PYTHON = process.env.TAILOR_BENCH_PYTHON ?? '/usr/bin/python3';

type Mode = 'eager' | 'optimised';

/**
 * The PyTorch version, or undefined with what to install. Starts both PyTorch
 * processes (the version comes from their first line), so torch is imported
 * while the run does other work, and only twice per run.
 */
export async function torchVersion(): Promise<{ version?: string; problem?: string }> {
  try {
    const [eager] = await Promise.all([startServer('eager'), startServer('optimised')]);
    return { version: eager.torch };
  } catch (error) {
    await closeTorchServers();
    return {
      problem: `PyTorch is not importable by ${PYTHON} (${(error as Error).message.split('\n')[0]}): install it with \`apt-get install -y python3-torch\` (Debian) to measure the PyTorch peers.`,
    };
  }
}

/**
 * One `peers/torch_bench.py` process per mode, serving every backbone of the
 * run (torch imported once, not once per backbone and runner). Requests
 * queue: one answer per request line, in order.
 */
interface TorchServer {
  /** torch.__version__ */
  torch: string;
  request(message: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const servers = new Map<Mode, Promise<TorchServer>>();

function startServer(mode: Mode): Promise<TorchServer> {
  let server = servers.get(mode);
  if (server) return server;
  server = (async () => {
    const args = [path.join(PEERS, 'torch_bench.py'), '--mode', mode, ...(mode === 'optimised' ? ['--threads', String(os.availableParallelism())] : [])];
    const env = { ...process.env, ...(mode === 'optimised' ? { MALLOC_MMAP_MAX_: '0' } : {}) };
    if (mode === 'eager') delete env.MALLOC_MMAP_MAX_;
    const child: ChildProcessWithoutNullStreams = spawn(PYTHON, args, { env, cwd: PEERS, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.on('error', (error) => (stderr += `\n${error.message}`));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const next = async (): Promise<Record<string, unknown>> => {
      const line = await lines.next();
      if (line.done) {
        const code = await exited;
        throw new Error(`the torch-${mode} process exited (${code}): ${stderr.trim().split('\n').slice(-2).join(' ')}`);
      }
      return JSON.parse(line.value) as Record<string, unknown>;
    };
    let queue: Promise<unknown> = next();
    const hello = (await queue) as { torch?: string };
    return {
      torch: String(hello.torch),
      request(message) {
        const answer = queue.then(() => {
          child.stdin.write(`${JSON.stringify(message)}\n`);
          return next();
        });
        queue = answer.catch(() => undefined);
        return answer;
      },
      async close() {
        child.stdin.end();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        child.kill();
      },
    };
  })();
  server.catch(() => servers.delete(mode));
  servers.set(mode, server);
  return server;
}

/** Stops the PyTorch processes (at the end of the run). */
export async function closeTorchServers(): Promise<void> {
  const all = [...servers.values()];
  servers.clear();
  await Promise.all(all.map(async (s) => (await s.catch(() => undefined))?.close()));
}

const modelArgs = (net: Backbone, modelDir: string) => ({
  modelDir: path.resolve(modelDir),
  featureLayer: net.info.featureLayer,
  pool: net.info.pool ? 1 : 0,
  size: net.info.inputSize,
});

let nextKey = 0;

/**
 * A PyTorch peer for one backbone, served by the mode's shared process and
 * timed on request (it times inside Python, so process overhead is not
 * counted). `eager`: tutorial defaults (eval + no_grad, NCHW, default threads
 * and malloc). `optimised`: frozen TorchScript, channels-last,
 * inference_mode, every core, MALLOC_MMAP_MAX_=0. The process refuses to keep
 * a network whose features differ from Tailor's by more than 1e-3; this then
 * throws with the difference, and the difference is re-checked here from the
 * features file it wrote.
 */
export async function torchRunner(net: Backbone, modelDir: string, inputs: ParityInputs, mode: Mode, outDir: string): Promise<Runner & { torch: string }> {
  const server = await startServer(mode);
  const featuresOut = path.resolve(outDir, `${net.info.id}-torch-${mode}-features.f32`);
  const key = `${net.info.id}#${nextKey++}`;
  const report = await server.request({
    op: 'load', key, ...modelArgs(net, modelDir), input: path.resolve(inputs.inputFile), expect: path.resolve(inputs.expectFile),
    dim: net.info.featureDim, featuresOut, tolerance: 1e-3,
  });
  if (report.error) throw new Error(`torch-${mode} on ${net.info.id}: ${String(report.error)}`);
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
          const answer = await server.request({ op: 'time', key, batch, calls });
          if (answer.error) throw new Error(`torch-${mode} on ${net.info.id}: ${String(answer.error)}`);
          return Number(answer.seconds);
        },
        release() {},
      };
    },
    async dispose() {
      await server.request({ op: 'drop', key });
    },
  };
}

/**
 * Exports the PyTorch port with torch.onnx.export for the ONNX Runtime peer
 * (in the eager process, which is started anyway); returns the .onnx path.
 */
export async function exportTorchOnnx(net: Backbone, modelDir: string, outDir: string): Promise<string> {
  const out = path.resolve(outDir, `${net.info.id}-torch.onnx`);
  const answer = await (await startServer('eager')).request({ op: 'export', ...modelArgs(net, modelDir), out });
  if (answer.error) throw new Error(`torch.onnx.export of ${net.info.id}: ${String(answer.error)}`);
  return out;
}
