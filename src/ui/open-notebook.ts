/**
 * Turning a source (new, file, guided, URL, autosave) into what the notebook
 * view opens: the parsed notebook and its record. When an autosave of the
 * same notebook holds unsaved changes, those win and the view says so.
 */
import { createCell, createNotebook, parseIpynb, toIpynb, type Notebook } from '../model/index.ts';
import type { NotebookOrigin, NotebookRecord, NotebookStore } from '../storage/index.ts';
import { findGuidedNotebook } from './guided-notebooks.ts';
import { notebookFileName } from './notebook-files.ts';

export interface OpenedNotebook {
  record: NotebookRecord;
  notebook: Notebook;
  warnings: readonly string[];
  /** Set when unsaved changes were restored from an autosave. */
  recoveredAt?: number;
}

/** Thrown with a sentence for the user: what was wrong and what to do. */
export class OpenError extends Error {}

function parseOrThrow(text: string, name: string): { notebook: Notebook; warnings: readonly string[] } {
  const result = parseIpynb(text);
  if (!result.ok) throw new OpenError(`Could not open ${name}:\n${result.errors.join('\n')}`);
  return { notebook: result.notebook, warnings: result.warnings };
}

/** A new notebook with one empty code cell. */
export function newNotebook(): OpenedNotebook {
  const notebook = createNotebook([createCell('code')]);
  const record: NotebookRecord = {
    key: `new:${crypto.randomUUID()}`,
    name: 'Untitled.ipynb',
    origin: 'new',
    ipynb: toIpynb(notebook),
    trusted: true,
    dirty: false,
    updatedAt: Date.now(),
  };
  return { record, notebook, warnings: [] };
}

/** Opens text from `origin`; an autosave of the same key with unsaved changes is restored instead. */
export async function openText(
  store: NotebookStore,
  text: string,
  source: { key: string; name: string; origin: NotebookOrigin; location?: string; trusted: boolean; handle?: FileSystemFileHandle },
): Promise<OpenedNotebook> {
  const saved = await store.get(source.key).catch(() => undefined);
  if (saved?.dirty) {
    const restored = parseIpynb(saved.ipynb);
    if (restored.ok) return { record: saved, notebook: restored.notebook, warnings: restored.warnings, recoveredAt: saved.updatedAt };
  }
  const { notebook, warnings } = parseOrThrow(text, source.name);
  const record: NotebookRecord = { ...source, name: notebookFileName(source.name), ipynb: text, dirty: false, updatedAt: Date.now() };
  return { record, notebook, warnings };
}

/** Reopens a notebook from its autosave record (recent list, reload). */
export async function openRecord(store: NotebookStore, key: string): Promise<OpenedNotebook> {
  const record = await store.get(key);
  if (!record) throw new OpenError(`This browser has no saved copy of that notebook (${key}). Open the file again.`);
  const { notebook, warnings } = parseOrThrow(record.ipynb, record.name);
  return { record, notebook, warnings, recoveredAt: record.dirty ? record.updatedAt : undefined };
}

/** Opens a guided notebook (trusted: it ships with the app) or any path or URL (untrusted). */
export async function openLocation(store: NotebookStore, location: string): Promise<OpenedNotebook> {
  const guided = findGuidedNotebook(location);
  if (guided) {
    return openText(store, await guided.load(), {
      key: `guided:${guided.path}`,
      name: guided.name,
      origin: 'guided',
      location: guided.path,
      trusted: true,
    });
  }
  let url: URL;
  try {
    url = new URL(location, location.includes('://') ? undefined : document.baseURI);
  } catch {
    throw new OpenError(`"${location}" is not a URL or path of a notebook. Use ?open=https://…/name.ipynb.`);
  }
  let text: string;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new OpenError(`Could not fetch ${url}: the server answered ${response.status} ${response.statusText}.`);
    text = await response.text();
  } catch (error) {
    if (error instanceof OpenError) throw error;
    throw new OpenError(`Could not fetch ${url} (${String(error)}). Check the address, or download the file and open it.`);
  }
  const name = decodeURIComponent(url.pathname.split('/').pop() || 'notebook.ipynb');
  return openText(store, text, { key: `url:${url.href}`, name, origin: 'url', location: url.href, trusted: false });
}
