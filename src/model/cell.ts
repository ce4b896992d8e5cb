/**
 * Cells, in nbformat 4.5 shape: `id`, `cell_type`, `source` (a single string
 * in memory), `metadata`; code cells add `outputs` and `execution_count`;
 * markdown and raw cells may carry `attachments` (MIME bundles keyed by file
 * name, referenced as `attachment:<name>` in the source).
 */
import type { MimeBundle } from '../../kernels/protocol/index.ts';
import { newCellId } from './cell-id.ts';
import type { JsonObject } from './json.ts';
import type { Output } from './output.ts';

export type CellType = 'code' | 'markdown' | 'raw';
export const CELL_TYPES: readonly CellType[] = ['code', 'markdown', 'raw'];

/** Attachments of a markdown or raw cell: file name → MIME bundle. */
export type Attachments = { readonly [name: string]: MimeBundle };

interface CellBase {
  /** Stable id (nbformat 4.5): 1–64 of `[a-zA-Z0-9-_]`. */
  readonly id: string;
  readonly source: string;
  readonly metadata: JsonObject;
}

export interface CodeCell extends CellBase {
  readonly cell_type: 'code';
  readonly outputs: readonly Output[];
  /** The prompt number of the last run, or null if the cell has not run. */
  readonly execution_count: number | null;
}

export interface MarkdownCell extends CellBase {
  readonly cell_type: 'markdown';
  readonly attachments?: Attachments;
}

export interface RawCell extends CellBase {
  readonly cell_type: 'raw';
  readonly attachments?: Attachments;
}

export type Cell = CodeCell | MarkdownCell | RawCell;
export type CellOfType<T extends CellType> = Extract<Cell, { cell_type: T }>;

/** A new cell of `type` with a fresh id, empty metadata and, for code, no outputs. */
export function createCell<T extends CellType>(type: T, source = '', id: string = newCellId()): CellOfType<T> {
  if (!CELL_TYPES.includes(type)) {
    throw new RangeError(`createCell: unknown cell type ${JSON.stringify(type)}; expected one of ${CELL_TYPES.join(', ')}`);
  }
  const cell =
    type === 'code'
      ? { id, cell_type: type, source, metadata: {}, outputs: [], execution_count: null }
      : { id, cell_type: type, source, metadata: {} };
  return cell as CellOfType<T>;
}

/** True for code cells, the only ones with outputs. */
export function isCodeCell(cell: Cell): cell is CodeCell {
  return cell.cell_type === 'code';
}
