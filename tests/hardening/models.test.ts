/**
 * Hardening — models: broken or unsuitable TensorFlow.js models given to
 * `loadBackbone`, and misuse of a loaded one. Small models are built and
 * saved here with tf.js itself (a layers model, and a graph model written by
 * hand in the converter's format), then damaged on disk. Each case asserts
 * the error the learner reads. docs/robustness.md lists the same cases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fineTune, loadBackbone, trainHead, type Backbone } from '../../kernels/transfer/index.ts';
import { setUpTransfer, tempDir } from '../support/transfer-env.ts';

let root: string;
let good: Backbone;

/** Writes a layers model as model.json + weights.bin, the TensorFlow.js format. */
async function saveLayers(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      fs.writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      const json = { format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}

/** image [8, 8, channels] → conv → pool → dense(2) softmax. */
function tinyNet(channels = 3): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, channels], name: 'image' });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(input) as tf.SymbolicTensor;
  const pool = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(conv) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(pool) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** tinyNet with an average pooling after the convolution: a layer Tailor's SIMD kernels do not have. */
function tinyNetWithAveragePool(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3], name: 'image' });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(input) as tf.SymbolicTensor;
  const avg = tf.layers.averagePooling2d({ poolSize: 2, name: 'avg' }).apply(conv) as tf.SymbolicTensor;
  const pool = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(avg) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(pool) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** A graph model as tfjs-converter writes it: images [-1, 8, 8, 3] → mean over h, w (3-d features) → matmul → softmax. */
function saveGraphModel(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const dims = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const node = [
    { name: 'images', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims(-1, 8, 8, 3) } } },
    { name: 'axes', op: 'Const', attr: { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensorShape: dims(2) } } } },
    { name: 'pool', op: 'Mean', input: ['images', 'axes'], attr: { T: { type: 'DT_FLOAT' }, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } },
    { name: 'kernel', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(3, 2) } } } },
    { name: 'logits', op: 'MatMul', input: ['pool', 'kernel'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
    { name: 'probs', op: 'Softmax', input: ['logits'], attr: { T: { type: 'DT_FLOAT' } } },
  ];
  const json = {
    format: 'graph-model',
    generatedBy: 'hand',
    convertedBy: 'tests/hardening',
    modelTopology: { node, versions: { producer: 1 } },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'axes', shape: [2], dtype: 'int32' }, { name: 'kernel', shape: [3, 2], dtype: 'float32' }] }],
  };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  const bytes = Buffer.concat([Buffer.from(new Int32Array([1, 2]).buffer), Buffer.from(new Float32Array([1, -1, 0.5, 0.5, -1, 1]).buffer)]);
  fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
}

/** A copy of the good model in a new folder, changed by `damage`. */
function damaged(name: string, damage: (dir: string) => void): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(path.join(root, 'good'))) fs.copyFileSync(path.join(root, 'good', f), path.join(dir, f));
  damage(dir);
  return dir;
}

beforeAll(async () => {
  await setUpTransfer();
  root = tempDir('tailor-hardening-models-');
  await saveLayers(tinyNet(), path.join(root, 'good'));
  await saveLayers(tinyNet(1), path.join(root, 'grey'));
  await saveLayers(tinyNetWithAveragePool(), path.join(root, 'avg-pool'));
  saveGraphModel(path.join(root, 'graph'));
  good = await loadBackbone({ folder: path.join(root, 'good') }, { id: 'tiny' });
});
afterAll(() => good?.dispose());

interface ModelCase {
  name: string;
  /** What the learner reads: the error message. */
  sees: RegExp;
  act(): Promise<unknown>;
}

const cases: ModelCase[] = [
  {
    name: 'model.json missing: says where it looked and what a model folder holds',
    sees: /^No model\.json in .*models-\w+\/empty\. Check the path or URL: it must point at a TensorFlow\.js model\.json with its weight shards beside it\.$/,
    act: () => {
      fs.mkdirSync(path.join(root, 'empty'));
      return loadBackbone({ folder: path.join(root, 'empty') });
    },
  },
  {
    name: 'model.json is not JSON',
    sees: /model\.json is not valid JSON/,
    act: () => loadBackbone({ folder: damaged('not-json', (d) => fs.writeFileSync(path.join(d, 'model.json'), '<html>404</html>')) }),
  },
  {
    name: 'weight shard missing: names the shard',
    sees: /model\.json names 1 weight shard\(s\) that are missing: weights\.bin\. Check the path or URL/,
    act: () => loadBackbone({ folder: damaged('no-shard', (d) => fs.rmSync(path.join(d, 'weights.bin'))) }),
  },
  {
    name: 'weight shard of the wrong size: names it, its size and the size needed',
    sees: /weight shard\(s\) weights\.bin hold 40 bytes .* need 488\. The file is truncated or from another model; fetch it again\./,
    act: () => loadBackbone({ folder: damaged('short-shard', (d) => fs.truncateSync(path.join(d, 'weights.bin'), 40)) }),
  },
  {
    name: 'unknown layer type: names the layer and the ways out',
    sees: /uses a layer type TensorFlow\.js does not know: 'MyFancyConv' \(a custom layer of the code that trained it\)\. Re-export the model with built-in layers only/,
    act: () =>
      loadBackbone({
        folder: damaged('custom-layer', (d) => {
          const file = path.join(d, 'model.json');
          fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"Conv2D"', '"MyFancyConv"'));
        }),
      }),
  },
  {
    name: 'wrong input shape (a greyscale model): says what it takes and what a backbone needs',
    sees: /takes input of shape \[null, 8, 8, 1\] \(1-channel images\); a backbone must take RGB images \[n, height, width, 3\]\. Use a model trained on colour images\./,
    act: () => loadBackbone({ folder: path.join(root, 'grey') }),
  },
  {
    name: 'wrong input shape at call time (no batch dimension): says the shape and how to make one',
    sees: /^net\.features takes a batch of shape \[n, 8, 8, 3\]; got \[8, 8, 3\]\. Make one with `await net\.preprocess\(images\)`/,
    act: async () => {
      const image = tf.zeros([8, 8, 3]);
      try {
        return good.features(image as unknown as tf.Tensor4D);
      } finally {
        image.dispose();
      }
    },
  },
  {
    name: 'feature layer that does not exist: the error lists the layers',
    sees: /^Unknown feature layer 'conv_pw_13'\. Layers of this model: image, conv, pool, out\.$/,
    act: () => loadBackbone({ folder: path.join(root, 'good') }, { featureLayer: 'conv_pw_13' }),
  },
  {
    name: 'a graph model asked to fine-tune: graph models are inference-only',
    sees: /^Backbone 'graph' is a graph model, and graph models are inference-only: they classify and give features, but composing, fine-tuning and exporting need a layers-format backbone/,
    act: async () => {
      const net = await loadBackbone({ folder: path.join(root, 'graph') }, { featureLayer: 'pool', inputRange: [0, 1], labels: ['dark', 'light'] });
      expect(net.info.format).toBe('graph');
      const rows = { x: Float32Array.from({ length: 12 }, (_, i) => (i % 3) + Math.floor(i / 6)), dim: 3, labels: Int32Array.from([0, 0, 1, 1]), classes: ['dark', 'light'], items: [] };
      const head = await trainHead(rows, { epochs: 2 });
      try {
        return await fineTune(net, head, { classes: ['dark', 'light'], items: [] });
      } finally {
        head.dispose();
        net.dispose();
      }
    },
  },
];

describe('hardening: models', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const before = tf.memory().numTensors;
      await expect(c.act()).rejects.toThrow(c.sees);
      // A failed load or call leaves no tensors behind.
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a chain with a layer the SIMD kernels lack gets its features from TF.js, and info.engine says why', async () => {
    const net = await loadBackbone({ folder: path.join(root, 'avg-pool') }, { inputRange: [0, 1] });
    expect(net.info.engine).toMatch(/^TF\.js wasm, fused \(SIMD engine unavailable: Cannot describe layer 'avg' \(AveragePooling2D\) as a chain step; supported: .*\)$/);
    const batch = tf.ones([2, 8, 8, 3]) as tf.Tensor4D;
    const features = net.features(batch);
    expect(features.shape).toEqual([2, 4]);
    tf.dispose([batch, features]);
    net.dispose();
    // The same chain without it runs on the SIMD kernels (they passed the 1e-3 parity check against TF.js at load).
    expect(good.info.engine).toMatch(/^Tailor wasm SIMD/);
  });

  it('a graph model still does what it can: features and classification', async () => {
    const net = await loadBackbone({ folder: path.join(root, 'graph') }, { featureLayer: 'pool', inputRange: [0, 1], labels: ['dark', 'light'] });
    const batch = tf.ones([1, 8, 8, 3]) as tf.Tensor4D;
    const features = net.features(batch);
    expect(features.shape).toEqual([1, 3]);
    tf.dispose([batch, features]);
    net.dispose();
  });
});
