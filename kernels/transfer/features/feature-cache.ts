import { isNode } from '../env.ts';
import { createIndexedDbFeatureStore } from './indexeddb-store.ts';
import { createNodeFeatureStore } from './node-store.ts';

/**
 * Persistent storage of feature vectors. Keys are `<namespace>/<image hash>`,
 * where the namespace names the backbone, its weights, the layer and the
 * preprocessing; values are the vectors. Implementations never throw on a
 * miss; `get` resolves `undefined` entries instead.
 */
export interface FeatureStore {
  /** Where the vectors live, for messages. */
  readonly location: string;
  get(namespace: string, keys: string[]): Promise<Array<Float32Array | undefined>>;
  put(namespace: string, entries: Array<[string, Float32Array]>): Promise<void>;
  /** Forgets every vector of a namespace, or everything. */
  clear(namespace?: string): Promise<void>;
}

let defaultStore: Promise<FeatureStore> | undefined;

/** The platform's persistent store: files under the cache folder in Node, IndexedDB in the page. */
export function defaultFeatureStore(): Promise<FeatureStore> {
  defaultStore ??= isNode() ? createNodeFeatureStore() : Promise.resolve(createIndexedDbFeatureStore());
  return defaultStore;
}

/** A store that lives only as long as the process/page (tests, or when persistence is off). */
export function createMemoryFeatureStore(): FeatureStore {
  const data = new Map<string, Float32Array>();
  return {
    location: 'memory',
    async get(ns, keys) {
      return keys.map((k) => data.get(`${ns}/${k}`));
    },
    async put(ns, entries) {
      for (const [k, v] of entries) data.set(`${ns}/${k}`, v);
    },
    async clear(ns) {
      if (!ns) data.clear();
      else for (const k of [...data.keys()]) if (k.startsWith(`${ns}/`)) data.delete(k);
    },
  };
}
