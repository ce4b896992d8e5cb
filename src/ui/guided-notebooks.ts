/**
 * The guided notebooks shipped in `notebooks/`, bundled as lazy text chunks
 * (none of them is in the initial JavaScript).
 */
const files = import.meta.glob('/notebooks/*.ipynb', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

export interface GuidedNotebook {
  /** Path as in the repository, e.g. `notebooks/01-first-steps.ipynb`. */
  path: string;
  /** File name. */
  name: string;
  load(): Promise<string>;
}

export function listGuidedNotebooks(): GuidedNotebook[] {
  return Object.keys(files)
    .sort()
    .map((key) => ({ path: key.replace(/^\//, ''), name: key.split('/').pop()!, load: files[key] }));
}

/** The guided notebook at `path` (with or without a leading `/` or `./`), if there is one. */
export function findGuidedNotebook(path: string): GuidedNotebook | undefined {
  const clean = path.replace(/^\.?\//, '');
  return listGuidedNotebooks().find((g) => g.path === clean || g.name === clean);
}

/** The first Markdown heading of a notebook's text, else its file name without extension. */
export function titleOf(text: string, fallback: string): { title: string; summary: string } {
  try {
    const nb = JSON.parse(text) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    const md = nb.cells?.find((c) => c.cell_type === 'markdown');
    const source = Array.isArray(md?.source) ? md.source.join('') : (md?.source ?? '');
    const heading = /^#+\s+(.+)$/m.exec(source)?.[1];
    const summary = source.split('\n').find((line) => line.trim() && !line.startsWith('#')) ?? '';
    return { title: heading?.trim() ?? fallback, summary: summary.replace(/[*_`]/g, '').slice(0, 160) };
  } catch {
    return { title: fallback, summary: '' };
  }
}
