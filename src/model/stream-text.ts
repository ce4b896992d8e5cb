/**
 * Terminal control characters in stream text, handled the way Jupyter's
 * front ends show them: `\b` erases the character before it (never a line
 * break), `\r\n` is a line break, and a lone `\r` returns to the start of the
 * line so the text after it overwrites what was there (progress counters).
 *
 * A `\r` at the very end is kept, and so is the position after a `\r` on the
 * last line, because the next chunk of the stream continues from there.
 */

/** `previous + next` with control characters applied. Only the last line of `previous` is rescanned. */
export function appendStreamText(previous: string, next: string): string {
  const cut = previous.lastIndexOf('\n') + 1;
  // Lines before the last line break are final: neither \r nor \b reaches across a line break.
  return previous.slice(0, cut) + applyControls(previous.slice(cut) + next);
}

/** `text` with control characters applied (idempotent). */
export function applyControls(text: string): string {
  if (!text.includes('\r') && !text.includes('\b')) return text;
  const lines = text.replace(/\r+\n/g, '\n').split('\n');
  return lines.map((line, i) => renderLine(line, i === lines.length - 1)).join('\n');
}

function renderLine(line: string, isLast: boolean): string {
  if (!line.includes('\r') && !line.includes('\b')) return line;
  const cells: string[] = [];
  let column = 0;
  for (const char of line) {
    if (char === '\r') column = 0;
    else if (char === '\b') {
      // Jupyter erases the character before the backspace; nothing happens at the start of a line.
      if (column > 0) {
        cells.splice(column - 1, 1);
        column--;
      }
    } else {
      cells[column] = char;
      column++;
    }
  }
  const shown = cells.join('');
  // Keep the cursor for the next chunk when it is not at the end: "shown\r" + the part already rewritten.
  if (isLast && column < cells.length) return `${shown}\r${cells.slice(0, column).join('')}`;
  return shown;
}

/** The text as it should be shown: control characters applied and a pending cursor (`\r…` at the end) dropped. */
export function visibleStreamText(text: string): string {
  const applied = applyControls(text);
  const lastBreak = applied.lastIndexOf('\n');
  const cr = applied.indexOf('\r', lastBreak + 1);
  return cr === -1 ? applied : applied.slice(0, cr);
}
