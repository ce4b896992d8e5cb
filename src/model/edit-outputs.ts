/**
 * Pure edits of code cells' run results: outputs and execution counts.
 * Like the cell edits, each returns a new notebook and throws a RangeError
 * naming a bad id or value.
 */
import type { Cell, CodeCell } from './cell.ts';
import { updateCell } from './edit-cells.ts';
import type { Notebook } from './notebook.ts';
import type { Output } from './output.ts';

/**
 * Clears the outputs and execution count of the code cell with `id`, or of
 * every code cell when `id` is omitted (Jupyter's "Clear All Outputs").
 * Markdown and raw cells are left as they are.
 */
export function clearOutputs(notebook: Notebook, id?: string): Notebook {
  if (id !== undefined) return updateCell(notebook, id, 'clearOutputs', clearCell);
  let changed = false;
  const cells = notebook.cells.map((cell) => {
    const cleared = clearCell(cell);
    changed ||= cleared !== cell;
    return cleared;
  });
  return changed ? { ...notebook, cells } : notebook;
}

/** Replaces the outputs of the code cell with `id`. */
export function setOutputs(notebook: Notebook, id: string, outputs: readonly Output[]): Notebook {
  if (!Array.isArray(outputs)) throw new RangeError(`setOutputs: outputs must be an array, got ${typeof outputs}`);
  return updateCode(notebook, id, 'setOutputs', (cell) => (cell.outputs === outputs ? cell : { ...cell, outputs }));
}

/** Sets the execution count of the code cell with `id`: a non-negative integer, or null for "not run". */
export function setExecutionCount(notebook: Notebook, id: string, count: number | null): Notebook {
  if (count !== null && !(Number.isInteger(count) && count >= 0)) {
    throw new RangeError(`setExecutionCount: count must be a non-negative integer or null, got ${count}`);
  }
  return updateCode(notebook, id, 'setExecutionCount', (cell) =>
    cell.execution_count === count ? cell : { ...cell, execution_count: count },
  );
}

function clearCell(cell: Cell): Cell {
  if (cell.cell_type !== 'code' || (cell.outputs.length === 0 && cell.execution_count === null)) return cell;
  return { ...cell, outputs: [], execution_count: null };
}

function updateCode(notebook: Notebook, id: string, caller: string, change: (cell: CodeCell) => CodeCell): Notebook {
  return updateCell(notebook, id, caller, (cell) => {
    if (cell.cell_type !== 'code') {
      throw new RangeError(`${caller}: cell ${id} is a ${cell.cell_type} cell; only code cells have outputs`);
    }
    return change(cell);
  });
}
