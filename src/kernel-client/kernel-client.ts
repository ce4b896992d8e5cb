/**
 * The page's side of the kernel: starts the worker, validates every message it
 * sends back (once, here), routes outputs to the cell that asked for them, and
 * keeps one execution in flight at a time (later requests wait in order).
 *
 * Interrupt is cooperative first (`interrupt_request`); when the running cell
 * has not finished after `interruptGraceMs` (default 1.5 s) the worker is
 * terminated and a fresh one started, the status goes dead → starting → idle,
 * and the interrupted cell gets an error output saying state was lost.
 *
 * @fires status - `CustomEvent<KernelStatus>` whenever the status changes.
 */
import {
  errorMessage,
  executeRequest,
  inputReply,
  interruptRequest,
  kernelInfoRequest,
  validateMessage,
  type ContentMap,
  type ExecutionState,
  type KernelMessage,
  type MessageOf,
  type OutputMessage,
} from '../../kernels/protocol/index.ts';

export type KernelStatus = ExecutionState;
export type ExecuteReply = ContentMap['execute_reply'];
export type InputReplyContent = ContentMap['input_reply'];

/** What the caller of `execute` hears about its run. */
export interface ExecuteHandlers {
  /** Each output message of this execution, in order. */
  onOutput?(message: OutputMessage): void;
  /** Called when the kernel starts running this request (it may have waited in the queue). */
  onStart?(): void;
  /** Answers an `input_request` (files, webcam, text). Default: an error reply saying the page cannot answer. */
  onInput?(request: MessageOf<'input_request'>): Promise<InputReplyContent>;
}

export interface ExecuteOutcome {
  reply: ExecuteReply;
  /** Milliseconds from the kernel starting this request to its reply. */
  elapsedMs: number;
}

/** Something that behaves like a Web Worker: enough for the client, and for tests to fake. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
}

export interface KernelClientOptions {
  /** Makes a fresh kernel worker. Default: the module worker in `kernels/host/worker.ts`. */
  createWorker?: () => WorkerLike;
  /** How long a cooperative interrupt may take before the worker is restarted. Default 1500 ms. */
  interruptGraceMs?: number;
}

interface Pending {
  code: string;
  handlers: ExecuteHandlers;
  resolve(outcome: ExecuteOutcome): void;
  msgId?: string;
  startedAt?: number;
}

/** The default worker: a URL (never an import) so the kernel's code stays out of the page bundle. */
export function createKernelWorker(): WorkerLike {
  return new Worker(new URL('../../kernels/host/worker.ts', import.meta.url), { type: 'module', name: 'tailor-kernel' });
}

/** Content of the error output given to a cell whose run was ended by restarting the kernel. */
export function restartedError(reason: string): ContentMap['error'] {
  return {
    ename: 'KernelRestarted',
    evalue: `${reason} The kernel was restarted and its state was lost: re-run the cells above to define their variables again.`,
    traceback: [],
  };
}

export class KernelClient extends EventTarget {
  /** The kernel's execution state as the page last saw it. */
  status: KernelStatus = 'starting';
  /** The TensorFlow.js backend the kernel reported (`wasm`, `webgl`, …), or '' before it answered. */
  backend = '';
  /** Messages from the worker that failed validation (kept for tests and diagnostics). */
  readonly rejected: string[] = [];

  private readonly createWorker: () => WorkerLike;
  private readonly interruptGraceMs: number;
  private worker?: WorkerLike;
  private generation = 0;
  private queue: Pending[] = [];
  private running?: Pending;
  private infoRequestId?: string;
  private ready?: Promise<void>;
  private resolveReady?: () => void;

  constructor(options: KernelClientOptions = {}) {
    super();
    this.createWorker = options.createWorker ?? createKernelWorker;
    this.interruptGraceMs = options.interruptGraceMs ?? 1500;
  }

  /** Starts the worker when it is not running yet; resolves once the kernel answered `kernel_info_request`. */
  start(): Promise<void> {
    if (this.worker && this.ready) return this.ready;
    const generation = ++this.generation;
    this.setStatus('starting');
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    let worker: WorkerLike;
    try {
      worker = this.createWorker();
    } catch (error) {
      this.fail(`The kernel could not start: ${String(error)}`);
      return this.ready;
    }
    this.worker = worker;
    worker.addEventListener('message', (event) => {
      if (generation === this.generation) this.receive((event as MessageEvent).data);
    });
    worker.addEventListener('error', (event) => {
      if (generation !== this.generation) return;
      const detail = (event as ErrorEvent).message || 'the worker script failed to load or threw';
      event.preventDefault?.();
      this.fail(`The kernel stopped: ${detail}.`);
    });
    const info = kernelInfoRequest();
    this.infoRequestId = info.header.msg_id;
    worker.postMessage(info);
    return this.ready;
  }

  /** Runs code; resolves with the reply once the kernel is done (requests run one at a time, in order). */
  execute(code: string, handlers: ExecuteHandlers = {}): Promise<ExecuteOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ code, handlers, resolve });
      void this.start().then(() => this.pump());
    });
  }

  /** Interrupts the running cell and drops the queued ones; restarts the worker when the cell does not stop in time. */
  async interrupt(): Promise<void> {
    this.abortQueued();
    const running = this.running;
    if (!running || !this.worker) return;
    this.worker.postMessage(interruptRequest());
    await new Promise((r) => setTimeout(r, this.interruptGraceMs));
    if (this.running === running) {
      this.finishWithRestartError(running, 'The cell did not stop when interrupted.');
      await this.restart();
    }
  }

  /** Terminates the worker and starts a fresh one; queued and running cells end as aborted. */
  async restart(): Promise<void> {
    this.abortQueued();
    if (this.running) this.finishWithRestartError(this.running, 'The kernel was restarted while this cell ran.');
    this.stopWorker();
    this.setStatus('dead');
    await this.start();
  }

  /** Stops the worker for good (the page is leaving or the notebook closed). */
  dispose(): void {
    this.abortQueued();
    this.stopWorker();
    this.setStatus('dead');
  }

  private stopWorker(): void {
    this.generation++;
    this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
  }

  private pump(): void {
    if (this.running || this.status === 'dead' || !this.worker) return;
    const next = this.queue.shift();
    if (!next) return;
    const request = executeRequest(next.code);
    next.msgId = request.header.msg_id;
    next.startedAt = performance.now();
    this.running = next;
    next.handlers.onStart?.();
    this.worker.postMessage(request);
  }

  private receive(data: unknown): void {
    const checked = validateMessage(data);
    if (!checked.ok) {
      this.rejected.push(checked.error);
      console.warn(`[tailor] ${checked.error}`);
      return;
    }
    this.route(checked.message);
  }

  private route(message: KernelMessage): void {
    const parentId = 'msg_id' in message.parent_header ? message.parent_header.msg_id : undefined;
    const running = this.running && parentId === this.running.msgId ? this.running : undefined;
    switch (message.header.msg_type) {
      case 'kernel_info_reply':
        if (parentId === this.infoRequestId) {
          this.backend = (message as MessageOf<'kernel_info_reply'>).content.backend;
          if (this.status === 'starting') this.setStatus('idle');
          this.resolveReady?.();
        }
        return;
      case 'status': {
        const state = (message as MessageOf<'status'>).content.execution_state;
        // Before kernel_info_reply the kernel is still starting whatever it says.
        if (this.status !== 'starting' || state === 'dead') this.setStatus(state);
        if (state === 'dead') this.fail('The kernel reported that it died.');
        else if (state === 'idle') this.pump();
        return;
      }
      case 'execute_reply':
        if (running) this.finish(running, (message as MessageOf<'execute_reply'>).content);
        return;
      case 'input_request':
        if (running) void this.answerInput(running, message as MessageOf<'input_request'>);
        return;
      case 'stream':
      case 'display_data':
      case 'update_display_data':
      case 'execute_result':
      case 'error':
      case 'clear_output':
        running?.handlers.onOutput?.(message as OutputMessage);
        return;
      default:
        return;
    }
  }

  private async answerInput(running: Pending, request: MessageOf<'input_request'>): Promise<void> {
    const worker = this.worker;
    let content: InputReplyContent;
    try {
      content = running.handlers.onInput
        ? await running.handlers.onInput(request)
        : { value: '', error: `This page cannot answer a "${request.content.kind}" input request.` };
    } catch (error) {
      content = { value: '', error: String(error instanceof Error ? error.message : error) };
    }
    if (worker === this.worker) worker?.postMessage(inputReply(content, { parent: request }));
  }

  private finish(pending: Pending, reply: ExecuteReply): void {
    if (this.running === pending) this.running = undefined;
    pending.resolve({ reply, elapsedMs: performance.now() - (pending.startedAt ?? performance.now()) });
    queueMicrotask(() => this.pump());
  }

  private finishWithRestartError(pending: Pending, reason: string): void {
    const content = restartedError(reason);
    pending.handlers.onOutput?.(errorMessage(content));
    this.finish(pending, { status: 'error', execution_count: 0, ...content });
  }

  private abortQueued(): void {
    const dropped = this.queue;
    this.queue = [];
    for (const pending of dropped) pending.resolve({ reply: { status: 'aborted', execution_count: 0 }, elapsedMs: 0 });
  }

  /** The worker is gone: say so on the running cell, keep the document, let the next run start a fresh kernel. */
  private fail(reason: string): void {
    const dropped = [...(this.running ? [this.running] : []), ...this.queue];
    this.queue = [];
    this.running = undefined;
    for (const pending of dropped) {
      const content = { ename: 'KernelDied', evalue: `${reason} Run the cell again to start a fresh kernel.`, traceback: [] };
      pending.handlers.onOutput?.(errorMessage(content));
      pending.resolve({ reply: { status: 'error', execution_count: 0, ...content }, elapsedMs: 0 });
    }
    this.stopWorker();
    this.setStatus('dead');
    this.resolveReady?.();
  }

  private setStatus(status: KernelStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.dispatchEvent(new CustomEvent<KernelStatus>('status', { detail: status }));
  }
}
