import { envVar, isNode, nodeModules } from '../env.ts';

/**
 * Where Tailor's static assets live.
 *
 * Node: `TAILOR_PUBLIC_DIR` when set, else `<repo>/public` (found from this
 * file's location). Page/worker: the site root, so `/models/<id>/model.json`
 * and `/data/<name>/index.json` are relative URLs served by Vite.
 */
export async function publicDir(): Promise<string> {
  if (!isNode()) return '/';
  const override = envVar('TAILOR_PUBLIC_DIR');
  const { path } = await nodeModules();
  if (override) return path.resolve(override);
  const here = new URL(import.meta.url);
  // kernels/transfer/assets/locate.ts → <repo>/public
  return path.resolve(decodeURIComponent(here.pathname), '../../../../public');
}

/** Folder (Node) or URL prefix (page) of a shipped model, e.g. `public/models/darknet_tiny`. */
export async function modelLocation(id: string): Promise<string> {
  return joinLocation(await publicDir(), 'models', id);
}

/** Folder (Node) or URL prefix (page) of a shipped dataset, e.g. `public/data/hymenoptera_data`. */
export async function dataLocation(name: string): Promise<string> {
  return joinLocation(await publicDir(), 'data', name);
}

/**
 * Folder for downloaded weights and cached features in Node:
 * `TAILOR_CACHE_DIR`, else `$XDG_CACHE_HOME/tailor`, else `~/.cache/tailor`.
 */
export async function nodeCacheDir(): Promise<string> {
  const { path, os } = await nodeModules();
  const override = envVar('TAILOR_CACHE_DIR');
  if (override) return path.resolve(override);
  const xdg = envVar('XDG_CACHE_HOME');
  return path.join(xdg ?? path.join(os.homedir(), '.cache'), 'tailor');
}

function joinLocation(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts].join('/');
}

/** The message every "asset not found" error ends with. */
export const FETCH_ASSETS_HINT = 'run `npm run assets` (it copies from TAILOR_ASSETS or downloads from the publishers)';
