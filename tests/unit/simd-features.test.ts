import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimdFeatures, describeChain, loadBackbone, SIMD_PARITY_TOLERANCE, type Backbone } from '../../kernels/transfer/index.ts';
import { photo, setUpTransfer } from '../support/transfer-env.ts';

// Ten photos: more than one pass of the engine (8 images a pass by default).
const PHOTOS = ['cat', 'dog', 'ant', 'bee', 'cat', 'bee', 'dog', 'ant', 'bee', 'cat'];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

beforeAll(async () => {
  await setUpTransfer();
});

describe.each(['mobilenet_v1_0.25_224', 'darknet_tiny'])('%s features on the SIMD engine', (id) => {
  let net: Backbone;
  let reference: Backbone;
  let batch: tf.Tensor4D;
  beforeAll(async () => {
    net = await loadBackbone(id);
    reference = await loadBackbone(id, { simd: false });
    batch = await net.preprocess(PHOTOS.map(photo));
  });
  afterAll(() => {
    batch.dispose();
    net.dispose();
    reference.dispose();
  });

  it('says what computes the features: the SIMD kernels on every core, or TF.js and why not', () => {
    const cores = os.availableParallelism();
    expect(net.info.engine).toMatch(new RegExp(`^Tailor wasm SIMD( \\(relaxed FMA\\))?, ${cores} threads?$`));
    expect(reference.info.engine).toBe('TF.js wasm, fused (SIMD engine turned off)');
  });

  it('matches the TF.js fused path within 1e-3 on real photos over several passes, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const got = net.features(batch);
    const want = reference.features(batch);
    expect(got.shape).toEqual(want.shape);
    const diff = maxAbsDiff((await got.data()) as Float32Array, (await want.data()) as Float32Array);
    expect(diff).toBeLessThan(SIMD_PARITY_TOLERANCE);
    tf.dispose([got, want]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives every image the same row alone as in a batch, and the same rows on 1 thread as on 3', async () => {
    const spec = describeChain(reference);
    const [one, three] = await Promise.all([1, 3].map((threads) => createSimdFeatures(spec, reference.info.inputRange, reference.features, { threads, maxBatch: 4 })));
    try {
      const pixels = (await batch.data()) as Float32Array;
      const rows = one.features(pixels);
      // Each row is computed by one thread in a fixed order, so the split does not change a bit.
      expect(three.features(pixels)).toEqual(rows);
      const perImage = pixels.length / PHOTOS.length;
      const alone = one.features(pixels.subarray(3 * perImage, 4 * perImage));
      expect(alone).toEqual(rows.subarray(3 * spec.featureDim, 4 * spec.featureDim));
    } finally {
      one.dispose();
      three.dispose();
    }
  });

  it('rejects a batch of the wrong size with the expected shape, and keeps working', async () => {
    const wrong = tf.zeros([1, 100, 100, 3]) as tf.Tensor4D;
    expect(() => net.features(wrong)).toThrow(/224/);
    wrong.dispose();
    const first = batch.slice([0, 0, 0, 0], [1, -1, -1, -1]);
    const out = net.features(first);
    expect(out.shape).toEqual([1, net.info.featureDim]);
    tf.dispose([first, out]);
  });
});

describe('turning the SIMD engine off', () => {
  it('TAILOR_SIMD=0 keeps the TF.js path and says so', async () => {
    process.env.TAILOR_SIMD = '0';
    try {
      const net = await loadBackbone('mobilenet_v1_0.25_224');
      expect(net.info.engine).toBe('TF.js wasm, fused (SIMD engine turned off)');
      net.dispose();
    } finally {
      delete process.env.TAILOR_SIMD;
    }
  });

  it('an unfused (layers) backbone runs on TF.js', async () => {
    const net = await loadBackbone('mobilenet_v1_0.25_224', { fused: false });
    expect(net.info.engine).toBe('TF.js wasm');
    net.dispose();
  });
});
