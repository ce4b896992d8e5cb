import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNodeFeatureStore,
  extractFeatures,
  loadBackbone,
  loadImageFolder,
  type Backbone,
  type ExtractProgress,
  type FeatureSet,
  type FeatureStore,
  type ImageDataset,
} from '../../kernels/transfer/index.ts';
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
afterAll(() => small.dispose());

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
