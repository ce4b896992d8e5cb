import { nodeCacheDir } from '../assets/locate.ts';
import { nodeModules } from '../env.ts';
import type { FeatureStore } from './feature-cache.ts';

/**
 * Feature vectors as files: `<dir>/<namespace>/<key>.f32` (raw float32,
 * little-endian). Default dir: `<cache>/features` (`TAILOR_CACHE_DIR`, else
 * `~/.cache/tailor`). Writes go through a temporary name and a rename, so a
 * crash never leaves a half vector behind.
 */
export async function createNodeFeatureStore(dir?: string): Promise<FeatureStore> {
  const { fs, path } = await nodeModules();
  const root = dir ?? path.join(await nodeCacheDir(), 'features');
  const made = new Set<string>();
  const file = (ns: string, key: string) => path.join(root, ns, `${key}.f32`);
  return {
    location: root,
    async get(ns, keys) {
      return Promise.all(
        keys.map(async (key) => {
          try {
            const buf = await fs.readFile(file(ns, key));
            return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
          } catch {
            return undefined;
          }
        }),
      );
    },
    async put(ns, entries) {
      const folder = path.join(root, ns);
      if (!made.has(folder)) {
        await fs.mkdir(folder, { recursive: true });
        made.add(folder);
      }
      await Promise.all(
        entries.map(async ([key, vector]) => {
          const target = file(ns, key);
          const tmp = `${target}.${process.pid}.tmp`;
          await fs.writeFile(tmp, new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
          await fs.rename(tmp, target);
        }),
      );
    },
    async clear(ns) {
      await fs.rm(ns ? path.join(root, ns) : root, { recursive: true, force: true });
      made.clear();
    },
  };
}
