import { sha256Hex } from '../env.ts';
import { decodeImage } from '../images/decode.ts';
import { readBytes } from '../images/preprocess.ts';
import type { ImageItem, ImageSet } from '../types.ts';
import { listFiles, listSource, type SourceEntry, type SourceListing } from './list-sources.ts';
import { splitStratified, type SplitOptions } from './split.ts';

/** A file that is not part of the dataset, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** A loaded image dataset: classes, splits, counts and what was left out. */
export interface ImageDataset {
  /** Class names, sorted; an item's `label` indexes this. */
  classes: string[];
  /** The training images (all images when the source has no split and none was asked for). */
  train: ImageSet;
  /** Validation images: the source's `val/` folder, or the stratified split asked for. */
  val?: ImageSet;
  /** The source's `test/` folder, when it has one. */
  test?: ImageSet;
  /** Every image. */
  all: ImageSet;
  /** Images per class name, per split. */
  counts: { all: Record<string, number>; train: Record<string, number>; val?: Record<string, number>; test?: Record<string, number> };
  /** Soft problems: tiny classes, imbalance, empty class folders, duplicate images. */
  warnings: string[];
  /** Files left out, with the reason (never fatal). */
  skipped: SkippedFile[];
  /** Where the dataset came from. */
  root: string;
}

/** Options of `loadImageFolder`. */
export interface LoadImageFolderOptions {
  /** Make a stratified train/val split (ignored when the source has its own `val/`). */
  split?: SplitOptions;
  /** Decode every image once to find the bad ones (default true). With false, only names and sizes are checked. */
  verify?: boolean;
  /** Classes with fewer images than this get a warning (default 5). */
  minPerClass?: number;
}

/** A captured frame (webcam, canvas) with its class name. */
export interface Capture {
  label: string;
  image: Uint8Array | Blob;
  /** A name for listings (default `<label>/capture-<n>`). */
  name?: string;
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|bmp|tiff?|avif)$/i;
const SPLIT_NAMES: Record<string, 'train' | 'val' | 'test'> = {
  train: 'train', training: 'train', val: 'val', valid: 'val', validation: 'val', test: 'test', testing: 'test',
};

/**
 * Loads a class-per-folder image dataset: `root/<class>/<image>` or
 * `root/{train,val,test}/<class>/<image>`. `source` is a dataset name under
 * `public/data` (`'hymenoptera_data'`), a folder path (Node), a URL of a
 * folder with an `index.json` manifest, or page `File`s (a folder picker or a
 * drop). Unreadable or non-image files are listed in `skipped` with the
 * reason; they never fail the dataset.
 */
export async function loadImageFolder(
  source: string | ArrayLike<File>,
  options: LoadImageFolderOptions = {},
): Promise<ImageDataset> {
  const listing = typeof source === 'string' ? await listSource(source) : listFiles(source);
  return buildDataset(listing, options);
}

/** Builds a dataset from captured frames (e.g. the webcam), one class per label. */
export async function fromCaptures(captures: Capture[], options: LoadImageFolderOptions = {}): Promise<ImageDataset> {
  const counters = new Map<string, number>();
  const entries: SourceEntry[] = captures.map((c) => {
    const n = (counters.get(c.label) ?? 0) + 1;
    counters.set(c.label, n);
    const name = c.name ?? `capture-${n}.png`;
    const rel = `${c.label}/${name}`;
    return c.image instanceof Uint8Array ? { rel, path: rel, bytes: c.image } : { rel, path: rel, blob: c.image };
  });
  return buildDataset({ root: 'captures', entries, emptyDirs: [] }, options);
}

interface Placed {
  entry: SourceEntry;
  split: 'train' | 'val' | 'test' | undefined;
  className: string;
}

async function buildDataset(listing: SourceListing, options: LoadImageFolderOptions): Promise<ImageDataset> {
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  const placed: Placed[] = [];
  for (const entry of listing.entries) {
    const parts = entry.rel.split('/');
    const name = parts[parts.length - 1];
    const split = parts.length >= 3 ? SPLIT_NAMES[parts[parts.length - 3].toLowerCase()] : undefined;
    if (parts.length < 2) {
      skipped.push({ path: entry.path, reason: 'not inside a class folder' });
    } else if (!IMAGE_EXT.test(name)) {
      skipped.push({ path: entry.path, reason: `not an image file name (expected .jpg, .png, .webp, .gif, …)` });
    } else {
      placed.push({ entry, split, className: parts[parts.length - 2] });
    }
  }
  if (options.verify ?? true) {
    const { bad, hashes } = await verifyAll(placed.map((p) => p.entry));
    for (const [i, reason] of bad) skipped.push({ path: placed[i].entry.path, reason });
    warnings.push(...duplicateWarnings(placed, hashes, bad));
    const badSet = new Set(bad.keys());
    const kept = placed.filter((_, i) => !badSet.has(i));
    placed.length = 0;
    placed.push(...kept);
  }
  for (const dir of listing.emptyDirs) warnings.push(`Folder '${dir}' holds no images.`);
  const classes = [...new Set(placed.map((p) => p.className))].sort();
  if (placed.length === 0) warnings.push(`No images found in ${listing.root}.`);
  const itemOf = (p: Placed): ImageItem => {
    const item: ImageItem = { path: p.entry.path, label: classes.indexOf(p.className) };
    if (p.entry.bytes) item.bytes = p.entry.bytes;
    if (p.entry.blob) item.blob = p.entry.blob;
    return item;
  };
  const setOf = (filter: (p: Placed) => boolean): ImageSet => ({ classes, items: placed.filter(filter).map(itemOf) });
  const all = setOf(() => true);
  const hasSplits = placed.some((p) => p.split !== undefined);
  let train = hasSplits ? setOf((p) => p.split === 'train') : all;
  let val = hasSplits && placed.some((p) => p.split === 'val') ? setOf((p) => p.split === 'val') : undefined;
  const test = hasSplits && placed.some((p) => p.split === 'test') ? setOf((p) => p.split === 'test') : undefined;
  if (options.split && !val) ({ train, val } = splitStratified(train, options.split));
  else if (options.split && val) warnings.push('The source has its own val/ folder; options.split was not applied.');
  const counts = {
    all: countBy(all),
    train: countBy(train),
    ...(val ? { val: countBy(val) } : {}),
    ...(test ? { test: countBy(test) } : {}),
  };
  warnings.push(...balanceWarnings(counts.all, options.minPerClass ?? 5));
  return { classes, train, val, test, all, counts, warnings, skipped, root: listing.root };
}

function countBy(set: ImageSet): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(set.classes.map((c) => [c, 0]));
  for (const it of set.items) counts[set.classes[it.label]]++;
  return counts;
}

function balanceWarnings(counts: Record<string, number>, minPerClass: number): string[] {
  const warnings: string[] = [];
  const entries = Object.entries(counts);
  if (entries.length === 1) warnings.push(`Only one class ('${entries[0][0]}'): a classifier needs at least two.`);
  for (const [name, n] of entries) {
    if (n < minPerClass) warnings.push(`Class '${name}' has only ${n} image${n === 1 ? '' : 's'} (fewer than ${minPerClass}).`);
  }
  const sizes = entries.map(([, n]) => n).filter((n) => n > 0);
  if (sizes.length >= 2 && Math.max(...sizes) > 3 * Math.min(...sizes)) {
    warnings.push(`Classes are imbalanced: ${entries.map(([c, n]) => `${c} ${n}`).join(', ')} (largest > 3× smallest).`);
  }
  return warnings;
}

/** Reads an item's bytes: kept bytes, a page Blob, or the path/URL. */
export async function readItemBytes(item: { path: string; bytes?: Uint8Array; blob?: Blob }): Promise<Uint8Array> {
  if (item.bytes) return item.bytes;
  if (item.blob) return new Uint8Array(await item.blob.arrayBuffer());
  return readBytes(item.path);
}

/**
 * Decodes every entry at a small size (a few at a time); returns index →
 * reason for the bad ones, and the SHA-256 of each readable entry's bytes.
 */
async function verifyAll(entries: SourceEntry[]): Promise<{ bad: Map<number, string>; hashes: Array<string | undefined> }> {
  const bad = new Map<number, string>();
  const hashes: Array<string | undefined> = new Array(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      try {
        const bytes = await readItemBytes(entries[i]);
        hashes[i] = await sha256Hex(bytes);
        await decodeImage(bytes, { size: 16, crop: 'stretch' });
      } catch (error) {
        bad.set(i, (error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { bad: new Map([...bad.entries()].sort((a, b) => a[0] - b[0])), hashes };
}

/**
 * One warning per group of byte-identical images: a copy in both train and
 * val inflates validation accuracy, and a copy in two classes is a labelling
 * mistake. All copies are kept (deleting is the owner's call).
 */
function duplicateWarnings(placed: Placed[], hashes: Array<string | undefined>, bad: Map<number, string>): string[] {
  const groups = new Map<string, Placed[]>();
  placed.forEach((p, i) => {
    const hash = hashes[i];
    if (hash === undefined || bad.has(i)) return;
    groups.set(hash, [...(groups.get(hash) ?? []), p]);
  });
  const warnings: string[] = [];
  for (const copies of groups.values()) {
    if (copies.length < 2) continue;
    const classes = new Set(copies.map((c) => c.className));
    const why = classes.size > 1
      ? `in different classes (${[...classes].join(', ')}): one label is wrong`
      : new Set(copies.map((c) => c.split)).size > 1
        ? 'in more than one split: validation accuracy will look better than it is'
        : 'the copies count twice in training';
    warnings.push(`Duplicate images (identical files) ${copies.map((c) => `'${c.entry.rel}'`).join(', ')}: ${why}. Delete all but one.`);
  }
  return warnings;
}
