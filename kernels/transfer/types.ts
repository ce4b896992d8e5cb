/**
 * The data shapes shared by every part of the transfer library. Plain
 * objects (no tensors), so they cross worker boundaries, serialise to JSON
 * and never leak memory.
 */

/** One image of a dataset: where it came from and its class. */
export interface ImageItem {
  /** Path (Node), URL (page) or file name: what a person would recognise. */
  path: string;
  /** Class index into the dataset's `classes`. */
  label: number;
  /** Lazily read bytes; datasets built from `File`s or captures fill this in. */
  bytes?: Uint8Array;
  /** A page `File`/`Blob` to read the bytes from (file pickers, dropped folders). */
  blob?: Blob;
}

/** A labelled image collection (one split). */
export interface ImageSet {
  classes: string[];
  items: ImageItem[];
}

/** Features of a set of images: one `dim`-long row per item, row-major. */
export interface FeatureSet {
  x: Float32Array;
  dim: number;
  /** Class index per row. */
  labels: Int32Array;
  classes: string[];
  items: ImageItem[];
  /** Which backbone, layer and preprocessing produced the rows. */
  source?: { backbone: string; layer: string; preprocessing: string; tta?: 'flip' };
  /** Cache statistics for the extraction that produced this set. */
  cache?: { hits: number; misses: number };
}

/** Options shared by long-running calls. */
export interface LongRunOptions<P> {
  /** Stops at the next batch/epoch; the call returns what it has done so far. */
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
}

/** How raw pixel values [0, 255] are scaled before the network sees them. */
export type InputRange = [number, number];
