/**
 * The notebook: an immutable JSON value in nbformat 4.5 shape. Saving is
 * serialization (`toIpynb`), opening is parsing (`parseIpynb`), and every
 * edit is a pure function returning a new value (see `edit-cells.ts`).
 */
import type { Cell } from './cell.ts';
import type { JsonObject } from './json.ts';

export interface KernelSpec {
  readonly name: string;
  readonly display_name: string;
  readonly language?: string;
  readonly [key: string]: unknown;
}

export interface LanguageInfo {
  readonly name: string;
  readonly file_extension?: string;
  readonly mimetype?: string;
  readonly codemirror_mode?: string | JsonObject;
  readonly pygments_lexer?: string;
  readonly [key: string]: unknown;
}

/** Notebook metadata. Keys Tailor does not know are kept as they are. */
export interface NotebookMetadata {
  readonly kernelspec?: KernelSpec;
  readonly language_info?: LanguageInfo;
  readonly [key: string]: unknown;
}

export interface Notebook {
  readonly nbformat: 4;
  readonly nbformat_minor: 5;
  readonly metadata: NotebookMetadata;
  readonly cells: readonly Cell[];
}

/** The kernelspec Tailor writes: its TypeScript kernel. */
export const TAILOR_KERNELSPEC: KernelSpec = { name: 'tailor', display_name: 'TypeScript (Tailor)', language: 'typescript' };

/** The language_info Tailor writes for TypeScript cells. */
export const TAILOR_LANGUAGE_INFO: LanguageInfo = {
  name: 'typescript',
  file_extension: '.ts',
  mimetype: 'text/typescript',
  codemirror_mode: 'typescript',
  pygments_lexer: 'typescript',
};

/** A new notebook for Tailor's TypeScript kernel, holding `cells` (none by default). */
export function createNotebook(cells: readonly Cell[] = []): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: TAILOR_KERNELSPEC, language_info: TAILOR_LANGUAGE_INFO },
    cells,
  };
}

/** The notebook's language as its metadata declares it (kernelspec first), lower-cased; undefined if none. */
export function notebookLanguage(notebook: Pick<Notebook, 'metadata'>): string | undefined {
  const { kernelspec, language_info } = notebook.metadata;
  const name = kernelspec?.language ?? language_info?.name;
  return typeof name === 'string' ? name.toLowerCase() : undefined;
}
