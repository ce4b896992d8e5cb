/**
 * Runs kernel calls of one wasm module over several threads that share its
 * `WebAssembly.Memory` (`createParallelRunner`). The calling thread is
 * thread 0 and works too; the others are Web Workers (nested Blob-URL workers
 * of the kernel's worker, which inherit its cross-origin isolation) or Node
 * `worker_threads`, all running `WORKER_SOURCE`.
 *
 * A batch of calls is written once into a SharedArrayBuffer control block
 * and started by bumping a generation counter. For each call, every thread
 * claims chunks of rows from a shared counter (`Atomics.compareExchange`),
 * guided: each claim takes ⌈rows left / (threads · 4)⌉ rows (rounded up to a
 * multiple of the call's `grain`, e.g. the GEMM's tile height), so chunks start
 * at an eighth of the rows on 2 threads and shrink to single rows at the end
 * — a thread slowed down by another process does not hold the rest back, and
 * 14 rows on 2 threads end 7 + 7 — then waits until every row of the call is
 * done before starting the next one.
 * Waits spin for `spinMicros` (default 150 µs: a whole MobileNet pass at
 * batch 1 is ~30 calls in ~10 ms) before blocking in `Atomics.wait`; idle
 * workers block there between batches and use no CPU. Thread 0 never waits
 * for a worker that has not joined a batch: one woken too late (say, its core
 * was busy) finds the batch closed and stays out.
 */
import type { Worker as NodeWorker } from 'node:worker_threads';
import { importNode, isNode } from '../env.ts';
import { CALL_F64, COMMAND, HEADER_INTS, SLOT, TEXT_CHARS, WORKER_SOURCE, type ControlLayout } from './thread-pool-worker.ts';
import type { KernelCall, ParallelRunner } from './types.ts';

export interface ParallelRunnerOptions {
  /** Microseconds a waiting thread spins before it blocks in `Atomics.wait` (default 150; 0 blocks at once). */
  spinMicros?: number;
  /** A claim takes 1/(threads · this) of a call's rows left (default 4); a tuning knob for benches. */
  chunksPerThread?: number;
}

/** A claim takes 1/(threads · this) of the rows left: smaller first chunks balance better under load, larger cost fewer claims. */
const CHUNKS_PER_THREAD = 4;
const DEFAULT_SPIN_MICROS = 150;
const INITIAL_CALLS = 64;
const INITIAL_ARGS = 64 * 16;

type ExportedFunction = (...args: number[]) => unknown;

/** A started worker, whichever kind. */
interface ThreadHandle {
  post(message: unknown): void;
  terminate(): void;
}

/**
 * Instantiates `moduleBytes` (which imports only `env.memory`) on `memory` in
 * the calling thread and in `threads − 1` workers, and resolves once every
 * worker is ready. `threads = 1` runs calls inline, without workers, and the
 * memory need not be shared. With more threads the memory must be shared and
 * the caller must be allowed to block (a Web Worker or Node, not a page's
 * main thread); otherwise, or when a worker cannot start, it rejects saying why.
 */
export async function createParallelRunner(
  moduleBytes: Uint8Array,
  memory: WebAssembly.Memory,
  threads: number,
  options: ParallelRunnerOptions = {},
): Promise<ParallelRunner> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`createParallelRunner: threads must be a whole number ≥ 1; got ${threads}.`);
  const spinMicros = options.spinMicros ?? DEFAULT_SPIN_MICROS;
  if (!(spinMicros >= 0)) throw new Error(`createParallelRunner: spinMicros must be ≥ 0; got ${spinMicros}.`);
  const module = await WebAssembly.compile(moduleBytes as BufferSource);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const names = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
  const fns = names.map((name) => instance.exports[name] as ExportedFunction);
  const lookup = (call: KernelCall, i: number): number => {
    const index = names.indexOf(call.fn);
    if (index < 0) throw new Error(`run: call ${i} names '${call.fn}', which the module does not export; it exports ${names.map((n) => `'${n}'`).join(', ')}.`);
    return index;
  };
  if (threads === 1) return inlineRunner(instance.exports, fns, lookup);
  if (typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) {
    throw new Error(
      `createParallelRunner: ${threads} threads need a shared WebAssembly.Memory (shared: true)` +
        (typeof SharedArrayBuffer === 'undefined' ? ', and SharedArrayBuffer, which a page only has when cross-origin isolated (COOP same-origin + COEP require-corp)' : '') +
        '; use threads = 1 otherwise.',
    );
  }
  if (!canBlock()) {
    throw new Error(
      `createParallelRunner: ${threads} threads need a thread that may block in Atomics.wait, and a page's main thread may not. ` +
        'Run the kernels in a Web Worker (as the Tailor kernel does), or use threads = 1.',
    );
  }
  const chunks = options.chunksPerThread ?? CHUNKS_PER_THREAD;
  if (!(Number.isInteger(chunks) && chunks >= 1)) throw new Error(`createParallelRunner: chunksPerThread must be a whole number ≥ 1; got ${chunks}.`);
  return pooledRunner(module, instance.exports, fns, lookup, memory, threads, spinMicros, chunks);
}

/** True when this thread may call `Atomics.wait` (not on a page's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function checkCall(call: KernelCall, i: number, fn: ExportedFunction): void {
  if (!Number.isInteger(call.rows) || call.rows < 0) throw new Error(`run: call ${i} ('${call.fn}') has rows ${call.rows}; rows must be a whole number ≥ 0.`);
  if (call.grain !== undefined && !(Number.isInteger(call.grain) && call.grain >= 1)) {
    throw new Error(`run: call ${i} ('${call.fn}') has grain ${call.grain}; grain must be a whole number ≥ 1 (or left out).`);
  }
  if (call.args.length + 3 !== fn.length) {
    throw new Error(`run: call ${i} ('${call.fn}') has ${call.args.length} args, but the function takes ${fn.length} parameters: args + (rowStart, rowEnd, thread).`);
  }
}

function inlineRunner(exports: WebAssembly.Exports, fns: ExportedFunction[], lookup: (call: KernelCall, i: number) => number): ParallelRunner {
  return {
    threads: 1,
    exports,
    run(calls) {
      const resolved = calls.map((call, i) => {
        const fn = fns[lookup(call, i)];
        checkCall(call, i, fn);
        return fn;
      });
      calls.forEach((call, i) => {
        if (call.rows === 0) return;
        try {
          resolved[i](...call.args, 0, call.rows, 0);
        } catch (error) {
          throw new Error(`run: call ${i} ('${call.fn}', rows [0, ${call.rows})) failed on thread 0: ${describe(error)}. The calls after it did not run; the runner can run again.`, { cause: error });
        }
      });
    },
    dispose() {},
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A control block with room for `maxCalls` calls and `maxArgs` arguments in all. */
function createControl(maxCalls: number, maxArgs: number, spinMicros: number): { buffer: SharedArrayBuffer; layout: ControlLayout } {
  const claimed = HEADER_INTS;
  const done = claimed + maxCalls;
  const textByte = (done + maxCalls) * 4;
  const table = Math.ceil((textByte + TEXT_CHARS * 2) / 8);
  const args = table + maxCalls * CALL_F64;
  const layout: ControlLayout = { maxCalls, maxArgs, claimed, done, text: textByte / 2, table, args, bytes: (args + maxArgs) * 8 };
  const buffer = new SharedArrayBuffer(layout.bytes);
  new Int32Array(buffer)[SLOT.spinMicros] = spinMicros;
  return { buffer, layout };
}

async function pooledRunner(
  module: WebAssembly.Module,
  exports: WebAssembly.Exports,
  fns: ExportedFunction[],
  lookup: (call: KernelCall, i: number) => number,
  memory: WebAssembly.Memory,
  threads: number,
  spinMicros: number,
  chunksPerThread: number,
): Promise<ParallelRunner> {
  let { buffer, layout } = createControl(INITIAL_CALLS, INITIAL_ARGS, spinMicros);
  let ctl = new Int32Array(buffer);
  let f64 = new Float64Array(buffer);
  const workers = await startWorkers(threads - 1, (thread) => ({ type: 'init', thread, module, memory, control: buffer, layout }));
  let disposed = false;

  const wait = spinWaiter(() => ctl, spinMicros);
  /** Waits until no worker is inside a batch (they read its table until they leave); late ones stay out. */
  const settle = () => wait.drop(SLOT.active, 0);
  /** Sends every worker a command through the generation counter. */
  const command = (code: number): number => {
    Atomics.store(ctl, SLOT.calls, code);
    const gen = Atomics.add(ctl, SLOT.gen, 1) + 1;
    Atomics.notify(ctl, SLOT.gen);
    return gen;
  };
  const grow = (calls: number, args: number) => {
    settle();
    const next = createControl(Math.max(calls, 2 * layout.maxCalls), Math.max(args, 2 * layout.maxArgs), spinMicros);
    // The message is queued before the command, so each worker finds it when RELOAD returns it to its event loop.
    for (const worker of workers) worker.post({ type: 'control', control: next.buffer, layout: next.layout });
    command(COMMAND.reload);
    ({ buffer, layout } = next);
    ctl = new Int32Array(buffer);
    f64 = new Float64Array(buffer);
  };

  return {
    threads,
    exports,
    run(calls) {
      if (disposed) throw new Error('run: this ParallelRunner was disposed.');
      const indices = calls.map((call, i) => {
        const index = lookup(call, i);
        checkCall(call, i, fns[index]);
        return index;
      });
      const argCount = calls.reduce((sum, call) => sum + call.args.length, 0);
      if (calls.length > layout.maxCalls || argCount > layout.maxArgs) grow(calls.length, argCount);
      settle();
      let arg = 0;
      calls.forEach((call, i) => {
        const c = layout.table + i * CALL_F64;
        f64[c] = indices[i];
        f64[c + 1] = call.rows;
        f64[c + 2] = threads * chunksPerThread;
        f64[c + 3] = arg;
        f64[c + 4] = call.args.length;
        f64[c + 5] = call.grain ?? 1;
        f64.set(call.args, layout.args + arg);
        arg += call.args.length;
        ctl[layout.claimed + i] = 0;
        ctl[layout.done + i] = 0;
      });
      ctl[SLOT.fail] = 0;
      ctl[SLOT.failLength] = 0;
      const gen = command(calls.length); // seq-cst: the workers see everything written above
      runShare(calls.length);
      // Every row is done: a worker only now waking up for this batch must not walk into the next one's table.
      Atomics.store(ctl, SLOT.closed, gen);
      if (Atomics.load(ctl, SLOT.fail) !== 0) throw failure(calls);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      command(COMMAND.stop);
      for (const worker of workers) worker.terminate();
    },
  };

  /** Thread 0's share of the batch: the workers' `runBatch`, waiting for the last call too. */
  function runShare(n: number): void {
    for (let i = 0; i < n; i++) {
      const c = layout.table + i * CALL_F64;
      const rows = f64[c + 1];
      if (rows === 0) continue;
      const fn = fns[f64[c]];
      const parts = f64[c + 2];
      const first = layout.args + f64[c + 3];
      const argc = f64[c + 4];
      const grain = f64[c + 5];
      const args = Array.from(f64.subarray(first, first + argc));
      args.push(0, 0, 0);
      for (;;) {
        const start = Atomics.load(ctl, layout.claimed + i);
        if (start >= rows) break;
        const end = Math.min(rows, start + Math.ceil((rows - start) / (parts * grain)) * grain);
        if (Atomics.compareExchange(ctl, layout.claimed + i, start, end) !== start) continue;
        if (Atomics.load(ctl, SLOT.fail) === 0) {
          args[argc] = start;
          args[argc + 1] = end;
          try {
            fn(...args);
          } catch (error) {
            recordFailure(i, start, end, error);
          }
        }
        if (Atomics.add(ctl, layout.done + i, end - start) + end - start === rows) Atomics.notify(ctl, layout.done + i);
      }
      wait.reach(layout.done + i, rows);
    }
  }

  function recordFailure(call: number, start: number, end: number, error: unknown): void {
    if (Atomics.compareExchange(ctl, SLOT.fail, 0, 1) !== 0) return;
    const message = describe(error).slice(0, TEXT_CHARS);
    const text = new Uint16Array(buffer, layout.text * 2, TEXT_CHARS);
    for (let k = 0; k < message.length; k++) text[k] = message.charCodeAt(k);
    ctl[SLOT.failThread] = 0;
    ctl[SLOT.failCall] = call;
    ctl[SLOT.failStart] = start;
    ctl[SLOT.failEnd] = end;
    Atomics.store(ctl, SLOT.failLength, message.length);
  }

  function failure(calls: KernelCall[]): Error {
    const length = Atomics.load(ctl, SLOT.failLength);
    const text = new Uint16Array(buffer, layout.text * 2, length);
    const message = String.fromCharCode(...text);
    const call = ctl[SLOT.failCall];
    return new Error(
      `run: call ${call} ('${calls[call].fn}', rows [${ctl[SLOT.failStart]}, ${ctl[SLOT.failEnd]})) failed on thread ${ctl[SLOT.failThread]}: ${message}. ` +
        'The calls after it did not run; the runner can run again.',
    );
  }
}

/** Spin-then-block waits on the current control block. */
function spinWaiter(control: () => Int32Array, spinMicros: number) {
  return {
    /** Blocks until control[i] ≥ target. */
    reach(i: number, target: number): void {
      const ctl = control();
      let v = Atomics.load(ctl, i);
      if (v >= target) return;
      const until = performance.now() + spinMicros / 1000;
      for (let k = 1; ; k++) {
        if (Atomics.load(ctl, i) >= target) return;
        if ((k & 63) === 0 && performance.now() > until) break;
      }
      while ((v = Atomics.load(ctl, i)) < target) Atomics.wait(ctl, i, v);
    },
    /** Blocks until control[i] ≤ target. */
    drop(i: number, target: number): void {
      const ctl = control();
      let v = Atomics.load(ctl, i);
      if (v <= target) return;
      const until = performance.now() + spinMicros / 1000;
      for (let k = 1; ; k++) {
        if (Atomics.load(ctl, i) <= target) return;
        if ((k & 63) === 0 && performance.now() > until) break;
      }
      while ((v = Atomics.load(ctl, i)) > target) Atomics.wait(ctl, i, v);
    },
  };
}

/** Starts `count` workers on `WORKER_SOURCE` (threads 1 … count), sends each its init message, resolves when all are ready. */
async function startWorkers(count: number, init: (thread: number) => unknown): Promise<ThreadHandle[]> {
  const starts = Array.from({ length: count }, (_, k) => (isNode() ? startNodeWorker(init(k + 1)) : startWebWorker(init(k + 1))));
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const s of settled) if (s.status === 'fulfilled') s.value.terminate();
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<ThreadHandle>).value);
}

function startError(reason: string): Error {
  return new Error(`createParallelRunner: a kernel thread could not start: ${reason}`);
}

async function startNodeWorker(init: unknown): Promise<ThreadHandle> {
  const { Worker } = await importNode<typeof import('node:worker_threads')>('node:worker_threads');
  const worker: NodeWorker = new Worker(WORKER_SOURCE, { eval: true });
  return new Promise((resolve, reject) => {
    let ready = false;
    worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') {
        ready = true;
        // Blocked in Atomics.wait between batches, it must not keep the process alive.
        worker.unref();
        resolve({ post: (message) => worker.postMessage(message), terminate: () => void worker.terminate() });
      } else if (m.type === 'error') {
        reject(startError(m.message ?? 'unknown error'));
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      if (!ready) reject(startError(describe(error)));
    });
    worker.on('exit', (code) => {
      if (!ready) reject(startError(`it exited with code ${code}`));
    });
    worker.postMessage(init);
  });
}

function startWebWorker(init: unknown): Promise<ThreadHandle> {
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  return new Promise<ThreadHandle>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ type: string; message?: string }>) => {
      if (e.data.type === 'ready') resolve({ post: (message) => worker.postMessage(message), terminate: () => worker.terminate() });
      else if (e.data.type === 'error') {
        reject(startError(e.data.message ?? 'unknown error'));
        worker.terminate();
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      reject(startError(e.message || 'the worker script did not load (a Blob-URL worker needs a page that allows blob: workers)'));
      worker.terminate();
    };
    worker.onmessageerror = () => reject(startError('the module or memory could not be sent to it'));
    worker.postMessage(init);
  }).finally(() => URL.revokeObjectURL(url));
}
