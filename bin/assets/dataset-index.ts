/**
 * `index.json`: the manifest written into every dataset folder under
 * `public/data/`, so the page (which can only GET files over HTTP, not list
 * folders) can enumerate a dataset. The transfer library reads it.
 *
 * Shape ({@link DatasetIndex}), for `public/data/hymenoptera_data/index.json`:
 * ```json
 * {
 *   "name": "hymenoptera_data",
 *   "version": 1,
 *   "splits": ["train", "val"],
 *   "classes": ["ants", "bees"],
 *   "totalBytes": 47380420,
 *   "files": [
 *     {"path": "train/ants/0013035.jpg", "split": "train", "class": "ants", "bytes": 46706},
 *     …
 *   ]
 * }
 * ```
 * Layouts recognised (images are .jpg .jpeg .png .webp .gif .bmp; other files
 * such as README.md are not listed):
 * - `<split>/<class>/<image>` (class-per-folder inside split folders): `splits`
 *   and `classes` are the folder names, every file has both.
 * - `<class>/<image>`: `splits` is `[]`, files have `class` only.
 * - `<image>` at the top (e.g. `photos/`): `splits` and `classes` are `[]`,
 *   files have neither.
 * Paths are relative to the dataset folder, `/`-separated; `classes` is the
 * sorted union over splits; files are sorted by path; a class index is its
 * position in `classes`.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { writeVerified } from './atomic-file.ts';

export interface DatasetFile {
  /** Relative to the dataset folder, `/`-separated. */
  path: string;
  split?: string;
  class?: string;
  bytes: number;
}

export interface DatasetIndex {
  /** The dataset folder's name. */
  name: string;
  /** Format version of this file; bumped on incompatible change. */
  version: 1;
  splits: string[];
  classes: string[];
  /** Sum of `bytes` over `files`. */
  totalBytes: number;
  files: DatasetFile[];
}

/** File name of the manifest inside a dataset folder. */
export const DATASET_INDEX_FILE = 'index.json';

const IMAGE = /\.(jpe?g|png|webp|gif|bmp)$/i;

/** Builds the index of the dataset folder `dir` from what is on disk. */
export async function buildDatasetIndex(dir: string, name: string): Promise<DatasetIndex> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const images = entries
    .filter((entry) => entry.isFile() && IMAGE.test(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'))
    .sort();
  const depths = new Set(images.map((path) => path.split('/').length));
  if (depths.size > 1) throw new Error(`dataset ${name}: images sit at mixed depths (${[...depths].join(', ')}); use <split>/<class>/<image> or <class>/<image>`);
  const files: DatasetFile[] = [];
  for (const path of images) {
    const parts = path.split('/');
    if (parts.length > 3) throw new Error(`dataset ${name}: ${path} is nested deeper than <split>/<class>/<image>`);
    const split = parts.length === 3 ? { split: parts[0]! } : {};
    const label = parts.length >= 2 ? { class: parts[parts.length - 2]! } : {};
    files.push({ path, ...split, ...label, bytes: (await stat(join(dir, path))).size });
  }
  const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  return {
    name,
    version: 1,
    splits: unique(files.map((f) => f.split)),
    classes: unique(files.map((f) => f.class)),
    totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    files,
  };
}

/** index.json text: the header fields indented, then one compact line per file (readable and diff-friendly). */
export function formatDatasetIndex(index: DatasetIndex): string {
  const { files, ...header } = index;
  const head = JSON.stringify(header, null, 1).replace(/\n}$/, '');
  return `${head},\n "files": [\n${files.map((file) => `  ${JSON.stringify(file)}`).join(',\n')}\n ]\n}\n`;
}

/** Writes `<dir>/index.json` (atomically) and returns the index. */
export async function writeDatasetIndex(dir: string, name: string): Promise<DatasetIndex> {
  const index = await buildDatasetIndex(dir, name);
  const text = Buffer.from(formatDatasetIndex(index));
  await writeVerified(join(dir, DATASET_INDEX_FILE), Readable.from([text]), { bytes: text.length }, `data/${name}/${DATASET_INDEX_FILE}`, 'the dataset folder');
  return index;
}
