/**
 * `parseIpynb`: opens `.ipynb` text as a `Notebook`. A user's file is never
 * a reason to throw: the result is `{ok: true, notebook, warnings}` or
 * `{ok: false, errors}`, with messages that name the place (`cells[2].source`)
 * and say what to do.
 *
 * Accepts nbformat 4.0–4.5 and upgrades to 4.5 as nbformat does (missing
 * cell ids are added; multi-line string arrays are joined). Repairs what can
 * be repaired without losing anything (duplicate or invalid cell ids,
 * missing metadata) and says so in `warnings`. Unknown metadata, unknown
 * MIME types and unknown keys are kept as they are.
 */
import { isValidCellId, newCellId } from './cell-id.ts';
import type { Cell } from './cell.ts';
import { findJsonSyntaxError } from './json-error.ts';
import { describeJson, isRecord, type JsonObject } from './json.ts';
import { joinLines } from './lines.ts';
import { notebookLanguage, type Notebook } from './notebook.ts';
import { joinBundle, parseOutput } from './parse-output.ts';
import { TRANSIENT_CELL_METADATA, TRANSIENT_NOTEBOOK_METADATA } from './write-ipynb.ts';
import { Problems, isMultiline, omitKeys, type ParseResult } from './parse-problems.ts';

export type { ParseResult } from './parse-problems.ts';

const SUPPORTED = 'Tailor opens nbformat 4.0 to 4.5';
const CELL_KEYS = {
  code: ['id', 'cell_type', 'source', 'metadata', 'outputs', 'execution_count'],
  markdown: ['id', 'cell_type', 'source', 'metadata', 'attachments'],
  raw: ['id', 'cell_type', 'source', 'metadata', 'attachments'],
} as const;
const NOTEBOOK_KEYS = ['nbformat', 'nbformat_minor', 'metadata', 'cells'];

/** Parses `.ipynb` text. Never throws. */
export function parseIpynb(text: string): ParseResult {
  const problems = new Problems();
  try {
    const notebook = parseNotebook(text, problems);
    if (notebook && problems.errors.length === 0) return { ok: true, notebook, warnings: problems.warnings };
  } catch (e) {
    // A bug here must not lose the user's file: report it as an error instead.
    problems.error(`Tailor could not read this notebook (internal error: ${e instanceof Error ? e.message : String(e)}).`);
  }
  return { ok: false, errors: problems.errors };
}

function parseNotebook(rawText: string, problems: Problems): Notebook | undefined {
  const text = rawText.startsWith('\uFEFF') ? rawText.slice(1) : rawText;
  if (text.trim() === '') {
    return problems.error('The file is empty. A notebook is a JSON object with "cells", "metadata" and "nbformat".');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const where = findJsonSyntaxError(text);
    const detail = where
      ? `${where.problem} at line ${where.line}, column ${where.column}`
      : (e as Error).message;
    return problems.error(`The file is not valid JSON: ${detail}. Was it cut short or edited by hand?`);
  }
  if (!isRecord(json)) {
    return problems.error(
      `This is not a Jupyter notebook: the file holds ${describeJson(json)}, but a notebook is a JSON object with "cells", "metadata" and "nbformat".`,
    );
  }
  if (!checkVersion(json, problems)) return undefined;

  let metadata: JsonObject = {};
  if (json.metadata === undefined) problems.warn('The notebook has no "metadata"; using empty metadata.');
  else if (!isRecord(json.metadata)) return problems.error(`"metadata" must be an object, got ${describeJson(json.metadata)}.`);
  else metadata = omitKeys(json.metadata as JsonObject, TRANSIENT_NOTEBOOK_METADATA);

  if (!Array.isArray(json.cells)) {
    return problems.error(
      json.cells === undefined
        ? 'The notebook has no "cells" list. Is this a Jupyter notebook?'
        : `"cells" must be an array, got ${describeJson(json.cells)}.`,
    );
  }
  const minor = typeof json.nbformat_minor === 'number' ? json.nbformat_minor : 0;
  const seen = new Set<string>();
  const cells: Cell[] = [];
  json.cells.forEach((cell, i) => {
    const parsed = parseCell(cell, `cells[${i}]`, minor, seen, problems);
    if (parsed) cells.push(parsed);
  });

  const extra = Object.keys(json).filter((key) => !NOTEBOOK_KEYS.includes(key));
  if (extra.length > 0) problems.warn(unknownKeysWarning('The notebook', extra));
  const notebook = { ...json, nbformat: 4, nbformat_minor: 5, metadata, cells } as Notebook;
  warnLanguage(notebook, problems);
  return notebook;
}

function checkVersion(json: Record<string, unknown>, problems: Problems): boolean {
  const { nbformat, nbformat_minor } = json;
  if (nbformat === undefined) {
    if ('worksheets' in json) {
      problems.error('This is an nbformat 3 notebook (it has "worksheets"); open and re-save it in Jupyter to convert it to version 4.');
    } else {
      const keys = Object.keys(json);
      const shown = keys.length === 0 ? 'no keys' : `keys ${keys.slice(0, 8).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 8 ? ', …' : ''}`;
      problems.error(`This is not a Jupyter notebook: it is a JSON object with ${shown}, but no "nbformat" version. ${SUPPORTED}.`);
    }
    return false;
  }
  if (typeof nbformat !== 'number' || !Number.isInteger(nbformat)) {
    problems.error(`"nbformat" must be an integer version, got ${JSON.stringify(nbformat)}. ${SUPPORTED}.`);
    return false;
  }
  if (nbformat < 4) {
    problems.error(`This is nbformat ${nbformat}; open and re-save it in Jupyter to convert it to version 4. ${SUPPORTED}.`);
    return false;
  }
  if (nbformat > 4) {
    problems.error(`This is nbformat ${nbformat}, newer than Tailor understands. ${SUPPORTED}.`);
    return false;
  }
  if (nbformat_minor === undefined) {
    problems.warn('The notebook has no "nbformat_minor"; reading it as nbformat 4.0 and saving it as 4.5.');
  } else if (typeof nbformat_minor !== 'number' || !Number.isInteger(nbformat_minor) || nbformat_minor < 0) {
    problems.error(`"nbformat_minor" must be a non-negative integer, got ${JSON.stringify(nbformat_minor)}.`);
    return false;
  } else if (nbformat_minor > 5) {
    problems.warn(
      `This is nbformat 4.${nbformat_minor}, newer than 4.5; Tailor keeps what it does not know, but saves the file as 4.5.`,
    );
  }
  return true;
}

function parseCell(value: unknown, path: string, minor: number, seen: Set<string>, problems: Problems): Cell | undefined {
  if (!isRecord(value)) return problems.error(`${path} must be an object, got ${describeJson(value)}.`);
  const type = value.cell_type;
  if (type !== 'code' && type !== 'markdown' && type !== 'raw') {
    const hint = type === 'heading' ? ' (heading cells are nbformat 3; re-save the notebook in Jupyter)' : '';
    return problems.error(`${path}: unknown cell_type ${JSON.stringify(type)}${hint}; expected "code", "markdown" or "raw".`);
  }
  let source = '';
  if (value.source === undefined) problems.warn(`${path} has no "source"; using an empty one.`);
  else if (isMultiline(value.source)) source = joinLines(value.source);
  else {
    const lines: unknown[] = Array.isArray(value.source) ? value.source : [];
    const bad = lines.findIndex((line) => typeof line !== 'string');
    const got = bad >= 0 ? `an array whose item ${bad} is ${describeJson(lines[bad])}` : describeJson(value.source);
    return problems.error(`${path}.source must be a string or an array of strings, got ${got}.`);
  }

  let metadata: JsonObject = {};
  if (value.metadata === undefined) problems.warn(`${path} has no "metadata"; using empty metadata.`);
  else if (!isRecord(value.metadata)) return problems.error(`${path}.metadata must be an object, got ${describeJson(value.metadata)}.`);
  else metadata = omitKeys(value.metadata as JsonObject, TRANSIENT_CELL_METADATA);

  const id = checkId(value.id, path, minor, seen, problems);
  const extra = Object.keys(value).filter((key) => !(CELL_KEYS[type] as readonly string[]).includes(key));
  if (extra.length > 0) problems.warn(unknownKeysWarning(path, extra));
  const cell: Record<string, unknown> = { ...value, id, source, metadata };

  if (type === 'code') {
    if (value.outputs === undefined) {
      problems.warn(`${path} is a code cell without "outputs"; using none.`);
      cell.outputs = [];
    } else if (!Array.isArray(value.outputs)) {
      return problems.error(`${path}.outputs must be an array, got ${describeJson(value.outputs)}.`);
    } else {
      const outputs = value.outputs.map((output, j) => parseOutput(output, `${path}.outputs[${j}]`, problems));
      cell.outputs = outputs.filter((o) => o !== undefined);
    }
    const count = value.execution_count;
    if (count === undefined) {
      problems.warn(`${path} is a code cell without "execution_count"; using null.`);
      cell.execution_count = null;
    } else if (count !== null && !(typeof count === 'number' && Number.isInteger(count) && count >= 0)) {
      return problems.error(`${path}.execution_count must be a non-negative integer or null, got ${JSON.stringify(count)}.`);
    }
  } else if (value.attachments !== undefined) {
    const attachments = parseAttachments(value.attachments, `${path}.attachments`, problems);
    if (!attachments) return undefined;
    cell.attachments = attachments;
  }
  return cell as unknown as Cell;
}

/** Keeps a valid, unused id; otherwise makes a fresh one (silently when upgrading from before 4.5). */
function checkId(id: unknown, path: string, minor: number, seen: Set<string>, problems: Problems): string {
  let result: string;
  if (id === undefined) {
    result = newCellId();
    if (minor >= 5) problems.warn(`${path} has no "id" (nbformat 4.5 requires one); gave it the id ${result}.`);
  } else if (!isValidCellId(id)) {
    result = newCellId();
    problems.warn(`${path}.id ${JSON.stringify(id)} is not a valid cell id (1-64 of a-z A-Z 0-9 - _); replaced it with ${result}.`);
  } else if (seen.has(id)) {
    result = newCellId();
    problems.warn(`${path}.id ${JSON.stringify(id)} is used by an earlier cell too; gave this cell the id ${result}.`);
  } else {
    result = id;
  }
  seen.add(result);
  return result;
}

function parseAttachments(value: unknown, path: string, problems: Problems): Record<string, unknown> | undefined {
  if (!isRecord(value)) return problems.error(`${path} must be an object of MIME bundles, got ${describeJson(value)}.`);
  const entries: [string, unknown][] = [];
  for (const [name, bundle] of Object.entries(value)) {
    const joined = joinBundle(bundle, `${path}[${JSON.stringify(name)}]`, problems);
    if (!joined) return undefined;
    entries.push([name, joined]);
  }
  return Object.fromEntries(entries);
}

function unknownKeysWarning(where: string, keys: string[]): string {
  return `${where} has keys nbformat does not define (${keys.join(', ')}); they are kept, but Jupyter's validator will reject the file until they are removed.`;
}

function warnLanguage(notebook: Notebook, problems: Problems): void {
  const language = notebookLanguage(notebook);
  if (language === undefined || language === 'typescript') return;
  const kernel = notebook.metadata.kernelspec?.display_name ?? notebook.metadata.kernelspec?.name;
  problems.warn(
    `This notebook was written for ${language}${kernel ? ` (kernel "${kernel}")` : ''}; Tailor runs TypeScript, so its code cells may not run as they are.`,
  );
}
