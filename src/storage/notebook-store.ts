/**
 * Autosave and recent files in IndexedDB: one record per open notebook, keyed
 * by where it came from. Records keep the notebook as `.ipynb` text, whether
 * it is trusted, whether it has changes not yet saved to its file, and (where
 * the browser allows) the file handle to save back to.
 */

export type NotebookOrigin = 'new' | 'file' | 'url' | 'guided';

export interface NotebookRecord {
  /** Stable identity: `new:<uuid>`, `file:<uuid>`, `url:<url>`, `guided:<path>`. */
  key: string;
  /** File name shown in lists and used when saving. */
  name: string;
  origin: NotebookOrigin;
  /** The URL or path it was opened from, for `url` and `guided`. */
  location?: string;
  /** The notebook as `.ipynb` text. */
  ipynb: string;
  trusted: boolean;
  /** True when the autosaved text has changes not written to the notebook's file. */
  dirty: boolean;
  /** Milliseconds since the epoch of the last autosave. */
  updatedAt: number;
  /** Where Save writes, when the File System Access API gave us a handle. */
  handle?: FileSystemFileHandle;
}

/** Thrown when the browser refuses to store more (QuotaExceededError). */
export class StorageFullError extends Error {
  constructor() {
    super('Autosave failed: the browser storage for this site is full. Save the notebook to a file (Ctrl+S), then free space by clearing old notebooks or site data.');
    this.name = 'StorageFullError';
  }
}

const DB_NAME = 'tailor';
const STORE = 'notebooks';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
}

export class NotebookStore {
  private db?: Promise<IDBDatabase>;

  constructor(private readonly dbName = DB_NAME) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(this.dbName, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: 'key' });
        store.createIndex('updatedAt', 'updatedAt');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return this.db;
  }

  async get(key: string): Promise<NotebookRecord | undefined> {
    const db = await this.open();
    return promised(db.transaction(STORE).objectStore(STORE).get(key));
  }

  /** Writes a record; a full disk becomes a `StorageFullError` that says what to do. */
  async put(record: NotebookRecord): Promise<void> {
    const db = await this.open();
    try {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(record);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } catch (error) {
      throw isQuotaError(error) ? new StorageFullError() : error;
    }
  }

  async remove(key: string): Promise<void> {
    const db = await this.open();
    await promised(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key));
  }

  /** The most recently touched notebooks first. */
  async recent(limit = 12): Promise<NotebookRecord[]> {
    const db = await this.open();
    const all = await promised(db.transaction(STORE).objectStore(STORE).getAll());
    return all.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
  }
}
