/**
 * Reading and writing `.ipynb` files: the File System Access API where the
 * browser has it (Save writes back to the same file), otherwise a file input
 * to open and a download to save.
 */

export interface OpenedFile {
  name: string;
  text: string;
  handle?: FileSystemFileHandle;
}

const PICKER_TYPES = [{ description: 'Jupyter notebook', accept: { 'application/x-ipynb+json': ['.ipynb'] } }];

interface PickerWindow {
  showOpenFilePicker?(options: unknown): Promise<FileSystemFileHandle[]>;
  showSaveFilePicker?(options: unknown): Promise<FileSystemFileHandle>;
}
const pickers = () => window as unknown as PickerWindow;

/** True when Save can write to a file the user picked. */
export function hasFileSystemAccess(): boolean {
  return typeof pickers().showSaveFilePicker === 'function';
}

/** Asks for a notebook file; resolves undefined when the user cancels. */
export async function pickNotebookFile(fallbackInput: () => HTMLInputElement): Promise<OpenedFile | undefined> {
  const open = pickers().showOpenFilePicker;
  if (open) {
    try {
      const [handle] = await open.call(window, { types: PICKER_TYPES, multiple: false });
      const file = await handle.getFile();
      return { name: file.name, text: await file.text(), handle };
    } catch (error) {
      if ((error as DOMException).name === 'AbortError') return undefined;
      throw error;
    }
  }
  const input = fallbackInput();
  return new Promise((resolve) => {
    input.value = '';
    input.onchange = async () => {
      const file = input.files?.[0];
      resolve(file ? { name: file.name, text: await file.text() } : undefined);
    };
    input.click();
  });
}

/** Reads a File (from a file input or a drop). */
export async function readNotebookFile(file: File): Promise<OpenedFile> {
  return { name: file.name, text: await file.text() };
}

/** Writes text to a handle, asking for permission again when the browser dropped it. */
export async function writeToHandle(handle: FileSystemFileHandle, text: string): Promise<void> {
  const h = handle as FileSystemFileHandle & {
    queryPermission?(o: unknown): Promise<PermissionState>;
    requestPermission?(o: unknown): Promise<PermissionState>;
  };
  if (h.queryPermission && (await h.queryPermission({ mode: 'readwrite' })) !== 'granted') {
    if (h.requestPermission && (await h.requestPermission({ mode: 'readwrite' })) !== 'granted') {
      throw new Error(`Permission to write ${handle.name} was refused. Use "Save as" or "Download .ipynb" instead.`);
    }
  }
  const writable = await handle.createWritable();
  await writable.write(text);
  await writable.close();
}

/** Asks where to save; resolves undefined when the user cancels. */
export async function pickSaveLocation(suggestedName: string): Promise<FileSystemFileHandle | undefined> {
  const save = pickers().showSaveFilePicker;
  if (!save) return undefined;
  try {
    return await save.call(window, { suggestedName, types: PICKER_TYPES });
  } catch (error) {
    if ((error as DOMException).name === 'AbortError') return undefined;
    throw error;
  }
}

/** Offers the text as a download named `name`. */
export function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ipynb+json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
