/**
 * Every notebook command once: its id, the label shown in the toolbar and the
 * palette, its Jupyter key, and what it does. The toolbar, the palette and
 * the command-mode keys all go through this table.
 */

/** What commands act on; implemented by `<tailor-notebook>`. */
export interface NotebookActions {
  runActive(then: 'advance' | 'stay' | 'insert'): void;
  runAll(): void;
  runAbove(): void;
  runBelow(): void;
  interrupt(): void;
  restart(): void;
  restartAndRunAll(): void;
  clearAllOutputs(): void;
  insertCell(type: 'code' | 'markdown', where: 'above' | 'below', mode?: 'command' | 'edit'): void;
  deleteCell(): void;
  undoDelete(): void;
  moveCell(delta: -1 | 1): void;
  setCellType(type: 'code' | 'markdown'): void;
  save(): void;
  saveAs(): void;
  download(): void;
  exportHtml(): void;
  trust(): void;
  open(): void;
  goHome(): void;
  openPalette(): void;
}

export interface Command {
  id: string;
  label: string;
  /** Human-readable key, shown in the palette. */
  keys?: string;
  run(actions: NotebookActions): void;
}

export const COMMANDS: readonly Command[] = [
  { id: 'run-cell', label: 'Run cell', keys: 'Ctrl+Enter', run: (a) => a.runActive('stay') },
  { id: 'run-cell-advance', label: 'Run cell and select below', keys: 'Shift+Enter', run: (a) => a.runActive('advance') },
  { id: 'run-cell-insert', label: 'Run cell and insert below', keys: 'Alt+Enter', run: (a) => a.runActive('insert') },
  { id: 'run-all', label: 'Run all', run: (a) => a.runAll() },
  { id: 'run-above', label: 'Run all above', run: (a) => a.runAbove() },
  { id: 'run-below', label: 'Run selected and all below', run: (a) => a.runBelow() },
  { id: 'interrupt', label: 'Interrupt kernel', keys: 'I I', run: (a) => a.interrupt() },
  { id: 'restart', label: 'Restart kernel', keys: '0 0', run: (a) => a.restart() },
  { id: 'restart-run-all', label: 'Restart kernel and run all', run: (a) => a.restartAndRunAll() },
  { id: 'clear-outputs', label: 'Clear all outputs', run: (a) => a.clearAllOutputs() },
  { id: 'insert-above', label: 'Insert code cell above', keys: 'A', run: (a) => a.insertCell('code', 'above', 'command') },
  { id: 'insert-below', label: 'Insert code cell below', keys: 'B', run: (a) => a.insertCell('code', 'below', 'command') },
  { id: 'add-code-cell', label: 'Add code cell', run: (a) => a.insertCell('code', 'below', 'edit') },
  { id: 'add-markdown-cell', label: 'Add markdown cell', run: (a) => a.insertCell('markdown', 'below', 'edit') },
  { id: 'delete-cell', label: 'Delete cell', keys: 'D D', run: (a) => a.deleteCell() },
  { id: 'undo-delete', label: 'Undo cell deletion', keys: 'Z', run: (a) => a.undoDelete() },
  { id: 'move-up', label: 'Move cell up', keys: 'Ctrl+Shift+Up', run: (a) => a.moveCell(-1) },
  { id: 'move-down', label: 'Move cell down', keys: 'Ctrl+Shift+Down', run: (a) => a.moveCell(1) },
  { id: 'to-markdown', label: 'Change cell to markdown', keys: 'M', run: (a) => a.setCellType('markdown') },
  { id: 'to-code', label: 'Change cell to code', keys: 'Y', run: (a) => a.setCellType('code') },
  { id: 'save', label: 'Save', keys: 'Ctrl+S', run: (a) => a.save() },
  { id: 'save-as', label: 'Save as…', keys: 'Ctrl+Shift+S', run: (a) => a.saveAs() },
  { id: 'download', label: 'Download .ipynb', run: (a) => a.download() },
  { id: 'export-html', label: 'Export HTML', run: (a) => a.exportHtml() },
  { id: 'trust', label: 'Trust notebook', run: (a) => a.trust() },
  { id: 'open', label: 'Open notebook…', keys: 'Ctrl+O', run: (a) => a.open() },
  { id: 'home', label: 'Go to home', run: (a) => a.goHome() },
];

export function findCommand(id: string): Command {
  const command = COMMANDS.find((c) => c.id === id);
  if (!command) throw new RangeError(`unknown command "${id}"; known: ${COMMANDS.map((c) => c.id).join(', ')}`);
  return command;
}
