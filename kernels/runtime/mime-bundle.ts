/**
 * Chooses the MIME bundle for a value shown by `display(value)` or as a
 * cell's result. Every bundle carries `text/plain`.
 *
 * | value | bundle |
 * | --- | --- |
 * | object with `[Symbol.for('tailor.mime')]()` | what it returns (+ text/plain) |
 * | SVG element (a plain Plot chart) | `image/svg+xml` |
 * | other element (a Plot figure with legend or caption, any HTML) | `text/html` |
 * | tensor | `text/plain` summary (shape, dtype, elided values) |
 * | array of plain objects | `text/html` table |
 * | anything else | `text/plain` (Node-style inspect) |
 */
import { MIME, type MimeBundle } from '../protocol/index.ts';
import { inspect } from './inspect.ts';
import { isTensorLike, summarizeTensor } from './tensor-summary.ts';

/** Objects that choose their own bundle implement this method. */
export const TAILOR_MIME = Symbol.for('tailor.mime');

/** Rows and columns shown in a table; the rest is summarised in a footer. */
const TABLE_ROWS = 100;
const TABLE_COLUMNS = 30;

const SVG_NS = 'http://www.w3.org/2000/svg';

interface ElementLike {
  outerHTML: string;
  nodeName: string;
  localName?: string;
  getAttribute?(name: string): string | null;
}

export function toMimeBundle(value: unknown): MimeBundle {
  const own = (value as { [TAILOR_MIME]?: unknown } | null)?.[TAILOR_MIME];
  if (typeof own === 'function') {
    const bundle = own.call(value) as MimeBundle;
    if (typeof bundle !== 'object' || bundle === null) throw new TypeError('[Symbol.for("tailor.mime")]() must return a MIME bundle object');
    // Inspect only when the object gave no text: DOM-like values (charts) may not survive inspection.
    return { ...bundle, [MIME.plain]: typeof bundle[MIME.plain] === 'string' ? bundle[MIME.plain] : inspect(value) };
  }
  if (isElement(value)) return elementBundle(value);
  if (isTensorLike(value)) return { [MIME.plain]: summarizeTensor(value) };
  if (isTableLike(value)) return { [MIME.html]: htmlTable(value), [MIME.plain]: inspect(value) };
  return { [MIME.plain]: inspect(value) };
}

function isElement(value: unknown): value is ElementLike {
  const v = value as ElementLike | null;
  return typeof v === 'object' && v !== null && typeof v.outerHTML === 'string' && typeof v.nodeName === 'string';
}

function elementBundle(element: ElementLike): MimeBundle {
  const tag = (element.localName ?? element.nodeName).toLowerCase();
  const plotClass = /class="plot-/.test(element.outerHTML.slice(0, 2000));
  if (tag === 'svg') {
    const width = element.getAttribute?.('width');
    const height = element.getAttribute?.('height');
    const size = width && height ? ` ${width}×${height}` : '';
    let svg = element.outerHTML;
    // A standalone SVG file needs its namespace (browsers add it when parsing HTML, linkedom does not).
    if (!/^<svg[^>]*\sxmlns=/.test(svg)) svg = svg.replace(/^<svg/, `<svg xmlns="${SVG_NS}"`);
    return { [MIME.svg]: svg, [MIME.plain]: `<${plotClass ? 'Plot chart' : 'SVG'}${size}>` };
  }
  return { [MIME.html]: element.outerHTML, [MIME.plain]: `<${plotClass ? 'Plot figure' : tag}>` };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isTableLike(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return inspect(v, { depth: 0, breakLength: Infinity });
}

/** An HTML table of rows (columns: the union of the rows' keys, in first-seen order). */
export function htmlTable(rows: Record<string, unknown>[]): string {
  const columns: string[] = [];
  for (const row of rows.slice(0, TABLE_ROWS)) for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  const shown = columns.slice(0, TABLE_COLUMNS);
  const head = `<thead><tr>${shown.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .slice(0, TABLE_ROWS)
    .map((row) => `<tr>${shown.map((c) => `<td>${c in row ? escapeHtml(cellText(row[c])) : ''}</td>`).join('')}</tr>`)
    .join('');
  const notes: string[] = [];
  if (rows.length > TABLE_ROWS) notes.push(`${rows.length - TABLE_ROWS} more rows`);
  if (columns.length > TABLE_COLUMNS) notes.push(`${columns.length - TABLE_COLUMNS} more columns`);
  const caption = notes.length ? `<caption style="caption-side:bottom">… ${notes.join(', ')} (${rows.length} rows in all)</caption>` : '';
  return `<table class="tailor-table">${caption}${head}<tbody>${body}</tbody></table>`;
}
