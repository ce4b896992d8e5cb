/**
 * ANSI SGR colour codes (as in tracebacks and coloured logs) to spans.
 * Supports reset, bold, faint, italic, underline, the 8+8 foreground and
 * background colours, and 256-colour/RGB forms; other escapes are dropped.
 */
const PALETTE = ['#3b3b3b', '#c62828', '#2e7d32', '#a66a00', '#1565c0', '#8e24aa', '#00838f', '#9e9e9e'];
const BRIGHT = ['#616161', '#e53935', '#43a047', '#c79100', '#1e88e5', '#ab47bc', '#00acc1', '#e0e0e0'];

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  faint?: boolean;
  italic?: boolean;
  underline?: boolean;
}

function color256(n: number): string {
  if (n < 8) return PALETTE[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
  }
  const grey = 8 + (n - 232) * 10;
  return `rgb(${grey},${grey},${grey})`;
}

function applyCodes(style: Style, codes: number[]): Style {
  const next = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) for (const k of Object.keys(next)) delete next[k as keyof Style];
    else if (c === 1) next.bold = true;
    else if (c === 2) next.faint = true;
    else if (c === 3) next.italic = true;
    else if (c === 4) next.underline = true;
    else if (c === 22) next.bold = next.faint = false;
    else if (c === 23) next.italic = false;
    else if (c === 24) next.underline = false;
    else if (c >= 30 && c <= 37) next.fg = PALETTE[c - 30];
    else if (c >= 90 && c <= 97) next.fg = BRIGHT[c - 90];
    else if (c >= 40 && c <= 47) next.bg = PALETTE[c - 40];
    else if (c >= 100 && c <= 107) next.bg = BRIGHT[c - 100];
    else if (c === 39) delete next.fg;
    else if (c === 49) delete next.bg;
    else if ((c === 38 || c === 48) && codes[i + 1] === 5) {
      next[c === 38 ? 'fg' : 'bg'] = color256(codes[i + 2] ?? 0);
      i += 2;
    } else if ((c === 38 || c === 48) && codes[i + 1] === 2) {
      next[c === 38 ? 'fg' : 'bg'] = `rgb(${codes[i + 2] ?? 0},${codes[i + 3] ?? 0},${codes[i + 4] ?? 0})`;
      i += 4;
    }
  }
  return next;
}

function styled(text: string, style: Style): Node {
  if (!style.fg && !style.bg && !style.bold && !style.faint && !style.italic && !style.underline) {
    return document.createTextNode(text);
  }
  const span = document.createElement('span');
  span.textContent = text;
  if (style.fg) span.style.color = style.fg;
  if (style.bg) span.style.backgroundColor = style.bg;
  if (style.bold) span.style.fontWeight = 'bold';
  if (style.faint) span.style.opacity = '0.7';
  if (style.italic) span.style.fontStyle = 'italic';
  if (style.underline) span.style.textDecoration = 'underline';
  return span;
}

/** A `<pre>` showing the text with its ANSI colours. */
export function renderAnsi(text: string, className = 'output-text'): HTMLElement {
  const pre = document.createElement('pre');
  pre.className = className;
  // eslint-disable-next-line no-control-regex
  const pattern = /\x1b\[([0-9;]*)([A-Za-z])/g;
  let style: Style = {};
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) pre.append(styled(text.slice(last, match.index), style));
    if (match[2] === 'm') style = applyCodes(style, match[1] === '' ? [0] : match[1].split(';').map(Number));
    last = pattern.lastIndex;
  }
  if (last < text.length) pre.append(styled(text.slice(last), style));
  return pre;
}

/** The text without escape codes (for copying, search and accessible text). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}
