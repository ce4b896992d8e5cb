/**
 * The guided notebooks are written as TypeScript files in jupytext's
 * "percent" format (`notebooks/src/NN-name.ts`: `// %% [markdown]` starts a
 * Markdown cell whose lines are `// ` comments, `// %%` a code cell,
 * `// %% tags=["parameters"]` a tagged one) and built into
 * `notebooks/NN-name.ipynb` with the document model's `toIpynb`, outputs
 * stripped and cell ids stable (`NN-<index>`), so a rebuild only changes
 * what the source changed.
 *
 *   npx tsx tests/support/build-notebooks.ts           rebuild notebooks/*.ipynb
 *   npx tsx tests/support/build-notebooks.ts --check   exit 1 if any is out of date
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createCell, createNotebook, toIpynb, type Cell } from '../../src/model/index.ts';

export const NOTEBOOKS_DIR = resolve(import.meta.dirname, '../../notebooks');
export const SOURCES_DIR = join(NOTEBOOKS_DIR, 'src');

interface CellSource {
  type: 'markdown' | 'code';
  lines: string[];
  tags: string[];
}

const MARKER = /^\/\/ %%(?:\s+\[(markdown|md)\])?(.*)$/;

/** Parses a percent-format source into cells; throws naming the line of a malformed marker. */
export function parsePercent(text: string, file = 'source'): CellSource[] {
  const cells: CellSource[] = [];
  text.replace(/\r\n/g, '\n').split('\n').forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) {
      const rest = m[2].trim();
      const tagMatch = /^tags=(\[.*\])$/.exec(rest);
      if (rest && !tagMatch) throw new Error(`${file}:${i + 1}: a cell marker takes only tags=[…], got "${rest}"`);
      cells.push({ type: m[1] ? 'markdown' : 'code', lines: [], tags: tagMatch ? (JSON.parse(tagMatch[1]) as string[]) : [] });
      return;
    }
    if (cells.length === 0) {
      if (line.trim() !== '') throw new Error(`${file}:${i + 1}: text before the first "// %%" marker`);
      return;
    }
    const cell = cells[cells.length - 1];
    if (cell.type === 'markdown' && line !== '' && !/^\/\/( |$)/.test(line)) {
      throw new Error(`${file}:${i + 1}: a Markdown line must start with "// " (got "${line.slice(0, 40)}")`);
    }
    cell.lines.push(cell.type === 'markdown' ? line.replace(/^\/\/ ?/, '') : line);
  });
  return cells;
}

const trimBlank = (lines: string[]) => {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start++;
  while (end > start && lines[end - 1].trim() === '') end--;
  return lines.slice(start, end);
};

/** The notebook text (`toIpynb`) for one percent-format source. */
export function buildNotebookText(sourceText: string, prefix: string, file = 'source'): string {
  const cells: Cell[] = parsePercent(sourceText, file).map((c, i) => {
    const cell = createCell(c.type, trimBlank(c.lines).join('\n'), `${prefix}-${String(i + 1).padStart(2, '0')}`);
    return c.tags.length ? { ...cell, metadata: { tags: c.tags } } : cell;
  });
  return toIpynb(createNotebook(cells));
}

/** Every guided notebook: output file name and the text its source builds. */
export function buildGuidedNotebooks(): { file: string; text: string }[] {
  return readdirSync(SOURCES_DIR)
    .filter((f) => /^\d\d-[\w-]+\.ts$/.test(f))
    .sort()
    .map((f) => ({
      file: `${basename(f, '.ts')}.ipynb`,
      text: buildNotebookText(readFileSync(join(SOURCES_DIR, f), 'utf8'), f.slice(0, 2), `notebooks/src/${f}`),
    }));
}
