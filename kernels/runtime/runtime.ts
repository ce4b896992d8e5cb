/**
 * The kernel runtime: receives validated shell/control/stdin messages and
 * answers through `send`, as a Jupyter kernel does — `execute_request` →
 * `status: busy` → outputs → `execute_reply` → `status: idle`. It knows
 * nothing of workers: the hosts (`kernels/host`) connect `send` and
 * `handle` to `postMessage`/`onmessage`.
 *
 * Cells run one at a time in one notebook scope (the global object). While a
 * cell runs, `display`, `progress`, `input`, `ask` (files, webcam), `tf`,
 * `Plot` and `signal` (the execution's AbortSignal) are globals, and
 * `console` writes to its output.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  PROTOCOL_VERSION,
  makeMessage,
  type ContentMap,
  type KernelMessage,
  type MessageOf,
  type MessageType,
  type StreamName,
} from '../protocol/index.ts';
import { compileCell, type CellContext } from './compile-cell.ts';
import { createDisplay, isDisplayHandle } from './display.ts';
import { formatLogArgs } from './inspect.ts';
import { toMimeBundle } from './mime-bundle.ts';
import { MODULE_NAMES, importDefault, importName, moduleNamespace } from './modules.ts';
import { DEFAULT_LIMITS, OutputStream, type OutputLimits } from './output-stream.ts';
import { plotModule } from './plot-module.ts';
import type { Deflate } from '../transfer/index.ts';
import { createProgress } from './progress.ts';
import { declareNames, installGlobals } from './scope.ts';
import { errorContent, syntaxErrorContent, type CellSource, type ErrorContent } from './traceback.ts';
import { completeCode } from './complete.ts';
import { createAsk } from './ask.ts';
import { guardWasmMemory } from './memory-errors.ts';
import { liftWasmThreadCap } from './wasm-threads.ts';

export interface RuntimeOptions {
  /** Receives every message the kernel emits, in order. */
  send(message: KernelMessage): void;
  /** Compresses PNG data (Node: `zlib.deflateSync`); default stored blocks. */
  deflate?: Deflate;
  /** TF.js backend; default `'wasm'` (falls back to `'cpu'` with a warning). */
  backend?: string;
  /** Where the wasm backend finds its `.wasm` files (a prefix or a file map). */
  wasmPaths?: string | Record<string, string>;
  /**
   * Threads for the wasm backend when it can use threads (a cross-origin
   * isolated page); default TF.js's own choice, half the logical cores — one
   * thread on a 2-core laptop. Lifts TF.js's cap (see wasm-threads.ts).
   * The worker host passes every core.
   */
  wasmThreads?: number;
  /** How long an interrupted cell may keep running before it is reported as interrupted; default 1000 ms. */
  interruptGraceMs?: number;
  /** Stream output kept per cell; default 10,000 lines / 1 MB. */
  outputLimits?: OutputLimits;
}

export interface Runtime {
  /** Settles when the TF.js backend is ready (the kernel then reports `idle`). */
  readonly ready: Promise<void>;
  /** Handles one validated incoming message. */
  handle(message: KernelMessage): void;
  /** An error nobody caught (unhandled rejection, throw in a timer): shown in the running or last cell. */
  reportUncaught(error: unknown): void;
  /** Restores `console` and removes the kernel's globals. */
  dispose(): void;
}

interface Execution {
  request: MessageOf<'execute_request'>;
  count: number;
  controller: AbortController;
  stream: OutputStream;
  failed?: ErrorContent;
}

class Interrupted extends Error {
  override name = 'Interrupted';
  constructor() {
    super('The cell was interrupted.');
  }
}

const CONSOLE_METHODS: [keyof Console, StreamName][] = [
  ['log', 'stdout'],
  ['info', 'stdout'],
  ['debug', 'stdout'],
  ['warn', 'stderr'],
  ['error', 'stderr'],
];

export function createRuntime(options: RuntimeOptions): Runtime {
  const { send } = options;
  const graceMs = options.interruptGraceMs ?? 1000;
  const limits = options.outputLimits ?? DEFAULT_LIMITS;
  // Sources of executed cells, for tracebacks through functions a cell defined and a later cell calls.
  // Bounded: a kernel left open all day runs thousands of cells; only recent ones are likely on a stack,
  // and an evicted cell's frames still show its compiled name (`tailor-cell-N.ts:line:col`), only not the source text.
  const cells = new Map<string, CellSource>();
  const keptCellSources = 256;
  let executionCount = 0;
  let compiled = 0;
  let current: Execution | undefined;
  let last: Execution | undefined;
  let queue: Promise<void> = Promise.resolve();
  let generation = 0;
  const pendingInputs = new Map<string, (reply: ContentMap['input_reply']) => void>();

  const emit = <T extends MessageType>(type: T, content: ContentMap[T], parent?: { header: KernelMessage['header'] }) =>
    send(makeMessage(type, content, { parent }));
  /** Outputs go to the running cell, or to the last one (a timer or handle firing after its cell ended). */
  const target = () => current ?? last;
  const emitOutput = <T extends MessageType>(type: T, content: ContentMap[T]) => {
    const exec = target();
    exec?.stream.flush();
    emit(type, content, exec?.request);
  };
  const fail = (exec: Execution, content: ErrorContent) => {
    exec.failed ??= content;
    exec.stream.flush();
    emit('error', content, exec.request);
  };

  const sink = {
    display: (c: ContentMap['display_data']) => emitOutput('display_data', c),
    update: (c: ContentMap['update_display_data']) => emitOutput('update_display_data', c),
    clear: (wait: boolean) => emitOutput('clear_output', { wait }),
  };
  const display = createDisplay(sink, options.deflate);
  const progress = createProgress(sink);
  const idleSignal = new AbortController().signal;

  /** `await input('Name?')` → text; `input.request({kind, options})` → the page's full reply (files, frames). */
  const request = async (content: Partial<ContentMap['input_request']>): Promise<ContentMap['input_reply']> => {
    const exec = target();
    if (!exec || !exec.request.content.allow_stdin) {
      throw new Error('input is not available here: the program running this notebook (e.g. `tailor run`) cannot answer input requests.');
    }
    const message = makeMessage(
      'input_request',
      { prompt: content.prompt ?? '', password: content.password ?? false, kind: content.kind ?? 'text', options: content.options ?? {} },
      { parent: exec.request },
    );
    exec.stream.flush();
    // Keyed by the input_request's id: a reply's parent_header is that request (Jupyter's stdin channel).
    const reply = new Promise<ContentMap['input_reply']>((resolve) => pendingInputs.set(message.header.msg_id, resolve));
    send(message);
    const answer = await reply;
    if (answer.error) throw new Error(answer.error);
    return answer;
  };
  const input = Object.assign(async (prompt = '', opts: { password?: boolean } = {}) => (await request({ prompt, password: opts.password })).value, {
    request,
  });

  const currentSignal = () => (current ?? last)?.controller.signal ?? idleSignal;
  const ask = createAsk({ sink, request, canAsk: () => Boolean(target()?.request.content.allow_stdin), signal: currentSignal });

  const restoreGlobals = installGlobals({ display, progress, input, ask, tf, Plot: plotModule() }, { signal: currentSignal });
  const originalConsole = new Map<keyof Console, unknown>();
  for (const [method, name] of CONSOLE_METHODS) {
    originalConsole.set(method, console[method]);
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const exec = target();
      if (!exec) return (originalConsole.get(method) as (...a: unknown[]) => void).apply(console, args);
      exec.stream.write(name, formatLogArgs(args) + '\n');
    };
  }

  const context: CellContext = {
    declare: declareNames,
    module: moduleNamespace,
    importDefault,
    importName,
  };

  const ready = (async () => {
    emit('status', { execution_state: 'starting' });
    try {
      if (options.wasmPaths) setWasmPaths(options.wasmPaths as string);
      const backend = options.backend ?? 'wasm';
      if (options.wasmThreads) setThreadsCount(options.wasmThreads);
      const restore = options.wasmThreads ? liftWasmThreadCap(options.wasmThreads) : () => {};
      try {
        if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') returned false`);
      } finally {
        restore();
      }
    } catch (error) {
      (originalConsole.get('warn') as typeof console.warn)(`tailor kernel: the ${options.backend ?? 'wasm'} backend failed (${String(error)}); using cpu, which is much slower.`);
      await tf.setBackend('cpu');
    }
    await tf.ready();
    guardWasmMemory(tf);
    emit('status', { execution_state: 'idle' });
  })();

  /** Resolves with the cell's value, or rejects as interrupted `graceMs` after an interrupt if the cell has not settled. */
  function runInterruptible<T>(promise: Promise<T>, exec: Execution): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => (timer = setTimeout(() => reject(new Interrupted()), graceMs));
      if (exec.controller.signal.aborted) onAbort();
      else exec.controller.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        exec.controller.signal.removeEventListener('abort', onAbort);
      });
    });
  }

  async function execute(request: MessageOf<'execute_request'>, queuedAt: number): Promise<void> {
    const { code, silent, store_history } = request.content;
    emit('status', { execution_state: 'busy' }, request);
    if (queuedAt < generation) {
      // An earlier cell failed with stop_on_error while this one waited: Jupyter aborts it.
      emit('execute_reply', { status: 'aborted', execution_count: executionCount }, request);
      emit('status', { execution_state: 'idle' }, request);
      return;
    }
    if (!silent && store_history) executionCount++;
    const exec: Execution = {
      request,
      count: executionCount,
      controller: new AbortController(),
      stream: new OutputStream((name, text) => emit('stream', { name, text }, request), limits),
    };
    current = exec;
    const sourceName = `tailor-cell-${++compiled}.ts`;
    try {
      const cell = compileCell(code, sourceName, MODULE_NAMES);
      if (!cell.ok) {
        fail(exec, syntaxErrorContent(cell.error, { count: exec.count, code }));
      } else {
        cells.set(sourceName, { sourceName, count: exec.count, code, columnOffset: cell.columnOffset });
        if (cells.size > keptCellSources) cells.delete(cells.keys().next().value!);
        const value = await runInterruptible(cell.run(context), exec);
        // A macrotask lets this cell's unhandled rejections arrive while it is still the running cell.
        await new Promise((r) => setTimeout(r, 0));
        if (!exec.failed && !silent && value !== undefined && !isDisplayHandle(value)) {
          exec.stream.flush();
          emit('execute_result', { execution_count: exec.count, data: toMimeBundle(value), metadata: {} }, request);
        }
      }
    } catch (error) {
      const interrupted = error instanceof Interrupted || (exec.controller.signal.aborted && (error as Error)?.name === 'AbortError');
      const content = interrupted
        ? { ename: 'Interrupted', evalue: new Interrupted().message, traceback: [`Interrupted: ${new Interrupted().message}`] }
        : errorContent(error, (name) => cells.get(name));
      fail(exec, content);
    }
    exec.stream.flush();
    if (current === exec) current = undefined;
    last = exec;
    if (exec.failed && request.content.stop_on_error) generation++;
    const reply: ContentMap['execute_reply'] = exec.failed
      ? { status: 'error', execution_count: exec.count, ...exec.failed }
      : { status: 'ok', execution_count: exec.count, user_expressions: {} };
    emit('execute_reply', reply, request);
    emit('status', { execution_state: 'idle' }, request);
  }

  function handle(message: KernelMessage): void {
    switch (message.header.msg_type) {
      case 'execute_request': {
        const request = message as MessageOf<'execute_request'>;
        const queuedAt = generation;
        queue = queue.then(() => ready).then(() => execute(request, queuedAt));
        break;
      }
      case 'interrupt_request':
        emit('interrupt_reply', { status: 'ok' }, message);
        current?.controller.abort(new DOMException('The cell was interrupted.', 'AbortError'));
        break;
      case 'kernel_info_request':
        // After the backend is ready, so the reply names the backend really in use.
        void ready.then(() => emit('kernel_info_reply', kernelInfo(), message));
        break;
      case 'complete_request': {
        const { code, cursor_pos } = (message as MessageOf<'complete_request'>).content;
        emit('complete_reply', { status: 'ok', ...completeCode(code, cursor_pos), metadata: {} }, message);
        break;
      }
      case 'input_reply': {
        // A reply names its input_request as parent; one without a known parent answers the oldest request.
        const parentId = (message.parent_header as { msg_id?: string }).msg_id ?? '';
        const key = pendingInputs.has(parentId) ? parentId : pendingInputs.keys().next().value;
        const resolve = key === undefined ? undefined : pendingInputs.get(key);
        if (key !== undefined && resolve) {
          pendingInputs.delete(key);
          resolve((message as MessageOf<'input_reply'>).content);
        }
        break;
      }
      default:
        (originalConsole.get('warn') as typeof console.warn)(`tailor kernel: ignoring a ${message.header.msg_type} message (not a request).`);
    }
  }

  return {
    ready,
    handle,
    reportUncaught(error: unknown) {
      const exec = current ?? last;
      const content = errorContent(error, (name) => cells.get(name));
      if (current) fail(current, content);
      else if (exec) emit('error', content, exec.request);
      else (originalConsole.get('error') as typeof console.error)(error);
    },
    dispose() {
      for (const [method, fn] of originalConsole) (console as unknown as Record<string, unknown>)[method] = fn;
      restoreGlobals();
    },
  };
}

function kernelInfo(): ContentMap['kernel_info_reply'] {
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'tailor',
    implementation_version: '0.1.0',
    language_info: { name: 'typescript', version: '5.9', mimetype: 'text/typescript', file_extension: '.ts' },
    banner: 'Tailor kernel: TypeScript cells with TensorFlow.js, Observable Plot and the tailor library',
    backend: describeBackend(),
  };
}

/** The backend as the kernel status shows it, e.g. `wasm (simd, 2 threads)`, `webgl`, `cpu`. */
function describeBackend(): string {
  const name = tf.getBackend() ?? 'none';
  if (name !== 'wasm') return name;
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  // The thread count XNNPACK really uses (1 where TF.js has no threads: Node, a page without isolation).
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? getThreadsCount() : 1;
  return `wasm (${simd ? 'simd' : 'no simd'}, ${threads} thread${threads === 1 ? '' : 's'})`;
}
