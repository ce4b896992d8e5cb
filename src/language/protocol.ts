/**
 * Messages between the page and the TypeScript language worker. Every
 * request carries the notebook's code cells (id and source, in order), so
 * the worker always answers about the text the editor shows; the worker
 * re-parses only the cells whose text changed.
 */
import type { NotebookCellSource } from './notebook-files.ts';

export type { NotebookCellSource };

/** A span inside one cell's source. */
export interface CellRange {
  from: number;
  to: number;
}

export interface CompletionEntry {
  label: string;
  /** TypeScript's element kind (`method`, `property`, `const`, `function`, `class`, `keyword`…). */
  kind: string;
  sortText: string;
  /** Text to insert when it differs from the label. */
  insertText?: string;
  /** The span the completion replaces, when TypeScript gives one. */
  replacement?: CellRange;
}

export interface CompletionResult {
  /** Where the word being completed starts (cell offset). */
  from: number;
  entries: CompletionEntry[];
}

export interface CompletionDetail {
  /** The signature or type, e.g. `(method) Backbone.classify(image: ImageInput, …): Promise<Prediction[]>`. */
  signature: string;
  documentation: string;
}

export interface QuickInfo {
  range: CellRange;
  /** The type display, e.g. `const net: Backbone`. */
  signature: string;
  documentation: string;
}

export interface SignatureHelp {
  /** One line per overload, the active one first. */
  signatures: { label: string; parameters: CellRange[]; documentation: string }[];
  activeParameter: number;
}

export interface CellDiagnostic extends CellRange {
  severity: 'error' | 'warning' | 'info';
  message: string;
  code: number;
}

interface RequestBase {
  id: number;
  cells: NotebookCellSource[];
  cellId: string;
}

export type LanguageRequest =
  | (RequestBase & { kind: 'completions'; pos: number; explicit: boolean })
  | (RequestBase & { kind: 'completionDetail'; pos: number; name: string })
  | (RequestBase & { kind: 'quickInfo'; pos: number })
  | (RequestBase & { kind: 'signatureHelp'; pos: number })
  | (RequestBase & { kind: 'diagnostics' });

export interface LanguageResults {
  completions: CompletionResult | null;
  completionDetail: CompletionDetail | null;
  quickInfo: QuickInfo | null;
  signatureHelp: SignatureHelp | null;
  diagnostics: CellDiagnostic[];
}

export type LanguageResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
