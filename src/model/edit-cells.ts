/**
 * Pure edits of a notebook's cells. Each returns a new notebook and never
 * mutates its input; cells that an edit does not touch keep their identity,
 * so views can skip them. A bad index or id is a programmer mistake and
 * throws a `RangeError` naming it.
 */
import { createCell, type Attachments, type Cell, type CellOfType, type CellType, CELL_TYPES } from './cell.ts';
import { isValidCellId, newCellId } from './cell-id.ts';
import type { JsonObject } from './json.ts';
import type { Notebook, NotebookMetadata } from './notebook.ts';

/** The position of the cell with `id`, or -1. */
export function cellIndex(notebook: Notebook, id: string): number {
  return notebook.cells.findIndex((cell) => cell.id === id);
}

/** The cell with `id`; throws a RangeError if there is none. */
export function getCell(notebook: Notebook, id: string): Cell {
  return notebook.cells[indexOrThrow(notebook, id, 'getCell')];
}

/** Inserts `cell` so that it ends up at `index` (0 … cells.length). Its id must be valid and unused. */
export function insertCell(notebook: Notebook, index: number, cell: Cell): Notebook {
  checkPosition(index, notebook.cells.length, 'insertCell');
  if (!isValidCellId(cell.id)) {
    throw new RangeError(`insertCell: invalid cell id ${JSON.stringify(cell.id)} (1-64 of a-z A-Z 0-9 - _)`);
  }
  if (cellIndex(notebook, cell.id) !== -1) throw new RangeError(`insertCell: a cell with id ${cell.id} already exists`);
  return withCells(notebook, [...notebook.cells.slice(0, index), cell, ...notebook.cells.slice(index)]);
}

/** Removes the cell with `id`. */
export function deleteCell(notebook: Notebook, id: string): Notebook {
  const index = indexOrThrow(notebook, id, 'deleteCell');
  return withCells(notebook, notebook.cells.filter((_, i) => i !== index));
}

/** Moves the cell with `id` so that it ends up at `toIndex` (0 … cells.length - 1). */
export function moveCell(notebook: Notebook, id: string, toIndex: number): Notebook {
  const from = indexOrThrow(notebook, id, 'moveCell');
  checkPosition(toIndex, notebook.cells.length - 1, 'moveCell');
  if (from === toIndex) return notebook;
  const rest = notebook.cells.filter((_, i) => i !== from);
  return withCells(notebook, [...rest.slice(0, toIndex), notebook.cells[from], ...rest.slice(toIndex)]);
}

/**
 * Splits the cell with `id` at character `offset` (0 … source.length) into
 * two cells of the same type and metadata, as JupyterLab does: newlines at
 * the cut are dropped, the first part keeps the id, the second gets a fresh
 * one. Code cells lose their outputs (they belonged to the whole code);
 * attachments go with the part whose source references them (unreferenced
 * ones stay with the first part).
 */
export function splitCell(notebook: Notebook, id: string, offset: number): Notebook {
  const index = indexOrThrow(notebook, id, 'splitCell');
  const cell = notebook.cells[index];
  checkPosition(offset, cell.source.length, 'splitCell', 'offset');
  const head = cell.source.slice(0, offset).replace(/\n+$/, '');
  const tail = cell.source.slice(offset).replace(/^\n+/, '');
  const first = { ...resetRun(cell), source: head };
  const second = { ...resetRun(cell), id: newCellId(), source: tail };
  if ('attachments' in cell && cell.attachments) {
    const inTail = pickAttachments(cell.attachments, (name) => referencesAttachment(tail, name) && !referencesAttachment(head, name));
    const inHead = pickAttachments(cell.attachments, (name) => !(name in inTail));
    Object.assign(first, { attachments: inHead });
    if (Object.keys(inTail).length > 0) Object.assign(second, { attachments: inTail });
    else delete (second as { attachments?: Attachments }).attachments;
  }
  return withCells(notebook, [...notebook.cells.slice(0, index), first as Cell, second as Cell, ...notebook.cells.slice(index + 1)]);
}

/**
 * Merges the cells with `ids` (at least two) into the first of them in
 * notebook order, as JupyterLab does: sources joined by a blank line, the
 * first cell's id, type and metadata, attachments of all of them (the first
 * wins on a name clash); a merged code cell has no outputs.
 */
export function mergeCells(notebook: Notebook, ids: readonly string[]): Notebook {
  if (new Set(ids).size !== ids.length) throw new RangeError(`mergeCells: ids repeat: ${ids.join(', ')}`);
  if (ids.length < 2) throw new RangeError(`mergeCells: needs at least two cell ids, got ${ids.length}`);
  const indices = ids.map((id) => indexOrThrow(notebook, id, 'mergeCells')).sort((a, b) => a - b);
  const merged = indices.map((i) => notebook.cells[i]);
  const first = merged[0];
  const source = merged.map((cell) => cell.source).join('\n\n');
  let result: Cell = { ...resetRun(first), source } as Cell;
  if (result.cell_type !== 'code') {
    // Later cells first so the first cell's attachment wins a name clash (fromEntries keeps the last).
    const entries = [...merged].reverse().flatMap((cell) => ('attachments' in cell && cell.attachments ? Object.entries(cell.attachments) : []));
    if (entries.length > 0) result = { ...result, attachments: Object.fromEntries(entries) };
  }
  const drop = new Set(indices.slice(1));
  return withCells(
    notebook,
    notebook.cells.flatMap((cell, i) => (i === indices[0] ? [result] : drop.has(i) ? [] : [cell])),
  );
}

/** Replaces the source of the cell with `id`. */
export function editSource(notebook: Notebook, id: string, source: string): Notebook {
  if (typeof source !== 'string') throw new RangeError(`editSource: source must be a string, got ${typeof source}`);
  return updateCell(notebook, id, 'editSource', (cell) => (cell.source === source ? cell : { ...cell, source }));
}

/**
 * Changes the type of the cell with `id`, keeping id, source and metadata.
 * Becoming code adds empty outputs and drops attachments (code cells cannot
 * hold them); leaving code drops outputs and execution count.
 */
export function changeCellType(notebook: Notebook, id: string, type: CellType): Notebook {
  if (!CELL_TYPES.includes(type)) {
    throw new RangeError(`changeCellType: unknown cell type ${JSON.stringify(type)}; expected one of ${CELL_TYPES.join(', ')}`);
  }
  return updateCell(notebook, id, 'changeCellType', (cell) => {
    if (cell.cell_type === type) return cell;
    const next: CellOfType<CellType> = { ...createCell(type, cell.source, cell.id), metadata: cell.metadata };
    if (type !== 'code' && 'attachments' in cell && cell.attachments) return { ...next, attachments: cell.attachments } as Cell;
    return next;
  });
}

/** Replaces the metadata of the cell with `id`. */
export function setCellMetadata(notebook: Notebook, id: string, metadata: JsonObject): Notebook {
  return updateCell(notebook, id, 'setCellMetadata', (cell) => ({ ...cell, metadata }));
}

/** Replaces the notebook's metadata. */
export function setNotebookMetadata(notebook: Notebook, metadata: NotebookMetadata): Notebook {
  return { ...notebook, metadata };
}

/** Applies `change` to the cell with `id`; returns the same notebook when `change` returns the same cell. */
export function updateCell(notebook: Notebook, id: string, caller: string, change: (cell: Cell) => Cell): Notebook {
  const index = indexOrThrow(notebook, id, caller);
  const before = notebook.cells[index];
  const after = change(before);
  if (after === before) return notebook;
  return withCells(notebook, notebook.cells.map((cell, i) => (i === index ? after : cell)));
}

function withCells(notebook: Notebook, cells: readonly Cell[]): Notebook {
  return { ...notebook, cells };
}

function indexOrThrow(notebook: Notebook, id: string, caller: string): number {
  const index = cellIndex(notebook, id);
  if (index === -1) throw new RangeError(`${caller}: no cell with id ${JSON.stringify(id)} (the notebook has ${notebook.cells.length} cells)`);
  return index;
}

function checkPosition(value: number, max: number, caller: string, what = 'index'): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${caller}: ${what} ${value} is out of range 0…${max}`);
  }
}

/** A copy of the cell as if it never ran (code cells lose outputs and count). */
function resetRun(cell: Cell): Cell {
  return cell.cell_type === 'code' ? { ...cell, outputs: [], execution_count: null } : { ...cell };
}

function referencesAttachment(source: string, name: string): boolean {
  return source.includes(`attachment:${name}`) || source.includes(`attachment:${encodeURI(name)}`);
}

function pickAttachments(attachments: Attachments, keep: (name: string) => boolean): Attachments {
  return Object.fromEntries(Object.entries(attachments).filter(([name]) => keep(name)));
}
