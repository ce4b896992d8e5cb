import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNodeFeatureStore,
  decodeImage,
  extractFeatures,
  loadBackbone,
  loadImageFolder,
  type Backbone,
  type ExtractProgress,
  type FeatureSet,
  type FeatureStore,
  type ImageDataset,
  rawImagesToBatch,
} from '../../kernels/transfer/index.ts';
import { closeDecodePool, decodePool, IDLE_MS } from '../../kernels/transfer/images/decode-pool.ts';
import { rawImagesToPixels } from '../../kernels/transfer/images/pixel-batch.ts';
import { setUpTransfer, tempDir } from '../support/transfer-env.ts';

let ds: ImageDataset;
let small: Backbone;
let store: FeatureStore;

beforeAll(async () => {
  await setUpTransfer();
  ds = await loadImageFolder('hymenoptera_data', { verify: false });
  small = await loadBackbone('mobilenet_v1_0.25_224');
  store = await createNodeFeatureStore(tempDir('tailor-features-'));
});
afterAll(async () => {
  small.dispose();
  await closeDecodePool();
});

const subset = (n: number) => ({ classes: ds.classes, items: ds.val!.items.slice(0, n) });

describe('extractFeatures', () => {
  it('extracts with progress, then hits the persistent cache for every image', async () => {
    const before = tf.memory().numTensors;
    const progress: ExtractProgress[] = [];
    const t0 = performance.now();
    const first = await extractFeatures(small, ds.val!, { batchSize: 32, cache: store, onProgress: (p) => progress.push(p) });
    const coldMs = performance.now() - t0;
    const t1 = performance.now();
    const second = await extractFeatures(small, ds.val!, { batchSize: 32, cache: store });
    const warmMs = performance.now() - t1;
    console.log(`mobilenet_v1_0.25_224, 153 val images: extract ${coldMs.toFixed(0)} ms, cached ${warmMs.toFixed(0)} ms (${(coldMs / warmMs).toFixed(0)}× faster)`);
    expect(first.cache).toEqual({ hits: 0, misses: 153 });
    expect(second.cache).toEqual({ hits: 153, misses: 0 });
    expect(first.dim).toBe(256);
    expect(first.x).toHaveLength(153 * 256);
    expect(Array.from(second.x)).toEqual(Array.from(first.x));
    expect(Array.from(first.labels)).toEqual(ds.val!.items.map((i) => i.label));
    expect(first.source).toEqual({ backbone: 'mobilenet_v1_0.25_224', layer: 'global_average_pooling2d_1', preprocessing: small.info.preprocessing });
    expect(progress.map((p) => p.done)).toEqual([32, 64, 96, 128, 153]);
    expect(progress.every((p) => p.total === 153 && p.imgPerSec > 0)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('misses the cache when the layer or the preprocessing changes', async () => {
    const set = subset(8);
    await extractFeatures(small, set, { cache: store });
    const hit = await extractFeatures(small, set, { cache: store });
    expect(hit.cache).toEqual({ hits: 8, misses: 0 });
    const spatial = await loadBackbone('mobilenet_v1_0.25_224', { featureLayer: 'conv_pw_13_relu' });
    const stretched = await loadBackbone('mobilenet_v1_0.25_224', { crop: 'stretch' });
    try {
      const byLayer = await extractFeatures(spatial, set, { cache: store });
      expect(byLayer.cache).toEqual({ hits: 0, misses: 8 });
      expect(byLayer.source?.layer).toBe('conv_pw_13_relu+avgpool');
      const byCrop = await extractFeatures(stretched, set, { cache: store });
      expect(byCrop.cache).toEqual({ hits: 0, misses: 8 });
      expect(Array.from(byCrop.x)).not.toEqual(Array.from(hit.x));
    } finally {
      spatial.dispose();
      stretched.dispose();
    }
  });

  it('skips unreadable images, stops at the next batch on abort, and runs uncached when asked', async () => {
    const items = [...subset(5).items, { path: '/nonexistent/ghost.jpg', label: 0 }];
    const withGhost = await extractFeatures(small, { classes: ds.classes, items }, { cache: false });
    expect(withGhost.skipped).toEqual([{ path: '/nonexistent/ghost.jpg', reason: 'file not found' }]);
    expect(withGhost.items).toHaveLength(5);
    expect(withGhost.cache).toEqual({ hits: 0, misses: 5 });
    const controller = new AbortController();
    const partial = await extractFeatures(small, subset(40), {
      batchSize: 8,
      cache: false,
      signal: controller.signal,
      onProgress: (p) => p.done >= 16 && controller.abort(),
    });
    expect(partial.aborted).toBe(true);
    expect(partial.items).toHaveLength(16);
    expect(partial.x).toHaveLength(16 * 256);
  });

  it('separates ants from bees: nearest-centroid accuracy on val with MobileNet 0.75 pooled features ≥ 0.85', async () => {
    const net = await loadBackbone('mobilenet_v1_0.75_224');
    try {
      const train = await extractFeatures(net, ds.train, { cache: store });
      const val = await extractFeatures(net, ds.val!, { cache: store });
      const accuracy = nearestCentroidAccuracy(train, val);
      console.log(`nearest-centroid accuracy, hymenoptera val, mobilenet_v1_0.75_224: ${(accuracy * 100).toFixed(1)} %`);
      expect(accuracy).toBeGreaterThanOrEqual(0.85);
    } finally {
      net.dispose();
    }
  });
});

describe('the Node decode pool', () => {
  const fit = { size: 224, crop: 'center' as const };

  it('decodes on worker threads to exactly the pixels decodeImage gives here, and scales them as rawImagesToBatch does', async () => {
    const pool = await decodePool();
    expect(pool?.threads).toBeGreaterThanOrEqual(1);
    const files = ds.val!.items.slice(0, 6).map((it) => new Uint8Array(fs.readFileSync(it.path)));
    const [viaPool, here, scaled] = await Promise.all([
      Promise.all(files.map((b) => pool!.decode(b, fit))),
      Promise.all(files.map((b) => decodeImage(b, fit))),
      Promise.all(files.map((b) => pool!.pixels(b, fit, [-1, 1]))),
    ]);
    viaPool.forEach((raw, i) => {
      expect([raw.width, raw.height]).toEqual([224, 224]);
      expect(Buffer.compare(Buffer.from(raw.data), Buffer.from(here[i].data))).toBe(0);
    });
    const before = tf.memory().numTensors;
    const batch = rawImagesToBatch(here, [-1, 1]);
    const expected = (await batch.data()) as Float32Array;
    batch.dispose();
    const joined = new Float32Array(expected.length);
    scaled.forEach((p, i) => joined.set(p, i * p.length));
    expect(Buffer.compare(Buffer.from(joined.buffer), Buffer.from(expected.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(rawImagesToPixels(here, [-1, 1]).buffer), Buffer.from(expected.buffer))).toBe(0);
    // Another range (Darknet's [0, 1]) gives the same float32 values as TF.js too.
    const unit = rawImagesToBatch(here.slice(0, 2), [0, 1]);
    expect(Array.from(rawImagesToPixels(here.slice(0, 2), [0, 1]))).toEqual(Array.from((await unit.data()) as Float32Array));
    unit.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad bytes with the decoder\'s own reason', async () => {
    const pool = (await decodePool())!;
    await expect(pool.decode(new TextEncoder().encode('just some notes\n'), fit)).rejects.toThrow('a text file, not an image');
    const jpeg = new Uint8Array(fs.readFileSync(ds.val!.items[0].path));
    await expect(pool.decode(jpeg.subarray(0, 600), fit)).rejects.toThrow(/^not a decodable image/);
  });

  it('gives the TF.js features (within ONNX parity) through extractFeatures, with flip TTA the mean with the mirror', async () => {
    const items = ds.val!.items.slice(0, 5);
    const before = tf.memory().numTensors;
    const plain = await extractFeatures(small, { classes: ds.classes, items }, { cache: false });
    const flipped = await extractFeatures(small, { classes: ds.classes, items }, { cache: false, tta: 'flip' });
    const x = await small.preprocess(items.map((it) => it.path));
    const mirrored = tf.reverse(x, 2) as tf.Tensor4D;
    const a = small.features(x);
    const b = small.features(mirrored);
    const direct = (await a.data()) as Float32Array;
    const mirror = (await b.data()) as Float32Array;
    tf.dispose([x, mirrored, a, b]);
    let plainDiff = 0;
    let flipDiff = 0;
    for (let i = 0; i < direct.length; i++) {
      plainDiff = Math.max(plainDiff, Math.abs(plain.x[i] - direct[i]));
      flipDiff = Math.max(flipDiff, Math.abs(flipped.x[i] - (direct[i] + mirror[i]) / 2));
    }
    expect(plainDiff).toBeLessThan(1e-3);
    expect(flipDiff).toBeLessThan(1e-3);
    // The mirror really is another input: the TTA rows differ from the plain ones.
    expect(Math.max(...flipped.x.map((v, i) => Math.abs(v - plain.x[i])))).toBeGreaterThan(1e-3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('never keeps a process alive: a script that extracts through the pool exits on its own', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const script = [
      "import { decodePool } from './kernels/transfer/images/decode-pool.ts';",
      "import * as fs from 'node:fs';",
      'const pool = await decodePool();',
      `const raw = await pool.decode(new Uint8Array(fs.readFileSync(${JSON.stringify(ds.val!.items[0].path)})), { size: 32, crop: 'center' });`,
      'console.log(pool.threads, raw.width, raw.height);',
    ].join('\n');
    const t0 = performance.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: IDLE_MS });
    const seconds = (performance.now() - t0) / 1000;
    expect(out.trim()).toMatch(/^[1-9]\d* 32 32$/);
    // Well before the pool's idle timer would stop its threads: unreferenced threads do not hold the process.
    expect(seconds).toBeLessThan(IDLE_MS / 1000);
  });
});

function nearestCentroidAccuracy(train: FeatureSet, val: FeatureSet): number {
  const { dim } = train;
  const centroids = train.classes.map(() => new Float64Array(dim));
  const counts = train.classes.map(() => 0);
  train.labels.forEach((label, r) => {
    counts[label]++;
    for (let d = 0; d < dim; d++) centroids[label][d] += train.x[r * dim + d];
  });
  centroids.forEach((c, k) => c.forEach((_, d) => (c[d] /= counts[k])));
  let correct = 0;
  val.labels.forEach((label, r) => {
    let best = -1;
    let bestDist = Infinity;
    centroids.forEach((c, k) => {
      let dist = 0;
      for (let d = 0; d < dim; d++) dist += (val.x[r * dim + d] - c[d]) ** 2;
      if (dist < bestDist) [best, bestDist] = [k, dist];
    });
    if (best === label) correct++;
  });
  return correct / val.labels.length;
}
