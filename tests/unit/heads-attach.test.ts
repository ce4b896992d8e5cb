/**
 * `head.predict(images)` with the backbone attached (MobileNet v1 0.25, real
 * hymenoptera photos): the same answers as predicting on extracted
 * features, flip TTA followed, clear errors for a missing or wrong backbone,
 * no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, extractFeatures, trainHead } from '../../kernels/transfer/index.ts';
import type { Backbone, FeatureSet, HeadPrediction, ImageDataset, ImageSet } from '../../kernels/transfer/index.ts';
import { backbone, disposeBackbones, hymenoptera, hymenopteraFeatures } from '../support/heads-fixtures.ts';

const id = 'mobilenet_v1_0.25_224';
let net: Backbone;
let ds: ImageDataset;
let train: FeatureSet;
let valImages: ImageSet;

beforeAll(async () => {
  net = await backbone(id);
  ds = await hymenoptera();
  train = await hymenopteraFeatures(id, 'train');
  // Both classes, few enough images to keep the file quick.
  valImages = { classes: ds.val!.classes, items: [...ds.val!.items.slice(0, 12), ...ds.val!.items.slice(-12)] };
});

afterAll(disposeBackbones);

/** Same labels, probabilities within the ONNX/TF.js feature parity. */
function expectSameAnswers(a: HeadPrediction[], b: HeadPrediction[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((p, i) => {
    expect(p.probabilities[0]).toBeCloseTo(b[i].probabilities[0], 3);
    if (Math.abs(b[i].probabilities[0] - 0.5) > 1e-3) expect(p.label).toBe(b[i].label);
  });
}

describe('head.predict with an attached backbone', () => {
  it('answers for images as it does for their features (softmax and knn, trainHead({backbone}) and attach())', async () => {
    const before = tf.memory().numTensors;
    const features = await extractFeatures(net, valImages);
    const softmax = await trainHead(train, { kind: 'softmax', backbone: net, seed: 1, epochs: 30 });
    expect(softmax.backbone).toBe(net);
    expectSameAnswers(await softmax.predict(valImages), await softmax.predict(features));
    expectSameAnswers(await softmax.predict(valImages.items.slice(0, 3)), (await softmax.predict(features)).slice(0, 3));
    const fromImages = await evaluate(softmax, valImages);
    expect(fromImages.accuracy).toBeCloseTo((await evaluate(softmax, features)).accuracy, 1);
    expect(fromImages.accuracy).toBeGreaterThan(0.75);

    const knn = (await trainHead(train, { kind: 'knn' })).attach(net);
    expectSameAnswers(await knn.predict(valImages), await knn.predict(features));
    softmax.dispose();
    knn.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The head never owned the backbone.
    expect((await net.classify(valImages.items[0].path)).length).toBe(5);
  });

  it('mirrors images when the training features used flip TTA', async () => {
    const subset: ImageSet = { classes: ds.train!.classes, items: [...ds.train!.items.slice(0, 16), ...ds.train!.items.slice(-16)] };
    const tta = await extractFeatures(net, subset, { tta: 'flip' });
    const plain = await extractFeatures(net, subset);
    expect(tta.source?.tta).toBe('flip');
    expect(plain.source?.tta).toBeUndefined();
    expect(Array.from(tta.x.slice(0, 8))).not.toEqual(Array.from(plain.x.slice(0, 8)));
    const head = await trainHead(tta, { kind: 'softmax', backbone: net, epochs: 20 });
    expectSameAnswers(await head.predict(subset), await head.predict(tta));
    head.dispose();
  });

  it('says what to do when no backbone, or the wrong one, is attached', async () => {
    const head = await trainHead(train, { kind: 'softmax', epochs: 2 });
    await expect(head.predict(valImages)).rejects.toThrow(/no backbone is attached: call head.attach\(net\)/);
    const bigger = await backbone('mobilenet_v1_0.75_224');
    expect(() => head.attach(bigger)).toThrow(/expects 256-long features but 'mobilenet_v1_0.75_224' gives 768/);
    const resized = await backbone(id, { inputSize: 160 });
    expect(() => head.attach(resized)).toThrow(/preprocessed as .*:224:.* but this backbone preprocesses as .*:160:/);
    head.dispose();
    await expect(trainHead(train, { kind: 'knn', backbone: bigger })).rejects.toThrow(/expects 256-long features/);
  });
});
