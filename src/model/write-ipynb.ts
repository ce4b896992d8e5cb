/**
 * `toIpynb`: the notebook as the text Jupyter writes (nbformat's JSON
 * writer): keys sorted, 1-space indentation, no ASCII escaping, sources,
 * stream text and text-like MIME values as arrays of lines, a trailing
 * newline. In-memory `transient` output state and the keys nbformat strips
 * (`orig_nbformat`, `signature`, cell `trusted`) are left out.
 */
import type { MimeBundle } from '../../kernels/protocol/index.ts';
import type { Attachments, Cell } from './cell.ts';
import { splitLines } from './lines.ts';
import type { Notebook } from './notebook.ts';
import { withoutTransient, type Output } from './output.ts';
import { stringifyLikePython } from './python-json.ts';

/** Notebook-level metadata keys nbformat never writes to a file. */
export const TRANSIENT_NOTEBOOK_METADATA = ['orig_nbformat', 'orig_nbformat_minor', 'signature'] as const;
/** Cell-level metadata keys nbformat never writes to a file. */
export const TRANSIENT_CELL_METADATA = ['trusted'] as const;

// nbformat splits text/* values and these two; JSON-like values stay as they are.
const SPLIT_MIME_TYPES = new Set(['application/javascript', 'image/svg+xml']);

/** The `.ipynb` text for `notebook`, byte-identical to `nbformat.writes` for the same notebook. */
export function toIpynb(notebook: Notebook): string {
  return `${stringifyLikePython(toIpynbJson(notebook))}\n`;
}

/** The `.ipynb` JSON value (lines split, transient state dropped) before it is written as text. */
export function toIpynbJson(notebook: Notebook): Record<string, unknown> {
  return {
    ...notebook,
    nbformat: 4,
    nbformat_minor: 5,
    metadata: omit(notebook.metadata, TRANSIENT_NOTEBOOK_METADATA),
    cells: notebook.cells.map(cellToJson),
  };
}

function cellToJson(cell: Cell): Record<string, unknown> {
  const json: Record<string, unknown> = {
    ...cell,
    source: splitLines(cell.source),
    metadata: omit(cell.metadata, TRANSIENT_CELL_METADATA),
  };
  if ('attachments' in cell && cell.attachments) json.attachments = splitAttachments(cell.attachments);
  if (cell.cell_type === 'code') json.outputs = cell.outputs.map(outputToJson);
  return json;
}

function outputToJson(output: Output): Record<string, unknown> {
  const json: Record<string, unknown> = { ...withoutTransient(output) };
  switch (output.output_type) {
    case 'stream':
      json.text = splitLines(output.text);
      break;
    case 'display_data':
    case 'execute_result':
      json.data = splitBundle(output.data);
      break;
    case 'error':
      break;
  }
  return json;
}

function splitAttachments(attachments: Attachments): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attachments).map(([name, bundle]) => [name, splitBundle(bundle)]));
}

function splitBundle(bundle: MimeBundle): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(bundle).map(([mime, value]) => [
      mime,
      typeof value === 'string' && (mime.startsWith('text/') || SPLIT_MIME_TYPES.has(mime)) ? splitLines(value) : value,
    ]),
  );
}

function omit<T extends object>(object: T, keys: readonly string[]): T {
  if (!keys.some((key) => key in object)) return object;
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key))) as T;
}
