import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeChain,
  exportOnnx,
  loadBackbone,
  loadOnnxFeatures,
  onnxFeaturesFor,
  releaseOnnxFeatures,
  type Backbone,
} from '../../kernels/transfer/index.ts';
import { photo, setUpTransfer } from '../support/transfer-env.ts';

const PHOTOS = ['cat', 'dog', 'ant', 'bee'];

beforeAll(async () => {
  await setUpTransfer();
});

describe.each([
  // id, steps, MACs per image (millions), feature dim
  ['mobilenet_v1_0.25_224', 27, 40.77, 256],
  ['darknet_tiny', 18, 453.59, 512],
] as const)('%s through ONNX Runtime', (id, steps, megaMacs, dim) => {
  let net: Backbone;
  let batch: tf.Tensor4D;
  beforeAll(async () => {
    net = await loadBackbone(id);
    batch = await net.preprocess(PHOTOS.map(photo));
  });
  afterAll(() => {
    batch.dispose();
    net.dispose();
  });

  it('reads the feature path as a chain with BatchNorm folded and counts its MACs', () => {
    const spec = describeChain(net);
    expect(spec.steps).toHaveLength(steps);
    expect(spec.featureDim).toBe(dim);
    expect(spec.macs / 1e6).toBeCloseTo(megaMacs, 1);
    expect(spec.steps.filter((s) => s.op === 'conv').every((s) => s.op === 'conv' && s.activation !== 'linear')).toBe(true);
  });

  it('exports an ONNX graph whose features match TF.js within 1e-3 on real photos, without leaking tensors', async () => {
    const spec = describeChain(net);
    const bytes = exportOnnx(spec);
    // Every folded weight is in the graph as raw float32.
    const weights = spec.steps.reduce((n, s) => n + (s.op === 'conv' ? s.kernel.length + s.bias.length : 0), 0);
    expect(bytes.length).toBeGreaterThan(weights * 4);
    expect(bytes.length).toBeLessThan(weights * 4 + 64_000);
    const before = tf.memory().numTensors;
    const onnx = await loadOnnxFeatures(net, { parityBatch: batch });
    try {
      expect(onnx.parity).toBeLessThan(1e-3);
      const expected = net.features(batch);
      const want = (await expected.data()) as Float32Array;
      expected.dispose();
      const got = await onnx.features(batch);
      expect(got).toHaveLength(PHOTOS.length * dim);
      let max = 0;
      for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i] - got[i]));
      expect(max).toBeLessThan(1e-3);
      // Not all zero: the features carry the photos.
      expect(Math.max(...got)).toBeGreaterThan(0.1);
      await expect(onnx.features(new Float32Array(10))).rejects.toThrow(/224×224×3/);
    } finally {
      await onnx.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('onnxFeaturesFor', () => {
  it('serves a backbone once and is turned off by TAILOR_ONNX=0', async () => {
    const net = await loadBackbone('mobilenet_v1_0.25_224');
    const off = await loadBackbone('mobilenet_v1_0.25_224');
    try {
      const first = onnxFeaturesFor(net);
      expect(onnxFeaturesFor(net)).toBe(first);
      expect((await first)?.parity).toBeLessThan(1e-3);
      process.env.TAILOR_ONNX = '0';
      expect(await onnxFeaturesFor(off)).toBeUndefined();
      await releaseOnnxFeatures(net);
      expect(onnxFeaturesFor(net)).not.toBe(first);
      await releaseOnnxFeatures(net);
    } finally {
      delete process.env.TAILOR_ONNX;
      net.dispose();
      off.dispose();
    }
  });
});

describe('describeChain', () => {
  it('names the layer it cannot describe and lists what it supports', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 3], name: 'flat' }), tf.layers.dense({ units: 2, name: 'fc' })] });
    const fake = { model, info: { id: 'toy', inputSize: 4, featureLayer: 'fc', pool: false, featureDim: 2 } } as unknown as Backbone;
    try {
      expect(() => describeChain(fake)).toThrow(/layer 'flat' \(Flatten\).*supported: InputLayer, Conv2D/);
    } finally {
      model.dispose();
    }
  });
});
