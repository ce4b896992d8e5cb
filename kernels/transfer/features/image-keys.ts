import { isNode, nodeModules, sha256Hex } from '../env.ts';
import type { ImageItem } from '../types.ts';
import { readItemBytes } from '../datasets/load-image-folder.ts';

/** An item's content hash, and its bytes when they had to be read to get it. */
export interface KeyedItem {
  key: string;
  bytes?: Uint8Array;
}

// Content hashes of files already read, keyed by path + size + mtime, so a
// re-extraction in the same process only stats the files.
const byFileStamp = new Map<string, string>();
const byBlob = new WeakMap<Blob, string>();
const byBytes = new WeakMap<Uint8Array, string>();

/** SHA-256 of an item's image bytes (reads them unless a fresh stamp says they did not change). */
export async function keyItem(item: ImageItem): Promise<KeyedItem> {
  if (item.bytes) {
    let key = byBytes.get(item.bytes);
    if (!key) byBytes.set(item.bytes, (key = await sha256Hex(item.bytes)));
    return { key, bytes: item.bytes };
  }
  if (item.blob) {
    const known = byBlob.get(item.blob);
    if (known) return { key: known };
    const bytes = await readItemBytes(item);
    const key = await sha256Hex(bytes);
    byBlob.set(item.blob, key);
    return { key, bytes };
  }
  if (isNode() && !/^https?:/.test(item.path)) {
    const { fs } = await nodeModules();
    const stat = await fs.stat(item.path);
    const stamp = `${item.path}\0${stat.size}\0${stat.mtimeMs}`;
    const known = byFileStamp.get(stamp);
    if (known) return { key: known };
    const bytes = await readItemBytes(item);
    const key = await sha256Hex(bytes);
    byFileStamp.set(stamp, key);
    return { key, bytes };
  }
  const bytes = await readItemBytes(item);
  return { key: await sha256Hex(bytes), bytes };
}
