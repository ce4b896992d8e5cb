/**
 * Saving a notebook: to its file handle when there is one, through the save
 * picker when the browser has the File System Access API, else as a download.
 */
import { toIpynb, type Notebook } from '../model/index.ts';
import { downloadText, hasFileSystemAccess, pickSaveLocation, writeToHandle, type NotebookRecord } from '../storage/index.ts';

export type SaveOutcome = { saved: true; record: NotebookRecord } | { saved: false };

/** Writes the notebook; `saveAs` always asks where. Resolves `{saved: false}` when the user cancelled. */
export async function saveNotebook(notebook: Notebook, record: NotebookRecord, saveAs: boolean): Promise<SaveOutcome> {
  const text = toIpynb(notebook);
  let handle = saveAs ? undefined : record.handle;
  if (!handle && hasFileSystemAccess()) {
    handle = await pickSaveLocation(record.name);
    if (!handle) return { saved: false };
  }
  if (handle) {
    await writeToHandle(handle, text);
    return { saved: true, record: { ...record, handle, name: handle.name, origin: record.origin === 'new' ? 'file' : record.origin } };
  }
  downloadText(record.name, text);
  return { saved: true, record };
}

/** Ensures a file name ends in `.ipynb`. */
export function notebookFileName(name: string): string {
  const base = name.trim() || 'Untitled';
  return base.endsWith('.ipynb') ? base : `${base}.ipynb`;
}
