import type { FeatureStore } from './feature-cache.ts';

const DB_NAME = 'tailor-features';
const STORE = 'vectors';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (storage full?)'));
  });
}

/**
 * Feature vectors in IndexedDB (page and Web Worker), one record per
 * `<namespace>/<key>`, stored as ArrayBuffers. When IndexedDB is missing or
 * refuses (private mode, quota), reads miss and writes are dropped with one
 * console warning — extraction still works, only uncached.
 */
export function createIndexedDbFeatureStore(): FeatureStore {
  let db: Promise<IDBDatabase | undefined> | undefined;
  let warned = false;
  const warn = (error: unknown) => {
    if (!warned) console.warn(`tailor: the feature cache (IndexedDB) is unavailable: ${String(error)}`);
    warned = true;
  };
  const getDb = () => {
    db ??= typeof indexedDB === 'undefined' ? Promise.resolve(undefined) : openDb().catch((e) => (warn(e), undefined));
    return db;
  };
  return {
    location: `indexeddb:${DB_NAME}`,
    async get(ns, keys) {
      const handle = await getDb();
      if (!handle) return keys.map(() => undefined);
      const tx = handle.transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const values = await Promise.all(
        keys.map(
          (k) =>
            new Promise<Float32Array | undefined>((resolve) => {
              const r = store.get(`${ns}/${k}`);
              r.onsuccess = () => resolve(r.result instanceof ArrayBuffer ? new Float32Array(r.result) : undefined);
              r.onerror = () => resolve(undefined);
            }),
        ),
      );
      return values;
    },
    async put(ns, entries) {
      const handle = await getDb();
      if (!handle) return;
      try {
        const tx = handle.transaction(STORE, 'readwrite');
        const store = tx.objectStore(STORE);
        for (const [k, v] of entries) store.put(v.slice().buffer, `${ns}/${k}`);
        await done(tx);
      } catch (error) {
        warn(error);
      }
    },
    async clear(ns) {
      const handle = await getDb();
      if (!handle) return;
      const tx = handle.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      if (ns) store.delete(IDBKeyRange.bound(`${ns}/`, `${ns}/\uffff`));
      else store.clear();
      await done(tx);
    },
  };
}
