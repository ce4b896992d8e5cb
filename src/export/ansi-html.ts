/**
 * Text with ANSI SGR escapes (tracebacks, coloured logs) to escaped HTML:
 * the 8+8 foreground colours and bold become styled spans; every other
 * escape sequence is dropped.
 */
import { escapeHtml } from './html-text.ts';

const COLOURS = ['#3b3b3b', '#c62828', '#2e7d32', '#a66a00', '#1565c0', '#8e24aa', '#00838f', '#9e9e9e'];
const BRIGHT = ['#616161', '#e53935', '#43a047', '#c79100', '#1e88e5', '#ab47bc', '#00acc1', '#e0e0e0'];

export function ansiToHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  const pattern = /\x1b\[([0-9;]*)([A-Za-z])/g;
  let colour: string | undefined;
  let bold = false;
  let html = '';
  let last = 0;
  const emit = (chunk: string) => {
    if (!chunk) return;
    const style = `${colour ? `color:${colour};` : ''}${bold ? 'font-weight:bold;' : ''}`;
    html += style ? `<span style="${style}">${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
  };
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    emit(text.slice(last, match.index));
    last = pattern.lastIndex;
    if (match[2] !== 'm') continue;
    for (const code of match[1] === '' ? [0] : match[1].split(';').map(Number)) {
      if (code === 0) (colour = undefined), (bold = false);
      else if (code === 1) bold = true;
      else if (code === 22) bold = false;
      else if (code === 39) colour = undefined;
      else if (code >= 30 && code <= 37) colour = COLOURS[code - 30];
      else if (code >= 90 && code <= 97) colour = BRIGHT[code - 90];
    }
  }
  emit(text.slice(last));
  return html;
}
