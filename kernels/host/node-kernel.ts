/**
 * The parent side of the Node kernel: starts `node.ts` in a worker thread,
 * validates messages both ways, runs cells one at a time and interrupts them —
 * cooperatively first (the cell's AbortSignal), then by force: when the
 * worker does not answer within the grace period (a `while (true) {}`), it is
 * terminated and replaced, and the cell gets an error saying the kernel was
 * restarted and its state lost (`status: dead` → `starting` → `idle`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  errorMessage,
  executeReply,
  executeRequest,
  inputReply,
  interruptRequest,
  isExecuteReply,
  isInputRequest,
  isInterruptReply,
  isStatus,
  statusMessage,
  validateMessage,
  type ContentMap,
  type KernelMessage,
  type MessageOf,
} from '../protocol/index.ts';

export interface NodeKernelOptions {
  /** Milliseconds the worker has to answer an interrupt before it is terminated; default 2000. */
  interruptGraceMs?: number;
  /** Extra time a live worker (it acknowledged the interrupt) gets to end the cell; default 4000. */
  settleGraceMs?: number;
  /**
   * Answers the cells' `input_request`s (`ask.files`, `ask.webcam`, `input`), as the page does in the
   * browser; `tailor run` gives `answerFromFolder(--files)`. Without it cells run with `allow_stdin: false`.
   */
  answerInput?: (request: MessageOf<'input_request'>) => Promise<ContentMap['input_reply']>;
}

export interface ExecuteOptions {
  /** Interrupts the cell after this many milliseconds (then forces, as `interrupt()`). */
  timeoutMs?: number;
  /** Called with every message of this execution as it arrives. */
  onMessage?: (message: KernelMessage) => void;
}

export interface ExecuteOutcome {
  reply: ContentMap['execute_reply'];
  /** Every message whose parent is this request (status, outputs, reply), in order. */
  messages: KernelMessage[];
  /** True when `timeoutMs` elapsed and the cell was interrupted. */
  timedOut: boolean;
  /** True when the worker had to be replaced (state lost). */
  restarted: boolean;
}

export interface NodeKernel {
  /** Runs one cell and resolves when the kernel is idle again. Cells queue. */
  execute(code: string, options?: ExecuteOptions): Promise<ExecuteOutcome>;
  /** Interrupts the running cell; resolves with how it ended. */
  interrupt(): Promise<'interrupted' | 'restarted' | 'idle'>;
  /** Terminates the worker and starts a fresh one (all state is lost). */
  restart(): Promise<void>;
  /** Every message from the kernel (validated), including those of no execution. */
  onMessage(listener: (message: KernelMessage) => void): () => void;
  /** Posts a raw message to the worker (it validates it); for clients that build their own requests. */
  post(message: unknown): void;
  /** Stops the worker. */
  shutdown(): Promise<void>;
}

const HOST_URL = new URL('./node.ts', import.meta.url);

/**
 * The worker's first code: registers tsx's TypeScript loader in the worker's
 * thread (loader hooks are per thread), then loads the host. tsx is resolved
 * from this file, so the kernel starts from any working directory.
 */
function bootstrap(): string {
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(HOST_URL.href)}); });`;
}

/** Starts a Node kernel and resolves once it reports `idle`. */
export async function startNodeKernel(options: NodeKernelOptions = {}): Promise<NodeKernel> {
  const graceMs = options.interruptGraceMs ?? 2000;
  const settleMs = options.settleGraceMs ?? 4000;
  const listeners = new Set<(message: KernelMessage) => void>();
  let worker: Worker;
  let ready: Promise<void>;
  let running: { request: MessageOf<'execute_request'>; restarted: boolean } | undefined;
  let interruptWatch: { cancel(): void } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let stopping = false;

  const dispatch = (message: KernelMessage) => {
    for (const listener of [...listeners]) listener(message);
  };

  /** Starts a worker; a `quiet` one (a replacement) does not pass on its own starting/idle, `replace()` reports them. */
  function spawn(quiet = false): Promise<void> {
    const w = new Worker(bootstrap(), { eval: true, stdout: false, stderr: false });
    worker = w;
    return new Promise<void>((resolve, reject) => {
      w.on('message', (data: unknown) => {
        if (w !== worker) return;
        const checked = validateMessage(data);
        if (!checked.ok) {
          process.stderr.write(`tailor kernel: dropped an invalid message from the kernel: ${checked.error}\n`);
          return;
        }
        const message = checked.message;
        const startup = isStatus(message) && !('msg_id' in message.parent_header);
        if (startup && message.content.execution_state === 'idle') resolve();
        if (!(startup && quiet)) dispatch(message);
      });
      w.on('error', (error) => {
        if (w !== worker) return;
        reject(error);
        void replace(`The kernel crashed (${error.message}).`);
      });
      w.on('exit', (code) => {
        if (w !== worker || stopping) return;
        reject(new Error(`The kernel exited with code ${code} while starting.`));
        void replace(`The kernel exited unexpectedly (code ${code}).`);
      });
    });
  }

  /** Reports the running cell as failed, marks the kernel dead, starts a fresh worker. */
  async function replace(reason: string): Promise<void> {
    const old = worker;
    interruptWatch?.cancel();
    const cell = running;
    if (cell) cell.restarted = true;
    const parent = cell ? { parent: cell.request } : {};
    dispatch(statusMessage('dead', parent));
    const evalue = `${reason} The kernel was restarted and its state was lost: every variable is gone. Run the cells above again.`;
    if (cell) {
      dispatch(errorMessage({ ename: 'KernelRestarted', evalue, traceback: [`KernelRestarted: ${evalue}`] }, parent));
      dispatch(executeReply({ status: 'error', execution_count: 0, ename: 'KernelRestarted', evalue, traceback: [] }, parent));
    }
    dispatch(statusMessage('starting', parent));
    ready = spawn(true);
    await old.terminate();
    await ready.catch(() => undefined);
    // For a cell, its own idle: its execute() resolves now, with `restarted`.
    dispatch(statusMessage('idle', parent));
  }

  function send(message: KernelMessage): void {
    worker.postMessage(message);
  }

  async function interrupt(): Promise<'interrupted' | 'restarted' | 'idle'> {
    const cell = running;
    if (!cell) return 'idle';
    return new Promise((resolve) => {
      let acknowledged = false;
      let timer = setTimeout(onTimeout, graceMs);
      function onTimeout() {
        off();
        resolve('restarted');
        void replace(`The cell did not stop within ${((acknowledged ? graceMs + settleMs : graceMs) / 1000).toFixed(0)} s of the interrupt.`);
      }
      const off = addListener((message) => {
        if (isInterruptReply(message) && !acknowledged) {
          // The worker's event loop is alive: give the cell time to stop at its next check of the signal.
          acknowledged = true;
          clearTimeout(timer);
          timer = setTimeout(onTimeout, settleMs);
        } else if (isExecuteReply(message) && (message.parent_header as { msg_id?: string }).msg_id === cell.request.header.msg_id) {
          off();
          resolve('interrupted');
        }
      });
      interruptWatch = {
        cancel: () => {
          clearTimeout(timer);
          off();
        },
      };
      send(interruptRequest());
    });
  }

  /** Posts the answer to an input request (a throwing answerer becomes an error reply, never a hung cell). */
  function answer(request: MessageOf<'input_request'>, answerInput: NonNullable<NodeKernelOptions['answerInput']>): void {
    const target = worker;
    void answerInput(request)
      .catch((error: unknown) => ({ value: '', error: error instanceof Error ? error.message : String(error) }))
      .then((content) => {
        if (target === worker) send(inputReply(content, { parent: request }));
      });
  }

  function addListener(listener: (message: KernelMessage) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    const run = async (): Promise<ExecuteOutcome> => {
      await ready;
      const request = executeRequest(code, { allow_stdin: Boolean(options.answerInput), stop_on_error: false });
      const messages: KernelMessage[] = [];
      let reply: ContentMap['execute_reply'] | undefined;
      let timedOut = false;
      const cell = { request, restarted: false };
      const outcome = new Promise<void>((resolve) => {
        running = cell;
        const off = addListener((message) => {
          if ((message.parent_header as { msg_id?: string }).msg_id !== request.header.msg_id) return;
          messages.push(message);
          opts.onMessage?.(message);
          if (isExecuteReply(message)) reply = message.content;
          if (isInputRequest(message) && options.answerInput) answer(message, options.answerInput);
          if (isStatus(message) && message.content.execution_state === 'idle') {
            off();
            resolve();
          }
        });
      });
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), void interrupt()), opts.timeoutMs);
      send(request);
      await outcome;
      clearTimeout(timer);
      interruptWatch?.cancel();
      running = undefined;
      return { reply: reply ?? { status: 'aborted', execution_count: 0 }, messages, timedOut, restarted: cell.restarted };
    };
    const result = queue.then(run, run);
    queue = result;
    return result;
  }

  ready = spawn();
  await ready;
  return {
    execute,
    interrupt,
    async restart() {
      await replace('Restart requested.');
    },
    onMessage: addListener,
    post: (message: unknown) => worker.postMessage(message),
    async shutdown() {
      stopping = true;
      interruptWatch?.cancel();
      await worker.terminate();
    },
  };
}
