/** Saving an export from the page: a download of the exported HTML file. */
import type { Notebook } from '../model/index.ts';
import { exportHtml } from './export-html.ts';

/** `notebook.ipynb` → `notebook.html` (any other name gets `.html` appended). */
export function htmlFileName(notebookName: string): string {
  const base = notebookName.replace(/\.ipynb$/i, '') || 'notebook';
  return `${base}.html`;
}

/** Exports the notebook and offers the page as a download named after the notebook (`Export → HTML`). */
export function downloadHtml(notebook: Notebook, notebookName: string, title = notebookName.replace(/\.ipynb$/i, '')): void {
  const blob = new Blob([exportHtml(notebook, { title })], { type: 'text/html' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = htmlFileName(notebookName);
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns; free it a while later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
