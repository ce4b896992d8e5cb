/**
 * Fine-tuning MobileNet v1 0.25's last block with a softmax head on
 * hymenoptera photos (real weights): accuracy vs the head alone, BatchNorm
 * frozen, backbone untouched, abort, the wasm gradient kernels, no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, fineTune, registerWasmGradientKernels, trainHead } from '../../kernels/transfer/index.ts';
import type { Backbone, EpochLog, FineTuneResult, Head, ImageDataset, ImageSet } from '../../kernels/transfer/index.ts';
import { backbone, disposeBackbones, hymenoptera, hymenopteraFeatures } from '../support/heads-fixtures.ts';

const id = 'mobilenet_v1_0.25_224';
let net: Backbone;
let ds: ImageDataset;
let head: Head;
let headAccuracy: number;
let tuned: FineTuneResult;
let before: number;
const seen: EpochLog[] = [];
const weightOf = (model: tf.LayersModel, layer: string, i = 0) => model.getLayer(layer).getWeights()[i].dataSync().slice();

beforeAll(async () => {
  net = await backbone(id);
  ds = await hymenoptera();
  const train = await hymenopteraFeatures(id, 'train');
  const val = await hymenopteraFeatures(id, 'val');
  before = tf.memory().numTensors;
  head = await trainHead(train, { validation: val, seed: 1 });
  headAccuracy = (await evaluate(head, val)).accuracy;
  const started = performance.now();
  tuned = await fineTune(net, head, ds.train!, { epochs: 2, augment: true, validation: ds.val, seed: 1, onEpoch: (log) => seen.push(log) });
  console.log(`[fine-tune] ${id}: head ${headAccuracy.toFixed(3)} → fine-tuned ${tuned.valAccuracy?.toFixed(3)} (best epoch ${tuned.bestEpoch}), ` +
    `2 epochs in ${((performance.now() - started) / 1000).toFixed(1)} s on ${tuned.backend}; ${tuned.backendNote ?? ''}`);
  console.log(`[fine-tune] history ${JSON.stringify(tuned.history)}`);
});

afterAll(async () => {
  tuned?.dispose();
  head?.dispose();
  expect(tf.memory().numTensors).toBe(before);
  await disposeBackbones();
});

describe('fineTune', () => {
  it('trains the last block and does not lose more than 1 point against the head alone', () => {
    expect(tuned.unfrozen).toEqual(['conv_dw_13', 'conv_dw_13_bn', 'conv_dw_13_relu', 'conv_pw_13', 'conv_pw_13_bn', 'conv_pw_13_relu']);
    expect(tuned.history.map((h) => h.epoch)).toEqual([0, 1, 2]);
    // Epoch 0 is the untouched backbone + head on the same images.
    expect(Math.abs(tuned.history[0].valAccuracy! - headAccuracy)).toBeLessThanOrEqual(1 / 153 + 1e-9);
    expect(tuned.valAccuracy!).toBeGreaterThanOrEqual(headAccuracy - 0.01);
    expect(seen).toEqual(tuned.history);
    expect(tuned.backend).toBe('wasm');
  });

  it('keeps BatchNorm statistics and scale frozen, and leaves the backbone itself untouched', () => {
    const original = net.model!;
    for (const bn of ['conv_dw_13_bn', 'conv_pw_13_bn']) {
      for (let i = 0; i < 4; i++) expect(weightOf(tuned.model, bn, i)).toEqual(weightOf(original, bn, i));
    }
    expect(weightOf(tuned.model, 'conv_pw_12')).toEqual(weightOf(original, 'conv_pw_12'));
    if (tuned.bestEpoch > 0) expect(weightOf(tuned.model, 'conv_pw_13')).not.toEqual(weightOf(original, 'conv_pw_13'));
  });

  it('predicts from images with the labels of the head', async () => {
    const report = await evaluate(tuned, ds.val!);
    expect(report.accuracy).toBeCloseTo(tuned.valAccuracy!, 10);
    expect(tuned.labels).toEqual(['ants', 'bees']);
  });

  it('stops at the next batch when aborted and keeps the best weights', async () => {
    const small: ImageSet = { classes: ds.train!.classes, items: [...ds.train!.items.slice(0, 8), ...ds.train!.items.slice(-8)] };
    const valSmall: ImageSet = { classes: ds.val!.classes, items: [...ds.val!.items.slice(0, 8), ...ds.val!.items.slice(-8)] };
    const controller = new AbortController();
    const stopped = await fineTune(net, head, small, {
      epochs: 50, batchSize: 4, validation: valSmall, signal: controller.signal,
      onEpoch: (log) => { if (log.epoch === 1) controller.abort(); },
    });
    expect(stopped.stopReason).toBe('aborted');
    expect(stopped.history.map((h) => h.epoch)).toEqual([0, 1]);
    const best = Math.max(...stopped.history.map((h) => h.valAccuracy!));
    expect(stopped.history[stopped.bestEpoch].valAccuracy).toBe(best);
    // The kept weights are the best epoch's: re-measuring gives its accuracy.
    expect((await evaluate(stopped, valSmall)).accuracy).toBeCloseTo(best, 10);
    stopped.dispose();
  });

  it('explains bad options', async () => {
    await expect(fineTune(net, head, ds.train!, { unfreeze: 'top' as 'last-block' })).rejects.toThrow(/unfreeze must be 'last-block' or a number/);
    const knn = await trainHead(await hymenopteraFeatures(id, 'val'), { kind: 'knn' });
    await expect(fineTune(net, knn, ds.train!)).rejects.toThrow(/'knn' head has no layers form/);
    knn.dispose();
  });
});

describe('wasm gradient kernels', () => {
  it('match the cpu backend for conv and depthwise conv gradients', async () => {
    expect(registerWasmGradientKernels()).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter']));
    const cases = [
      { x: [2, 9, 9, 5], f: [3, 3, 5, 4], s: 2, pad: 'same', depthwise: false },
      { x: [2, 7, 7, 6], f: [1, 1, 6, 3], s: 1, pad: 'valid', depthwise: false },
      { x: [2, 9, 9, 5], f: [3, 3, 5, 2], s: 2, pad: 'same', depthwise: true },
      { x: [1, 7, 7, 4], f: [3, 3, 4, 1], s: 1, pad: 'valid', depthwise: true },
    ] as const;
    const run = () => cases.map((c) => tf.tidy(() => {
      const x = tf.randomNormal([...c.x], 0, 1, 'float32', 1) as tf.Tensor4D;
      const f = tf.randomNormal([...c.f], 0, 1, 'float32', 2) as tf.Tensor4D;
      const loss = (a: tf.Tensor4D, b: tf.Tensor4D) => (c.depthwise ? tf.depthwiseConv2d(a, b, c.s, c.pad) : tf.conv2d(a, b, c.s, c.pad)).square().sum();
      const g = tf.grads(loss as (...args: tf.Tensor[]) => tf.Tensor);
      return g([x, f]).map((t) => Array.from(t.dataSync()));
    }));
    const onWasm = run();
    await tf.setBackend('cpu');
    const onCpu = run();
    await tf.setBackend('wasm');
    onWasm.forEach((grads, i) => grads.forEach((g, j) => {
      const scale = Math.max(...onCpu[i][j].map(Math.abs));
      g.forEach((v, k) => expect(Math.abs(v - onCpu[i][j][k])).toBeLessThan(1e-5 * scale + 1e-5));
    }));
  });
});
