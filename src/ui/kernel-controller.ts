/**
 * Runs cells in the kernel and writes what comes back into the notebook:
 * outputs through the model's reducer, the execution count, the elapsed time.
 * Tracks which cells are queued or running, and which outputs were produced
 * in this session (those are trusted even when the notebook is not).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { InputBroker } from '../ask/index.ts';
import { KernelClient, type ExecuteReply, type KernelStatus } from '../kernel-client/index.ts';
import {
  applyDisplayUpdate,
  applyKernelMessage,
  cellIndex,
  clearOutputs,
  getCell,
  setExecutionCount,
  setOutputs,
  type CodeCell,
} from '../model/index.ts';
import type { NotebookController } from './notebook-controller.ts';

export class KernelController implements ReactiveController {
  status: KernelStatus;
  backend: string;
  /** Cells waiting to run, in order. */
  readonly queued = new Set<string>();
  running?: string;
  /** Milliseconds the last run of each cell took. */
  readonly elapsed = new Map<string, number>();
  /** Cells whose outputs came from this session's kernel. */
  readonly ranHere = new Set<string>();
  /** Answers the kernel's input requests (ask.files, ask.webcam) through the widgets in the outputs. */
  readonly inputs: InputBroker;
  private generation = 0;
  private readonly onStatus = () => {
    this.status = this.kernel.status;
    this.backend = this.kernel.backend;
    this.host.requestUpdate();
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly doc: NotebookController,
    readonly kernel: KernelClient,
  ) {
    this.status = kernel.status;
    this.backend = kernel.backend;
    this.inputs = new InputBroker(host);
    host.addController(this);
  }

  hostConnected(): void {
    this.kernel.addEventListener('status', this.onStatus);
    void this.kernel.start().then(this.onStatus);
  }

  hostDisconnected(): void {
    this.kernel.removeEventListener('status', this.onStatus);
  }

  /** Runs the code cells among `ids` in order; stops at the first error. Markdown cells are skipped. */
  async run(ids: readonly string[]): Promise<boolean> {
    const generation = this.generation;
    const code = ids.filter((id) => this.codeCell(id));
    for (const id of code) this.queued.add(id);
    this.host.requestUpdate();
    try {
      for (const id of code) {
        if (generation !== this.generation) return false;
        const reply = await this.runOne(id);
        if (reply && reply.status !== 'ok') {
          this.dropQueued(code);
          return false;
        }
      }
      return true;
    } finally {
      this.dropQueued(code);
    }
  }

  /** Stops the running cell (restarting the kernel if it will not stop) and cancels the queued ones. */
  async interrupt(): Promise<void> {
    this.generation++;
    this.dropQueued([...this.queued]);
    await this.kernel.interrupt();
  }

  /** A fresh kernel: every variable is gone, the notebook stays. */
  async restart(): Promise<void> {
    this.generation++;
    this.dropQueued([...this.queued]);
    this.inputs.cancelAll('The kernel was restarted.');
    await this.kernel.restart();
  }

  private codeCell(id: string): CodeCell | undefined {
    const index = cellIndex(this.doc.notebook, id);
    const cell = this.doc.notebook.cells[index];
    return cell?.cell_type === 'code' ? cell : undefined;
  }

  private dropQueued(ids: readonly string[]): void {
    for (const id of ids) this.queued.delete(id);
    this.host.requestUpdate();
  }

  private async runOne(id: string): Promise<ExecuteReply | undefined> {
    const cell = this.codeCell(id);
    if (!cell) return undefined;
    const exists = () => cellIndex(this.doc.notebook, id) !== -1;
    const outcome = await this.kernel.execute(cell.source, {
      onStart: () => {
        this.queued.delete(id);
        this.running = id;
        this.ranHere.add(id);
        if (exists()) this.doc.update((nb) => setExecutionCount(clearOutputs(nb, id), id, null));
      },
      onInput: (request) => this.inputs.answer(request),
      onOutput: (message) => {
        if (message.header.msg_type === 'update_display_data') {
          // A display may be updated from a later cell's run, so look in every cell.
          this.doc.update((nb) => applyDisplayUpdate(nb, message));
          return;
        }
        if (!exists()) return;
        this.doc.update((nb) => {
          const current = getCell(nb, id) as CodeCell;
          return setOutputs(nb, id, applyKernelMessage(current.outputs, message));
        });
      },
    });
    if (this.running === id) this.running = undefined;
    this.elapsed.set(id, outcome.elapsedMs);
    const count = outcome.reply.execution_count;
    if (exists() && outcome.reply.status !== 'aborted' && count > 0) {
      this.doc.update((nb) => setExecutionCount(nb, id, count));
    }
    this.host.requestUpdate();
    return outcome.reply;
  }
}
