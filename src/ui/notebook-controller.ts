/**
 * The notebook being edited: its immutable value, the selected cell, the
 * mode (command or edit), deleted cells for undo, and whether it changed
 * since the last save to its file. Every change goes through `update`, which
 * asks the host element to render again and tells listeners (autosave).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  cellIndex,
  changeCellType,
  createCell,
  deleteCell,
  editSource,
  insertCell,
  moveCell,
  type Cell,
  type CellType,
  type Notebook,
} from '../model/index.ts';

export type Mode = 'command' | 'edit';

export class NotebookController implements ReactiveController {
  notebook: Notebook;
  /** The notebook as last written to its file (or as opened); `dirty` compares against it. */
  saved: Notebook;
  activeId?: string;
  mode: Mode = 'command';
  /** Deleted cells with their positions, newest last (Z undoes). */
  private deleted: { cell: Cell; index: number }[] = [];
  private readonly listeners = new Set<(notebook: Notebook) => void>();

  constructor(
    private readonly host: ReactiveControllerHost,
    notebook: Notebook,
  ) {
    this.notebook = notebook;
    this.saved = notebook;
    this.activeId = notebook.cells[0]?.id;
    host.addController(this);
  }

  hostConnected(): void {}

  get dirty(): boolean {
    return this.notebook !== this.saved;
  }

  get activeIndex(): number {
    return this.activeId ? cellIndex(this.notebook, this.activeId) : -1;
  }

  get activeCell(): Cell | undefined {
    return this.notebook.cells[this.activeIndex];
  }

  get canUndoDelete(): boolean {
    return this.deleted.length > 0;
  }

  /** Calls `listener` after every change of the notebook value. */
  onChange(listener: (notebook: Notebook) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces the notebook with `change(notebook)`; a no-op when it returns the same value. */
  update(change: (notebook: Notebook) => Notebook): void {
    const next = change(this.notebook);
    if (next === this.notebook) return;
    this.notebook = next;
    if (this.activeId && cellIndex(next, this.activeId) === -1) this.activeId = next.cells[0]?.id;
    this.host.requestUpdate();
    for (const listener of this.listeners) listener(next);
  }

  /** Marks the current value as written to the file. */
  markSaved(): void {
    this.saved = this.notebook;
    this.host.requestUpdate();
  }

  select(id: string | undefined, mode: Mode = this.mode): void {
    this.activeId = id;
    this.mode = mode;
    this.host.requestUpdate();
  }

  setMode(mode: Mode): void {
    this.mode = mode;
    this.host.requestUpdate();
  }

  /** Selects the cell `delta` positions away (clamped); returns its id. */
  selectRelative(delta: number, mode: Mode = 'command'): string | undefined {
    const cells = this.notebook.cells;
    if (cells.length === 0) return undefined;
    const index = Math.max(0, Math.min(cells.length - 1, this.activeIndex + delta));
    this.select(cells[index].id, mode);
    return cells[index].id;
  }

  /** Inserts a new cell of `type` above or below the active one (or at the end) and selects it. */
  insert(type: CellType, where: 'above' | 'below' | 'end', source = ''): string {
    const cell = createCell(type, source);
    const active = this.activeIndex;
    const index = where === 'end' || active === -1 ? this.notebook.cells.length : where === 'above' ? active : active + 1;
    this.update((nb) => insertCell(nb, index, cell));
    this.select(cell.id);
    return cell.id;
  }

  /** Deletes the active cell; Z (or "Undo delete") brings it back. */
  deleteActive(): void {
    const cell = this.activeCell;
    if (!cell) return;
    const index = this.activeIndex;
    this.deleted.push({ cell, index });
    const neighbour = this.notebook.cells[index + 1] ?? this.notebook.cells[index - 1];
    this.update((nb) => deleteCell(nb, cell.id));
    this.select(neighbour?.id, 'command');
  }

  undoDelete(): void {
    const last = this.deleted.pop();
    if (!last) return;
    this.update((nb) => insertCell(nb, Math.min(last.index, nb.cells.length), last.cell));
    this.select(last.cell.id, 'command');
  }

  moveActive(delta: -1 | 1): void {
    const cell = this.activeCell;
    if (!cell) return;
    const to = this.activeIndex + delta;
    if (to < 0 || to >= this.notebook.cells.length) return;
    this.update((nb) => moveCell(nb, cell.id, to));
  }

  setType(type: CellType): void {
    const cell = this.activeCell;
    if (cell) this.update((nb) => changeCellType(nb, cell.id, type));
  }

  setSource(id: string, source: string): void {
    this.update((nb) => editSource(nb, id, source));
  }
}
