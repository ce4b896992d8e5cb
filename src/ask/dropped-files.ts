/**
 * Files from a drop or a picker, with their paths inside the chosen folder.
 * A dropped folder is walked (the File System entries API); a picked folder
 * (`webkitdirectory`) gives `webkitRelativePath`. Either way the chosen
 * folder's own name is dropped, so `train/ants/1.jpg` from the folder
 * `train` is `ants/1.jpg` — the same path `tailor run --files train` gives.
 */

export interface ChosenFile {
  file: File;
  /** Path inside the chosen folder, `/`-separated (the name for loose files). */
  path: string;
}

/** Strips the common first folder when every path has one (a single chosen folder). */
function dropRoot(files: ChosenFile[]): ChosenFile[] {
  const first = files[0]?.path.split('/')[0];
  const common = files.length > 0 && files.every((f) => f.path.includes('/') && f.path.split('/')[0] === first);
  return common ? files.map((f) => ({ ...f, path: f.path.slice(first.length + 1) })) : files;
}

const byPath = (a: ChosenFile, b: ChosenFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Files picked with `<input type=file>` (with or without `webkitdirectory`), in path order. */
export function pickedFiles(list: FileList | readonly File[]): ChosenFile[] {
  return dropRoot(Array.from(list, (file) => ({ file, path: (file.webkitRelativePath || file.name).replace(/^\/+/, '') })).sort(byPath));
}

async function readEntry(entry: FileSystemEntry, out: ChosenFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\/+/, '') });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await readEntry(child, out);
  }
}

/** Files of a drop, walking dropped folders, in path order. */
export async function droppedFiles(data: DataTransfer): Promise<ChosenFile[]> {
  const entries = Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return pickedFiles(data.files);
  const out: ChosenFile[] = [];
  for (const entry of entries) await readEntry(entry, out);
  return dropRoot(out.sort(byPath));
}
