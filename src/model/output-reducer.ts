/**
 * `applyKernelMessage(outputs, msg)`: the pure output reducer. Given a code
 * cell's outputs and one kernel message, it returns the new outputs, with
 * JupyterLab's output-area semantics (`outputarea/src/model.ts`):
 *
 * - `stream`: appended; merged into the last output when that is a stream of
 *   the same name, with `\r` and `\b` applied (see `stream-text.ts`).
 * - `display_data`: appended; its `transient.display_id`, if any, is kept on
 *   the output (in memory only) so later updates can find it.
 * - `update_display_data`: replaces, in place, every output with that
 *   display id; appends nothing when there is none.
 * - `execute_result`, `error`: appended.
 * - `clear_output`: `wait: false` clears now; `wait: true` marks the current
 *   outputs `clear_pending`, and they go away when the next output is
 *   appended (so a redrawn figure does not flicker).
 * - any other message: the same array, untouched.
 *
 * Inputs are never mutated; when nothing changes the same array comes back.
 */
import type { KernelMessage, MessageOf, OutputMessageType } from '../../kernels/protocol/index.ts';
import { appendStreamText, applyControls } from './stream-text.ts';
import type { Cell } from './cell.ts';
import type { JsonObject } from './json.ts';
import type { Notebook } from './notebook.ts';
import type { Output } from './output.ts';

type Outputs = readonly Output[];
type Handler<T extends OutputMessageType> = (outputs: Outputs, msg: MessageOf<T>) => Outputs;

/** One handler per output-carrying message type. */
const HANDLERS: { [T in OutputMessageType]: Handler<T> } = {
  stream: (outputs, { content }) => {
    const kept = dropPending(outputs);
    const last = kept[kept.length - 1];
    if (last?.output_type === 'stream' && last.name === content.name) {
      return [...kept.slice(0, -1), { ...last, text: appendStreamText(last.text, content.text) }];
    }
    return [...kept, { output_type: 'stream', name: content.name, text: applyControls(content.text) }];
  },
  display_data: (outputs, { content }) => {
    const id = content.transient?.display_id;
    return [
      ...dropPending(outputs),
      {
        output_type: 'display_data',
        data: { ...content.data },
        metadata: { ...content.metadata } as JsonObject,
        ...(id !== undefined ? { transient: { display_id: id } } : {}),
      },
    ];
  },
  update_display_data: (outputs, { content }) => {
    const id = content.transient.display_id;
    if (!outputs.some((o) => o.transient?.display_id === id)) return outputs;
    return outputs.map((o) =>
      o.transient?.display_id === id
        ? {
            output_type: 'display_data',
            data: { ...content.data },
            metadata: { ...content.metadata } as JsonObject,
            transient: { ...o.transient, display_id: id },
          }
        : o,
    );
  },
  execute_result: (outputs, { content }) => [
    ...dropPending(outputs),
    {
      output_type: 'execute_result',
      data: { ...content.data },
      metadata: { ...content.metadata } as JsonObject,
      execution_count: content.execution_count,
    },
  ],
  error: (outputs, { content }) => [
    ...dropPending(outputs),
    { output_type: 'error', ename: content.ename, evalue: content.evalue, traceback: [...content.traceback] },
  ],
  clear_output: (outputs, { content }) => {
    if (outputs.length === 0) return outputs;
    if (!content.wait) return [];
    if (outputs.every((o) => o.transient?.clear_pending)) return outputs;
    return outputs.map((o) => ({ ...o, transient: { ...o.transient, clear_pending: true } }));
  },
};

/** The outputs after `msg`; the same array when `msg` does not change them. */
export function applyKernelMessage(outputs: Outputs, msg: KernelMessage): Outputs {
  const handler = (HANDLERS as Partial<Record<string, Handler<OutputMessageType>>>)[msg.header.msg_type];
  return handler ? handler(outputs, msg as MessageOf<OutputMessageType>) : outputs;
}

/**
 * Applies an `update_display_data` to every code cell of the notebook, as
 * Jupyter does: a display can be updated from a later cell's run. Other
 * messages leave the notebook as it is.
 */
export function applyDisplayUpdate(notebook: Notebook, msg: KernelMessage): Notebook {
  if (msg.header.msg_type !== 'update_display_data') return notebook;
  let changed = false;
  const cells = notebook.cells.map((cell): Cell => {
    if (cell.cell_type !== 'code') return cell;
    const outputs = applyKernelMessage(cell.outputs, msg);
    if (outputs === cell.outputs) return cell;
    changed = true;
    return { ...cell, outputs };
  });
  return changed ? { ...notebook, cells } : notebook;
}

/** Jupyter's deferred clear: once an output is appended, the outputs marked by `clear_output(wait)` go. */
function dropPending(outputs: Outputs): Outputs {
  return outputs.some((o) => o.transient?.clear_pending) ? outputs.filter((o) => !o.transient?.clear_pending) : outputs;
}
