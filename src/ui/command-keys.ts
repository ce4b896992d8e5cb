/**
 * Jupyter's command-mode keys (no editor focused): A/B insert, D D delete,
 * Z undo delete, M/Y type, Up/Down/J/K select, Enter edit, I I interrupt,
 * 0 0 restart, Shift/Ctrl/Alt+Enter run. Two-key chords must come within
 * 800 ms. Returns the command id (or a selection move) for a key event.
 */
export type KeyAction = { command: string } | { select: -1 | 1 } | { edit: true };

const CHORD_MS = 800;

export class CommandKeys {
  private last?: { key: string; at: number };

  /** The action for `event`, or undefined to let the browser have it. */
  resolve(event: KeyboardEvent): KeyAction | undefined {
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key;
    if (key === 'Enter') {
      if (event.shiftKey) return { command: 'run-cell-advance' };
      if (mod) return { command: 'run-cell' };
      if (event.altKey) return { command: 'run-cell-insert' };
      return { edit: true };
    }
    if (mod && event.shiftKey && key === 'ArrowUp') return { command: 'move-up' };
    if (mod && event.shiftKey && key === 'ArrowDown') return { command: 'move-down' };
    if (mod || event.altKey) return undefined;
    switch (key) {
      case 'ArrowUp':
      case 'k':
      case 'K':
        return { select: -1 };
      case 'ArrowDown':
      case 'j':
      case 'J':
        return { select: 1 };
      case 'a':
      case 'A':
        return { command: 'insert-above' };
      case 'b':
      case 'B':
        return { command: 'insert-below' };
      case 'm':
      case 'M':
        return { command: 'to-markdown' };
      case 'y':
      case 'Y':
        return { command: 'to-code' };
      case 'z':
      case 'Z':
        return { command: 'undo-delete' };
      case 'd':
      case 'D':
        return this.chord('d', 'delete-cell');
      case 'i':
      case 'I':
        return this.chord('i', 'interrupt');
      case '0':
        return this.chord('0', 'restart');
      default:
        return undefined;
    }
  }

  /** The command when `key` is pressed twice in a row; the first press is swallowed. */
  private chord(key: string, command: string): KeyAction | undefined {
    const now = performance.now();
    if (this.last && this.last.key === key && now - this.last.at < CHORD_MS) {
      this.last = undefined;
      return { command };
    }
    this.last = { key, at: now };
    return undefined;
  }
}
