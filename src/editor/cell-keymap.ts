/**
 * Jupyter's edit-mode keys for one cell editor, ahead of CodeMirror's own:
 * Shift+Enter, Mod+Enter, Alt+Enter run; Escape leaves for command mode;
 * ArrowUp on the first line and ArrowDown on the last move to the neighbour cell.
 * While a completion list is open, Escape closes it and the arrows move in it,
 * as in Jupyter.
 */
import { closeCompletion, completionStatus } from '@codemirror/autocomplete';
import { Prec, type Extension } from '@codemirror/state';
import { keymap, type EditorView } from '@codemirror/view';

export interface CellKeyHandlers {
  /** Shift+Enter: run the cell and select the next one. */
  runAndAdvance(): void;
  /** Ctrl/Cmd+Enter: run the cell and stay. */
  runAndStay(): void;
  /** Alt+Enter: run the cell and insert a new one below. */
  runAndInsert(): void;
  /** Escape: command mode. */
  leave(): void;
  /** The cursor is leaving the top or bottom of the editor. */
  leaveEdge(direction: 'up' | 'down'): void;
}

const atEdge = (view: EditorView, direction: 'up' | 'down') => {
  if (completionStatus(view.state) === 'active') return false;
  const { main } = view.state.selection;
  if (!main.empty) return false;
  const line = view.state.doc.lineAt(main.head);
  return direction === 'up' ? line.number === 1 : line.number === view.state.doc.lines;
};

export function cellKeymap(handlers: CellKeyHandlers): Extension {
  const run = (f: () => void) => () => (f(), true);
  return Prec.highest(
    keymap.of([
      { key: 'Shift-Enter', run: run(handlers.runAndAdvance) },
      { key: 'Mod-Enter', run: run(handlers.runAndStay) },
      { key: 'Alt-Enter', run: run(handlers.runAndInsert) },
      { key: 'Escape', run: (view) => closeCompletion(view) || (handlers.leave(), true) },
      { key: 'ArrowUp', run: (view) => atEdge(view, 'up') && (handlers.leaveEdge('up'), true) },
      { key: 'ArrowDown', run: (view) => atEdge(view, 'down') && (handlers.leaveEdge('down'), true) },
    ]),
  );
}
