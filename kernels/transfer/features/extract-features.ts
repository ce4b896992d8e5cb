import * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import { readItemBytes } from '../datasets/load-image-folder.ts';
import { sha256Text } from '../env.ts';
import { decodeImage } from '../images/decode.ts';
import { decodePool } from '../images/decode-pool.ts';
import { mirrorPixels, rawImagesToPixels } from '../images/pixel-batch.ts';
import type { FitSpec } from '../images/raw-image.ts';
import type { FeatureSet, ImageItem, ImageSet, InputRange, LongRunOptions } from '../types.ts';
import { defaultFeatureStore, type FeatureStore } from './feature-cache.ts';
import { keyItem, type KeyedItem } from './image-keys.ts';
import { onnxFeaturesFor } from '../onnx/onnx-features.ts';

/** What `onProgress` receives after each batch. */
export interface ExtractProgress {
  done: number;
  total: number;
  /** Images per second so far (decode + network, cache hits included). */
  imgPerSec: number;
  hits: number;
  misses: number;
}

/** Options of `extractFeatures`. */
export interface ExtractOptions extends LongRunOptions<ExtractProgress> {
  /** Images per network call (default 32). */
  batchSize?: number;
  /**
   * Feature cache: `true` (default) uses the persistent store (files under
   * the cache folder in Node, IndexedDB in the page); `false` turns caching
   * off; or pass any `FeatureStore`.
   */
  cache?: boolean | FeatureStore;
  /**
   * Test-time augmentation: 'flip' averages the features of each image and
   * of its left–right mirror (twice the network work; steadier features).
   * Part of the cache key. Default 'none'.
   */
  tta?: 'none' | 'flip';
}

/** A FeatureSet plus what extraction left out. */
export interface ExtractedFeatures extends FeatureSet {
  /** Images that could not be read or decoded (not in `x`). */
  skipped: Array<{ path: string; reason: string }>;
  /** True when `signal` stopped the extraction early; `x` holds the rows done. */
  aborted: boolean;
}

interface PreparedBatch {
  items: ImageItem[];
  keys: Array<string | undefined>;
  cached: Array<Float32Array | undefined>;
  /** Decoded, fitted and scaled pixels (float32 NHWC) of the images to run. */
  pixels: Array<Float32Array | undefined>;
  errors: Array<string | undefined>;
}

/** The cache namespace: backbone, exact weights, layer, pooling, preprocessing and test-time augmentation. */
export async function featureNamespace(net: Backbone, tta: 'none' | 'flip' = 'none'): Promise<string> {
  const i = net.info;
  const parts: unknown[] = [i.id, i.weightsHash, i.featureLayer, i.pool, i.preprocessing];
  // Without TTA the key is what it always was, so existing caches stay valid.
  if (tta !== 'none') parts.push(`tta:${tta}`);
  return (await sha256Text(JSON.stringify(parts))).slice(0, 32);
}

/** Mean of two equally long rows arrays, in place into `a`. */
function averageInto(a: Float32Array, b: Float32Array): Float32Array {
  for (let k = 0; k < a.length; k++) a[k] = (a[k] + b[k]) / 2;
  return a;
}

/** Batches decoded ahead of the one the network runs (their decoding overlaps its work). */
const BATCHES_AHEAD = 2;

/**
 * `decodeImage` then `rawImagesToPixels`: on the Node decode pool when it
 * runs, else in this thread (the same values either way).
 */
async function decodeToPixels(bytes: Uint8Array, fit: FitSpec, range: InputRange): Promise<Float32Array> {
  const pool = await decodePool();
  return pool ? pool.pixels(bytes, fit, range) : rawImagesToPixels([await decodeImage(bytes, fit)], range);
}

/**
 * Feature vectors of every image of `set` through `net.features`, in
 * batches. Cached vectors (same backbone weights, layer, preprocessing and
 * image bytes) are reused without decoding; new ones are stored. The next
 * two batches are read and decoded while the network works on the current
 * one — in Node on a pool of worker threads (`decode-pool.ts`; the same
 * pixels as in-thread decoding), with the backbone on ONNX Runtime when it
 * is installed. Unreadable
 * images are skipped and listed; `signal` stops at the next batch and
 * returns the rows done so far.
 */
export async function extractFeatures(net: Backbone, set: ImageSet, options: ExtractOptions = {}): Promise<ExtractedFeatures> {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer; got ${batchSize}.`);
  const store = options.cache === false ? undefined : options.cache === true || options.cache === undefined ? await defaultFeatureStore() : options.cache;
  const tta = options.tta ?? 'none';
  if (tta !== 'none' && tta !== 'flip') throw new Error(`tta must be 'none' or 'flip'; got ${JSON.stringify(tta)}.`);
  const ns = await featureNamespace(net, tta);
  // In Node with onnxruntime-node installed, the backbone runs as native code
  // (parity-checked against the TF.js path); elsewhere TF.js wasm does it.
  const onnx = await onnxFeaturesFor(net);
  const fit = { size: net.info.inputSize, crop: net.info.crop };
  const dim = net.info.featureDim;
  const total = set.items.length;
  const x = new Float32Array(total * dim);
  const keptItems: ImageItem[] = [];
  const skipped: Array<{ path: string; reason: string }> = [];
  let hits = 0;
  let misses = 0;
  const started = performance.now();

  const prepare = async (start: number): Promise<PreparedBatch> => {
    const items = set.items.slice(start, start + batchSize);
    const errors: Array<string | undefined> = items.map(() => undefined);
    // Without a store nothing needs the content hash: read the bytes only.
    const keyOrRead = (it: ImageItem): Promise<KeyedItem> => (store ? keyItem(it) : readItemBytes(it).then((bytes) => ({ key: '', bytes })));
    const keyed = await Promise.all(
      items.map((it, j) => keyOrRead(it).catch((e: Error) => ((errors[j] = readError(e)), undefined))),
    );
    const keys = keyed.map((k) => k?.key);
    const cached = store ? await lookup(store, ns, keys) : keys.map(() => undefined);
    const pixels = await Promise.all(
      items.map(async (it, j) => {
        if (errors[j] || cached[j]) return undefined;
        try {
          return await decodeToPixels(keyed[j]?.bytes ?? (await readItemBytes(it)), fit, net.info.inputRange);
        } catch (e) {
          errors[j] = (e as Error).message;
          return undefined;
        }
      }),
    );
    return { items, keys, cached, pixels, errors };
  };

  const size = net.info.inputSize;
  const perImage = size * size * 3;
  /** Features of a preprocessed NHWC float32 batch: ONNX Runtime when it serves this backbone, else TF.js. */
  const run = async (pixels: Float32Array, n: number): Promise<Float32Array> => {
    if (onnx) return onnx.features(pixels);
    const images = tf.tensor4d(pixels, [n, size, size, 3]);
    try {
      const out = net.features(images);
      const data = (await out.data()) as Float32Array;
      out.dispose();
      return data;
    } finally {
      images.dispose();
    }
  };

  let aborted = false;
  // Batches in flight: while the network runs on one, the next ones are read and decoded (on the pool's threads in Node).
  const pending: Array<Promise<PreparedBatch>> = [];
  for (let s = 0; s < Math.min(total, (1 + BATCHES_AHEAD) * batchSize); s += batchSize) pending.push(prepare(s));
  try {
    for (let start = 0; start < total; start += batchSize) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      const batch = await pending.shift()!;
      const ahead = start + (1 + BATCHES_AHEAD) * batchSize;
      if (ahead < total) pending.push(prepare(ahead));
      const fresh = batch.pixels.flatMap((r, j) => (r ? [j] : []));
      let vectors: Float32Array | undefined;
      if (fresh.length > 0) {
        // Already scaled (the values rawImagesToBatch gives), so no tensor round trip before ONNX Runtime.
        const pixels = new Float32Array(fresh.length * perImage);
        fresh.forEach((j, k) => {
          const one = batch.pixels[j]!;
          if (one.length !== perImage) throw new Error(`A decoded image has ${one.length} values; ${perImage} expected (${size}×${size}×3).`);
          pixels.set(one, k * perImage);
        });
        batch.pixels.fill(undefined);
        vectors = await run(pixels, fresh.length);
        if (tta === 'flip') vectors = averageInto(vectors.slice(), await run(mirrorPixels(pixels, fresh.length, size, size), fresh.length));
      }
      const toStore: Array<[string, Float32Array]> = [];
      batch.items.forEach((item, j) => {
        const error = batch.errors[j];
        if (error) {
          skipped.push({ path: item.path, reason: error });
          return;
        }
        let row = batch.cached[j];
        if (row) hits++;
        else {
          const k = fresh.indexOf(j);
          row = vectors!.slice(k * dim, (k + 1) * dim);
          misses++;
          if (batch.keys[j]) toStore.push([batch.keys[j]!, row]);
        }
        x.set(row, keptItems.length * dim);
        keptItems.push(item);
      });
      if (store && toStore.length > 0) await store.put(ns, toStore);
      const done = Math.min(start + batchSize, total);
      const seconds = (performance.now() - started) / 1000;
      options.onProgress?.({ done, total, imgPerSec: done / Math.max(seconds, 1e-6), hits, misses });
    }
  } finally {
    // Batches read ahead but not used (abort, or an error) still settle, so nothing rejects unobserved.
    await Promise.allSettled(pending);
  }
  const i = net.info;
  return {
    x: x.slice(0, keptItems.length * dim),
    dim,
    labels: Int32Array.from(keptItems, (it) => it.label),
    classes: set.classes,
    items: keptItems,
    source: {
      backbone: i.id,
      layer: i.pool ? `${i.featureLayer}+avgpool` : i.featureLayer,
      preprocessing: i.preprocessing,
      ...(tta === 'none' ? {} : { tta }),
    },
    cache: { hits, misses },
    skipped,
    aborted,
  };
}

async function lookup(store: FeatureStore, ns: string, keys: Array<string | undefined>): Promise<Array<Float32Array | undefined>> {
  const present = keys.flatMap((k, j) => (k ? [j] : []));
  const found = await store.get(ns, present.map((j) => keys[j]!));
  const out: Array<Float32Array | undefined> = keys.map(() => undefined);
  present.forEach((j, n) => (out[j] = found[n]));
  return out;
}

function readError(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  return `could not read the file (${error.message})`;
}

/** Rows of a FeatureSet as a `[n, dim]` tensor (caller disposes). */
export function featuresToTensor(features: FeatureSet): tf.Tensor2D {
  return tf.tensor2d(features.x, [features.x.length / features.dim, features.dim]);
}
