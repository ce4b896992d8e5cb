import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuseLayersModel, loadBackbone, type Backbone, type FusedModel } from '../../kernels/transfer/index.ts';
import { assetsRoot, photo, serveFolder, setUpTransfer, tempDir } from '../support/transfer-env.ts';

const PHOTOS = ['cat', 'dog', 'ant', 'bee', 'pizza', 'teddy'];
const CAT_FAMILY = (i: number) => i >= 281 && i <= 293; // domestic and wild cats
const DOGS = [248, 249, 250];

beforeAll(async () => {
  await setUpTransfer();
});

describe.each([
  ['mobilenet_v1_0.25_224', 256, [7, 7, 256], 'conv_pw_13_relu', false],
  ['mobilenet_v1_0.75_224', 768, [7, 7, 768], 'conv_pw_13_relu', true],
  ['darknet_tiny', 512, [14, 14, 512], 'leaky_re_lu_14', true],
] as const)('%s', (id, dim, mapShape, spatial, catTop1) => {
  let net: Backbone;
  let layers: Backbone;
  beforeAll(async () => {
    net = await loadBackbone(id);
    layers = await loadBackbone(id, { fused: false });
  });
  afterAll(() => {
    net.dispose();
    layers.dispose();
  });

  it('classifies the reference photos as SOURCES.md says', async () => {
    const top = await net.classify(PHOTOS.map(photo), { topK: 5 });
    const byName = Object.fromEntries(PHOTOS.map((p, i) => [p, top[i]]));
    expect(byName.pizza[0].index).toBe(963);
    expect(byName.teddy[0].index).toBe(850);
    expect(byName.ant[0].index).toBe(310);
    expect(byName.bee[0].index).toBe(309);
    expect(byName.bee[0].label).toBe('bee');
    expect(byName.dog.some((p) => DOGS.includes(p.index))).toBe(true);
    if (catTop1) expect(CAT_FAMILY(byName.cat[0].index)).toBe(true);
    for (const row of top) {
      expect(row).toHaveLength(5);
      expect(row[0].probability).toBeGreaterThan(row[4].probability);
      expect(row.reduce((s, p) => s + p.probability, 0)).toBeLessThanOrEqual(1.0001);
    }
  });

  it('reports its info', () => {
    expect(net.info).toMatchObject({ id, inputSize: 224, featureDim: dim, spatialLayer: spatial, numClasses: 1000, verified: true, fused: true, format: 'layers' });
    expect(net.info.source.kind).toBe('public');
    expect(net.info.params).toBeGreaterThan(400_000);
    expect(net.info.weightsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(net.model).toBeInstanceOf(tf.LayersModel);
    expect(layers.info.fused).toBe(false);
  });

  it('gives feature vectors and maps of the right shape, equal to the layers model within 1e-3, deterministically', async () => {
    const before = tf.memory().numTensors;
    const batch = await net.preprocess(['cat', 'dog', 'bee'].map(photo));
    const fused = net.features(batch);
    const plain = layers.features(batch);
    const again = net.features(batch);
    const map = net.featureMap(batch);
    expect(fused.shape).toEqual([3, dim]);
    expect(map.shape).toEqual([3, ...mapShape]);
    const [a, b, c] = await Promise.all([fused.data(), plain.data(), again.data()]);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    expect(Array.from(c)).toEqual(Array.from(a));
    expect(a.some((v) => v !== 0)).toBe(true);
    const probsFused = net.predict(batch);
    const probsPlain = layers.predict(batch);
    const diff = tf.tidy(() => probsFused.sub(probsPlain).abs().max().dataSync()[0]);
    expect(diff).toBeLessThanOrEqual(1e-3);
    tf.dispose([batch, fused, plain, again, map, probsFused, probsPlain]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('loading and errors', () => {
  const id = 'mobilenet_v1_0.25_224';
  const modelDir = () => path.join(assetsRoot(), 'models', id);

  it('lists the known backbones for an unknown id', async () => {
    await expect(loadBackbone('mobilenet_v9')).rejects.toThrow(/Unknown backbone 'mobilenet_v9'.*mobilenet_v1_0\.25_224.*darknet_tiny.*inception_v3 \(unverified offline\)/);
  });

  it('lists the layers for an unknown feature layer', async () => {
    await expect(loadBackbone(id, { featureLayer: 'conv_pw_99' })).rejects.toThrow(/Unknown feature layer 'conv_pw_99'.*conv_pw_13_relu/);
  });

  it('names a missing shard and a shard of the wrong size', async () => {
    const dir = tempDir('tailor-broken-');
    for (const f of fs.readdirSync(modelDir())) fs.copyFileSync(path.join(modelDir(), f), path.join(dir, f));
    fs.rmSync(path.join(dir, 'group7-shard1of1'));
    await expect(loadBackbone({ folder: dir })).rejects.toThrow(/missing: group7-shard1of1/);
    fs.copyFileSync(path.join(modelDir(), 'group7-shard1of1'), path.join(dir, 'group7-shard1of1'));
    fs.truncateSync(path.join(dir, 'group29-shard1of1'), 1000);
    await expect(loadBackbone({ folder: dir })).rejects.toThrow(/group29-shard1of1 hold 1000 bytes.*need 1028000/);
  });

  it('loads any layers model from a folder, a URL, dropped files or an IOHandler, with a chosen layer', async () => {
    const before = tf.memory().numTensors;
    const server = await serveFolder(path.join(assetsRoot(), 'models'));
    try {
      const files = fs.readdirSync(modelDir()).map((f) => new File([fs.readFileSync(path.join(modelDir(), f))], f));
      const json = JSON.parse(fs.readFileSync(path.join(modelDir(), 'model.json'), 'utf8'));
      const weights = Buffer.concat(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => fs.readFileSync(path.join(modelDir(), p)))));
      const handler = tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      });
      const sources = [{ folder: modelDir() }, { url: `${server.url}/${id}/model.json` }, { files }, handler];
      const hashes = new Set<string>();
      for (const source of sources) {
        const net = await loadBackbone(source, { featureLayer: 'conv_pw_13_relu' });
        expect(net.info.featureDim).toBe(256);
        expect(net.info.pool).toBe(true);
        expect(net.info.verified).toBe(false);
        const top = await net.classify(photo('pizza'));
        expect(top[0].index).toBe(963);
        hashes.add(net.info.weightsHash);
        net.dispose();
      }
      expect(hashes.size).toBe(1);
    } finally {
      await server.close();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('downloads a catalogued model that is not in public/, caches it, and loads the cache next time', async () => {
    const server = await serveFolder(path.join(assetsRoot(), 'models'));
    const saved = { pub: process.env.TAILOR_PUBLIC_DIR, cache: process.env.TAILOR_CACHE_DIR };
    process.env.TAILOR_PUBLIC_DIR = tempDir('tailor-empty-public-');
    process.env.TAILOR_CACHE_DIR = tempDir('tailor-dl-cache-');
    process.env.TAILOR_MODELS_URL = `${server.url}`;
    try {
      const first = await loadBackbone(id);
      expect(first.info.source.kind).toBe('download');
      first.dispose();
      const count = server.requests.length;
      expect(count).toBeGreaterThan(50);
      const second = await loadBackbone(id);
      expect(second.info.source.kind).toBe('cache');
      expect(second.info.weightsHash).toBe(first.info.weightsHash);
      expect(server.requests.length).toBe(count);
      second.dispose();
      process.env.TAILOR_MODELS_URL = `${server.url}/nowhere`;
      await expect(loadBackbone('darknet_tiny')).rejects.toThrow(/not in .*npm run assets/);
    } finally {
      process.env.TAILOR_PUBLIC_DIR = saved.pub;
      process.env.TAILOR_CACHE_DIR = saved.cache;
      delete process.env.TAILOR_MODELS_URL;
      await server.close();
    }
  });

  it('frees each fused intermediate once read: same output as keeping them, input untouched, no leak, bounded memory', async () => {
    const net = await loadBackbone(id);
    const early = fuseLayersModel(net.model!, [net.info.featureLayer])!;
    const kept = fuseLayersModel(net.model!, [net.info.featureLayer], { freeEarly: false })!;
    const batch = await net.preprocess(['ant', 'bee'].map(photo));
    const before = tf.memory();
    const peak = (fused: FusedModel, stopAt?: string) => {
      const bytes = tf.memory().numBytes;
      const prof = tf.profile(() => fused.run(batch, stopAt));
      return prof.then((p) => ({ peak: p.peakBytes - bytes, result: p.result as tf.Tensor }));
    };
    for (const stopAt of [net.info.featureLayer, 'conv_pw_5_relu', undefined]) {
      const a = await peak(early, stopAt);
      const b = await peak(kept, stopAt);
      expect(a.result.shape).toEqual(b.result.shape);
      expect(Array.from(await a.result.data())).toEqual(Array.from(await b.result.data()));
      // Kept: every intermediate of the pass at once; freed early: about two maps at a time.
      expect(a.peak).toBeLessThan(b.peak / 3);
      tf.dispose([a.result, b.result]);
    }
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect((await batch.data()).length).toBe(2 * 224 * 224 * 3); // the input is the caller's and still alive
    batch.dispose();
    early.dispose();
    kept.dispose();
    net.dispose();
  });

  it('leaves no tensors behind across load, classify, features and dispose', async () => {
    const before = tf.memory().numTensors;
    const net = await loadBackbone('darknet_tiny');
    await net.classify(photo('bee'));
    const batch = await net.preprocess([photo('ant')]);
    net.features(batch).dispose();
    net.featureMap(batch, 'leaky_re_lu_15').dispose();
    batch.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
