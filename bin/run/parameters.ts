/**
 * Papermill's parameter convention for `tailor run --param`: the first code
 * cell tagged `parameters` declares defaults (`const epochs = 5;`); the
 * overrides go into a new code cell tagged `injected-parameters` right after
 * it (replacing one a previous run injected), so the run reads as the
 * defaults, then the overrides.
 */
import { createCell, insertCell, deleteCell, type Cell, type Notebook } from '../../src/model/index.ts';

export type InjectResult = { ok: true; notebook: Notebook; warnings: string[] } | { ok: false; error: string };

const tagsOf = (cell: Cell): unknown[] => {
  const tags = (cell.metadata as { tags?: unknown }).tags;
  return Array.isArray(tags) ? tags : [];
};

/** A `--param` value as TypeScript source: JSON when it parses as JSON, else a string literal. */
export function paramLiteral(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    return JSON.stringify(value);
  }
}

export function injectParameters(notebook: Notebook, params: { name: string; value: string }[]): InjectResult {
  if (params.length === 0) return { ok: true, notebook, warnings: [] };
  const index = notebook.cells.findIndex((c) => c.cell_type === 'code' && tagsOf(c).includes('parameters'));
  if (index < 0) {
    return {
      ok: false,
      error: `--param needs a code cell tagged "parameters" (papermill's convention), and this notebook has none. Tag the cell that declares the defaults, e.g. \`const epochs = 5;\`.`,
    };
  }
  const declared = new Set([...notebook.cells[index].source.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
  const warnings = params
    .filter((p) => !declared.has(p.name))
    .map((p) => `parameter '${p.name}' is not declared in the parameters cell (cell ${index + 1}); injecting it anyway`);
  const source = ['// Parameters injected by `tailor run --param`.', ...params.map((p) => `const ${p.name} = ${paramLiteral(p.value)};`)].join('\n');
  let next = notebook;
  const old = notebook.cells[index + 1];
  if (old && tagsOf(old).includes('injected-parameters')) next = deleteCell(next, old.id);
  const cell = { ...createCell('code', source), metadata: { tags: ['injected-parameters'] } };
  return { ok: true, notebook: insertCell(next, index + 1, cell), warnings };
}
