/**
 * Runs a notebook's code cells in order in a Node kernel and folds each
 * cell's messages into the notebook with the model's output reducer, so the
 * result is exactly what the page would have saved.
 */
import { answerFromFolder } from '../../kernels/host/answer-from-folder.ts';
import { startNodeKernel } from '../../kernels/host/node-kernel.ts';
import { isError, isExecuteReply, isStream, isUpdateDisplayData, type KernelMessage } from '../../kernels/protocol/index.ts';
import {
  applyDisplayUpdate,
  applyKernelMessage,
  getCell,
  setExecutionCount,
  setOutputs,
  type CodeCell,
  type Notebook,
} from '../../src/model/index.ts';

export type CellStatus = 'ok' | 'error' | 'timeout' | 'skipped';

export interface CellReport {
  /** 1-based position among all cells. */
  index: number;
  id: string;
  status: CellStatus;
  seconds: number;
  /** The cell's stderr text. */
  stderr: string;
  /** `ename: evalue` and traceback lines of its errors. */
  errors: string[];
}

export interface ExecuteNotebookOptions {
  timeoutPerCellMs?: number;
  /** Keep going after a failed cell (a timeout always stops). */
  allowErrors: boolean;
  /** Called after each cell, for live progress lines. */
  onCell?: (report: CellReport, total: number) => void;
  /** The folder that answers `ask.files` / `ask.webcam` (`--files`); without it they fail saying so. */
  files?: string;
}

export interface ExecuteNotebookResult {
  notebook: Notebook;
  reports: CellReport[];
}

export async function executeNotebook(input: Notebook, options: ExecuteNotebookOptions): Promise<ExecuteNotebookResult> {
  let notebook = input;
  const reports: CellReport[] = [];
  const kernel = await startNodeKernel({ answerInput: answerFromFolder(options.files) });
  try {
    for (const [i, cell] of input.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      notebook = setExecutionCount(setOutputs(notebook, cell.id, []), cell.id, null);
      if (cell.source.trim() === '') {
        // As nbclient does: an empty cell is not sent to the kernel.
        const report: CellReport = { index: i + 1, id: cell.id, status: 'skipped', seconds: 0, stderr: '', errors: [] };
        reports.push(report);
        options.onCell?.(report, input.cells.length);
        continue;
      }
      const started = performance.now();
      let stderr = '';
      const errors: string[] = [];
      const apply = (message: KernelMessage) => {
        if (isUpdateDisplayData(message)) notebook = applyDisplayUpdate(notebook, message);
        else notebook = setOutputs(notebook, cell.id, applyKernelMessage((getCell(notebook, cell.id) as CodeCell).outputs, message));
        if (isStream(message) && message.content.name === 'stderr') stderr += message.content.text;
        if (isError(message)) errors.push(...message.content.traceback);
        if (isExecuteReply(message) && message.content.execution_count > 0) notebook = setExecutionCount(notebook, cell.id, message.content.execution_count);
      };
      const outcome = await kernel.execute(cell.source, { timeoutMs: options.timeoutPerCellMs, onMessage: apply });
      const status: CellStatus = outcome.timedOut ? 'timeout' : outcome.reply.status === 'ok' ? 'ok' : 'error';
      const report: CellReport = { index: i + 1, id: cell.id, status, seconds: (performance.now() - started) / 1000, stderr, errors };
      reports.push(report);
      options.onCell?.(report, input.cells.length);
      if (status === 'timeout' || (status === 'error' && !options.allowErrors)) break;
    }
  } finally {
    await kernel.shutdown();
  }
  return { notebook, reports };
}
