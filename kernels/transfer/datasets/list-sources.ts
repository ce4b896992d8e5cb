import { FETCH_ASSETS_HINT, dataLocation } from '../assets/locate.ts';
import { isNode, nodeModules } from '../env.ts';

/** One file found in a dataset source, before classes are assigned. */
export interface SourceEntry {
  /** Path relative to the dataset root, with `/` separators (e.g. `train/ants/1.jpg`). */
  rel: string;
  /** Full path (Node), URL (page) or file name. */
  path: string;
  bytes?: Uint8Array;
  blob?: Blob;
}

/** A dataset location resolved to its files. */
export interface SourceListing {
  root: string;
  entries: SourceEntry[];
  /** Class folders found empty (to warn about). */
  emptyDirs: string[];
}

const SKIP_NAMES = /^(\.|__MACOSX$|Thumbs\.db$|desktop\.ini$|index\.json$|README(\.\w+)?$|LICEN[CS]E(\.\w+)?$)/i;

/** Lists a Node folder tree (follows no symlinked folders, so loops cannot hang it). */
export async function listNodeFolder(root: string): Promise<SourceListing> {
  const { fs, path } = await nodeModules();
  const entries: SourceEntry[] = [];
  const emptyDirs: string[] = [];
  async function walk(dir: string, rel: string, depth: number): Promise<void> {
    const children = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    let files = 0;
    for (const child of children) {
      if (SKIP_NAMES.test(child.name)) continue;
      const full = path.join(dir, child.name);
      const childRel = rel ? `${rel}/${child.name}` : child.name;
      if (child.isDirectory() && depth < 4) await walk(full, childRel, depth + 1);
      else if (child.isFile() || (child.isSymbolicLink() && (await fs.stat(full).catch(() => undefined))?.isFile())) {
        entries.push({ rel: childRel, path: full });
        files++;
      }
    }
    if (depth > 0 && files === 0 && !children.some((c) => c.isDirectory())) emptyDirs.push(rel);
  }
  await walk(root, '', 0);
  return { root, entries, emptyDirs };
}

/**
 * Lists a dataset served over HTTP through its manifest (`index.json`, written
 * by `npm run assets`). Accepted shapes: an array of relative paths;
 * `{files: [path | {path}]}`; or `{items: [{path}]}`. Paths are relative to the manifest.
 */
export async function listManifest(manifestUrl: string): Promise<SourceListing> {
  let response: Response;
  try {
    response = await fetch(manifestUrl);
  } catch (error) {
    throw new Error(`Could not fetch the dataset manifest ${manifestUrl}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    throw new Error(`The dataset manifest ${manifestUrl} answered HTTP ${response.status}. To fix: ${FETCH_ASSETS_HINT}.`);
  }
  const json = (await response.json()) as unknown;
  const raw = Array.isArray(json) ? json : ((json as { files?: unknown[]; items?: unknown[] }).files ?? (json as { items?: unknown[] }).items);
  if (!Array.isArray(raw)) throw new Error(`${manifestUrl} is not a dataset manifest (expected a list of files or {files: [...]}).`);
  const base = new URL('.', new URL(manifestUrl, globalThis.location?.href ?? 'http://localhost/'));
  const entries = raw.map((e) => {
    const rel = typeof e === 'string' ? e : String((e as { path?: string }).path ?? '');
    return { rel, path: new URL(rel.split('/').map(encodeURIComponent).join('/'), base).href };
  }).filter((e) => e.rel && !SKIP_NAMES.test(e.rel.split('/').pop() ?? ''));
  return { root: manifestUrl, entries, emptyDirs: [] };
}

/** Lists page `File`s (a picker with `webkitdirectory`, or a drop): classes come from their relative paths. */
export function listFiles(files: ArrayLike<File>): SourceListing {
  const list = Array.from(files);
  const rels = list.map((f) => ((f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name).replace(/^\/+/, ''));
  // A picked folder puts its own name first in every path: drop that common root.
  const first = rels[0]?.split('/')[0];
  const common = rels.length > 0 && rels.every((r) => r.split('/').length > 2 && r.split('/')[0] === first);
  const entries = list
    .map((f, i) => ({ rel: common ? rels[i].slice(first.length + 1) : rels[i], path: rels[i], blob: f as Blob }))
    .filter((e) => !SKIP_NAMES.test(e.rel.split('/').pop() ?? ''));
  return { root: common ? first : 'files', entries, emptyDirs: [] };
}

/** Resolves a dataset name, Node path or URL to its listing. */
export async function listSource(source: string): Promise<SourceListing> {
  if (/^(https?:)?\/\//.test(source) || (!isNode() && (source.startsWith('/') || source.startsWith('.')))) {
    return listManifest(/\.json([?#].*)?$/.test(source) ? source : `${source.replace(/\/$/, '')}/index.json`);
  }
  const isName = /^[\w.-]+$/.test(source);
  if (!isNode()) {
    if (!isName) throw new Error(`'${source}' is not a dataset name or URL.`);
    return listManifest(`${await dataLocation(source)}/index.json`);
  }
  const { fs } = await nodeModules();
  const candidates = isName ? [await dataLocation(source), source] : [source];
  for (const dir of candidates) {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (stat?.isDirectory()) return listNodeFolder(dir);
  }
  throw new Error(
    isName
      ? `No dataset '${source}': there is no folder ${candidates[0]} nor ./${source}. To fix: ${FETCH_ASSETS_HINT}, or pass a folder path.`
      : `No dataset folder at ${source}.`,
  );
}
