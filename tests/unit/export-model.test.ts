/**
 * composeModel → save → plain tf.loadLayersModel / loadTrainedModel on real
 * MobileNet 0.25 weights and hymenoptera photos: same probabilities, labels
 * and preprocessing kept, clear errors, no tensor leaks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeModel, evaluate, loadTrainedModel, trainHead } from '../../kernels/transfer/index.ts';
import type { Backbone, DenseHead, FeatureSet, ImageDataset, TrainedModel } from '../../kernels/transfer/index.ts';
import { backbone, disposeBackbones, hymenoptera, hymenopteraFeatures } from '../support/heads-fixtures.ts';
import { tempDir } from '../support/transfer-env.ts';

const id = 'mobilenet_v1_0.25_224';
let net: Backbone;
let ds: ImageDataset;
let val: FeatureSet;
let head: DenseHead;
let composed: TrainedModel;
let batch: tf.Tensor4D;
let expected: Float32Array;
let before: number;

beforeAll(async () => {
  net = await backbone(id);
  ds = await hymenoptera();
  const train = await hymenopteraFeatures(id, 'train');
  val = await hymenopteraFeatures(id, 'val');
  before = tf.memory().numTensors;
  head = await trainHead(train, { kind: 'mlp', validation: val, seed: 2 });
  composed = composeModel(net, head);
  batch = await net.preprocess(ds.val!.items.slice(0, 12).map((it) => it.path));
  const probs = composed.predictBatch(batch);
  expected = (await probs.data()) as Float32Array;
  probs.dispose();
});

afterAll(async () => {
  composed.dispose();
  head.dispose();
  batch.dispose();
  expect(tf.memory().numTensors).toBe(before);
  await disposeBackbones();
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('composeModel', () => {
  it('predicts from images what the head predicts from extracted features', async () => {
    const fromImages = await composed.predict(ds.val!.items.slice(0, 12));
    const fromFeatures = await head.predict(val.x.slice(0, 12 * val.dim));
    expect(fromImages.map((p) => p.label)).toEqual(fromFeatures.map((p) => p.label));
    // Fused (features) vs plain layers (composed) differ only by float rounding.
    expect(maxAbsDiff(fromImages.flatMap((p) => p.probabilities), fromFeatures.flatMap((p) => p.probabilities))).toBeLessThan(1e-3);
    expect(composed.labels).toEqual(['ants', 'bees']);
    expect(composed.preprocessing).toEqual({ inputSize: 224, inputRange: [-1, 1], crop: 'center' });
  });

  it('owns its weights: disposing it leaves the backbone working', async () => {
    const again = composeModel(net, head);
    again.dispose();
    const top = await net.classify(ds.val!.items[0].path, { topK: 1 });
    expect(top[0].probability).toBeGreaterThan(0);
  });

  it('refuses a kNN head and a head from another backbone, saying why', async () => {
    const knn = await trainHead(val, { kind: 'knn' });
    expect(() => composeModel(net, knn)).toThrow(/'knn' head has no layers form; train a 'softmax' or 'mlp' head/);
    knn.dispose();
    const wrong = await trainHead({ ...val, dim: 128, x: val.x.slice(0, 153 * 128) }, { epochs: 1, earlyStopping: false });
    expect(() => composeModel(net, wrong)).toThrow(/expects 128-long features but 'mobilenet_v1_0.25_224' gives 256/);
    wrong.dispose();
  });
});

describe('save and reload', () => {
  let folder: string;
  beforeAll(async () => {
    folder = path.join(tempDir('tailor-export-'), 'ants-bees');
    const result = await composed.save(`file://${folder}`);
    expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(400_000);
  });

  it('writes a standard layers model that plain tf.loadLayersModel reads, with labels and preprocessing in its metadata', async () => {
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.userDefinedMetadata.tailor).toMatchObject({ labels: ['ants', 'bees'], preprocessing: { inputSize: 224, inputRange: [-1, 1], crop: 'center' }, backbone: id });
    const weights = fs.readFileSync(path.join(folder, 'weights.bin'));
    const plain = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    const probs = plain.predict(batch) as tf.Tensor;
    expect(maxAbsDiff(await probs.data(), expected)).toBeLessThan(1e-5);
    probs.dispose();
    plain.dispose();
  });

  it('loadTrainedModel restores it from a folder: same probabilities, labels and preprocessing', async () => {
    for (const source of [folder, `file://${folder}`]) {
      const again = await loadTrainedModel(source);
      expect(again.labels).toEqual(['ants', 'bees']);
      expect(again.preprocessing).toEqual(composed.preprocessing);
      const probs = again.predictBatch(batch);
      expect(maxAbsDiff(await probs.data(), expected)).toBeLessThan(1e-5);
      probs.dispose();
      const fromImages = await again.predict(ds.val!.items.slice(0, 12));
      expect(maxAbsDiff(fromImages.flatMap((p) => p.probabilities), expected)).toBeLessThan(1e-5);
      again.dispose();
    }
  });

  it('evaluates the reloaded model on images like the head on features', async () => {
    const again = await loadTrainedModel(folder);
    const onImages = await evaluate(again, ds.val!);
    const onFeatures = await evaluate(head, val);
    console.log(`[export] ${id} mlp: head ${onFeatures.accuracy.toFixed(3)}, exported model on images ${onImages.accuracy.toFixed(3)}`);
    expect(Math.abs(onImages.accuracy - onFeatures.accuracy)).toBeLessThanOrEqual(2 / 153);
    again.dispose();
  });

  it('explains a folder without model.json and a model without labels', async () => {
    await expect(loadTrainedModel(tempDir('tailor-empty-'))).rejects.toThrow(/No model.json in/);
    const bare = path.join(tempDir('tailor-bare-'), 'm');
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
    delete json.userDefinedMetadata;
    fs.mkdirSync(bare);
    fs.writeFileSync(path.join(bare, 'model.json'), JSON.stringify(json));
    fs.copyFileSync(path.join(folder, 'weights.bin'), path.join(bare, 'weights.bin'));
    await expect(loadTrainedModel(bare)).rejects.toThrow(/has no labels in userDefinedMetadata.tailor; pass \{labels/);
    const withLabels = await loadTrainedModel(bare, { labels: ['a', 'b'], preprocessing: { inputSize: 224, inputRange: [-1, 1], crop: 'center' } });
    expect(withLabels.labels).toEqual(['a', 'b']);
    withLabels.dispose();
  });
});
