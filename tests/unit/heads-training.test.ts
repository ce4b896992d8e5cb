/**
 * Training behaviour of the heads on real features: determinism, early
 * stopping and abort keeping the best weights, class weights, predict()
 * inputs, errors and tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainHead } from '../../kernels/transfer/index.ts';
import type { EpochLog, FeatureSet, Head } from '../../kernels/transfer/index.ts';
import { disposeBackbones, hymenopteraFeatures } from '../support/heads-fixtures.ts';

let train: FeatureSet;
let val: FeatureSet;

beforeAll(async () => {
  train = await hymenopteraFeatures('mobilenet_v1_0.25_224', 'train');
  val = await hymenopteraFeatures('mobilenet_v1_0.25_224', 'val');
});

afterAll(disposeBackbones);

/** Mean cross-entropy of the head on the validation rows. */
function valLoss(head: Head): number {
  return tf.tidy(() => {
    const p = head.predictProbabilities(tf.tensor2d(val.x, [val.labels.length, val.dim]));
    const picked = tf.sum(p.mul(tf.oneHot(tf.tensor1d(val.labels, 'int32'), 2)), 1);
    return -tf.mean(tf.log(picked)).dataSync()[0];
  });
}

/** Takes the rows of `set` whose index passes `keep`. */
function subset(set: FeatureSet, keep: (i: number) => boolean): FeatureSet {
  const rows = [...set.labels.keys()].filter(keep);
  const x = new Float32Array(rows.length * set.dim);
  rows.forEach((r, i) => x.set(set.x.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim));
  return { ...set, x, labels: Int32Array.from(rows, (r) => set.labels[r]), items: rows.map((r) => set.items[r]) };
}

describe('trainHead', () => {
  it('gives the same history with the same seed and a different one with another seed', async () => {
    const variants = [{ kind: 'softmax' }, { kind: 'mlp' }, { kind: 'softmax', solver: 'adam' }, { kind: 'mlp', solver: 'adam' }] as const;
    for (const variant of variants) {
      const a = await trainHead(train, { ...variant, validation: val, seed: 7, epochs: 15 });
      const b = await trainHead(train, { ...variant, validation: val, seed: 7, epochs: 15 });
      const c = await trainHead(train, { ...variant, validation: val, seed: 8, epochs: 15 });
      expect(a.solver).toBe('solver' in variant ? variant.solver : 'lbfgs');
      expect(a.history.length).toBeGreaterThan(3);
      expect(b.history).toEqual(a.history);
      expect(b.l2Search).toEqual(a.l2Search);
      expect(c.history).not.toEqual(a.history);
      [a, b, c].forEach((h) => h.dispose());
    }
  });

  it('chooses l2 by cross-validation on the training rows unless l2 is given', async () => {
    const chosen = await trainHead(train, { validation: val });
    const search = chosen.l2Search!;
    expect(search.folds).toBe(5);
    expect(search.scores.map((s) => s.l2)).toEqual([1, 0.3, 0.1, 0.03, 0.01, 0.003]);
    expect(chosen.l2).toBe(search.scores.reduce((m, s) => (s.loss < m.loss ? s : m)).l2);
    // The validation set plays no part: the same search without it.
    const blind = await trainHead(train, { epochs: 1 });
    expect(blind.l2Search).toEqual(search);
    const given = await trainHead(train, { validation: val, l2: 0.5, crossValidation: { folds: 3 } });
    expect(given.l2).toBe(0.5);
    expect(given.l2Search).toBeUndefined();
    const custom = await trainHead(train, { crossValidation: { folds: 3, grid: [2, 0.2] }, epochs: 1 });
    expect(custom.l2Search!.folds).toBe(3);
    expect(custom.l2Search!.scores.map((s) => s.l2)).toEqual([2, 0.2]);
    console.log(`[heads] 0.25 softmax: l2 ${chosen.l2} by CV (${search.scores.map((s) => `${s.l2}: ${s.loss.toFixed(3)}`).join(', ')}), ${chosen.history.length} epochs, ${chosen.stopReason}, ${chosen.trainMs.toFixed(0)} ms`);
    [chosen, blind, given, custom].forEach((h) => h.dispose());
  });

  it('cross-validates small classes over fewer folds, and falls back to l2 0.1 with one row in a class', async () => {
    const firstOf = (perClass: number) => {
      const seen = [0, 0];
      return subset(train, (i) => seen[train.labels[i]]++ < perClass);
    };
    const three = await trainHead(firstOf(3));
    expect(three.l2Search!.folds).toBe(3);
    const one = await trainHead(firstOf(1));
    expect(one.l2).toBe(0.1);
    expect(one.l2Search).toBeUndefined();
    await expect(trainHead(firstOf(3), { crossValidation: { folds: 4 } })).rejects.toThrow(/needs at least 4 training rows per class; the smallest class has 3/);
    [three, one].forEach((h) => h.dispose());
  });

  it('runs L-BFGS to convergence without validation', async () => {
    const head = await trainHead(train, { l2: 0.1 });
    expect(head.stopReason).toBe('converged');
    expect(head.history.length).toBeLessThan(100);
    expect(head.bestEpoch).toBe(head.history.length);
    expect(head.history.at(-1)!.valLoss).toBeUndefined();
    head.dispose();
  });

  it('stops early on validation loss and restores the best weights', async () => {
    const adam = await trainHead(train, { kind: 'mlp', solver: 'adam', validation: val, earlyStopping: { patience: 3 }, epochs: 200, learningRate: 1e-2 });
    // Without a penalty L-BFGS overfits 244 rows of 256 features, so validation loss turns up.
    const lbfgs = await trainHead(train, { validation: val, earlyStopping: { patience: 3 }, l2: 0 });
    for (const head of [adam, lbfgs]) {
      expect(head.stopReason).toBe('early-stopping');
      expect(head.history.length).toBe(head.bestEpoch + 3);
      const losses = head.history.map((h) => h.valLoss!);
      expect(Math.min(...losses)).toBe(losses[head.bestEpoch - 1]);
      expect(valLoss(head)).toBeCloseTo(losses[head.bestEpoch - 1], 4);
      head.dispose();
    }
  });

  it('stops during the cross-validation on an abort, before any epoch', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const head = await trainHead(train, { validation: val, signal: controller.signal });
    expect(head.stopReason).toBe('aborted');
    expect(head.history).toEqual([]);
    expect(head.l2Search).toBeUndefined();
    head.dispose();
  });

  it('calls onEpoch live and stops at the epoch boundary after an abort, keeping the best weights', async () => {
    const controller = new AbortController();
    const seen: EpochLog[] = [];
    const head = await trainHead(train, {
      validation: val,
      signal: controller.signal,
      onEpoch: (log) => {
        seen.push(log);
        if (log.epoch === 6) controller.abort();
      },
    });
    expect(head.stopReason).toBe('aborted');
    expect(head.history.length).toBe(6);
    expect(seen).toEqual(head.history);
    const losses = head.history.map((h) => h.valLoss!);
    expect(valLoss(head)).toBeCloseTo(Math.min(...losses), 4);
    head.dispose();
  });

  it("'balanced' class weights raise the recall of a rare class", async () => {
    // Keep every ant but only 15 bees.
    let bees = 0;
    const skewed = subset(train, (i) => train.labels[i] === 0 || bees++ < 15);
    const recallOfBees = async (head: Head) => {
      const p = await head.predict(val);
      const hits = p.filter((q, i) => val.labels[i] === 1 && q.index === 1).length;
      head.dispose();
      return hits / 83;
    };
    const plain = await recallOfBees(await trainHead(skewed, { epochs: 30, earlyStopping: false }));
    const balanced = await recallOfBees(await trainHead(skewed, { epochs: 30, earlyStopping: false, classWeights: 'balanced' }));
    console.log(`[heads] bee recall with 15 bee images: plain ${plain.toFixed(3)}, balanced ${balanced.toFixed(3)}`);
    expect(balanced).toBeGreaterThan(plain);
  });

  it('predicts from a FeatureSet, rows, nested arrays and tensors alike', async () => {
    const head = await trainHead(train, { kind: 'knn' });
    const rows = val.x.slice(0, 3 * val.dim);
    const fromSet = (await head.predict(val)).slice(0, 3);
    const fromRows = await head.predict(rows);
    const nested = [0, 1, 2].map((r) => Array.from(rows.subarray(r * val.dim, (r + 1) * val.dim)));
    const fromNested = await head.predict(nested);
    const t = tf.tensor2d(rows, [3, val.dim]);
    const fromTensor = await head.predict(t);
    t.dispose();
    for (const p of [fromRows, fromNested, fromTensor]) expect(p).toEqual(fromSet);
    for (const p of fromSet) {
      expect(p.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(p.label).toBe(train.classes[p.index]);
    }
    await expect(head.predict(new Float32Array(7))).rejects.toThrow(/multiple of the head's dim 256/);
    head.dispose();
  });

  it('explains bad options and inputs', async () => {
    await expect(trainHead(train, { kind: 'tree' as 'mlp' })).rejects.toThrow(/Unknown head kind 'tree'; choose one of softmax, mlp, knn/);
    await expect(trainHead(train, { validation: { ...val, dim: 3 } })).rejects.toThrow(/has 39168 values but 153 rows × dim 3/);
    await expect(trainHead(train, { earlyStopping: { patience: 2 } })).rejects.toThrow(/earlyStopping needs a validation set/);
    await expect(trainHead(train, { classWeights: [1] })).rejects.toThrow(/classWeights must be 'balanced' or 2 non-negative numbers/);
    await expect(trainHead(train, { epochs: 0 })).rejects.toThrow(/epochs must be a positive integer/);
    await expect(trainHead(train, { solver: 'sgd' as 'adam' })).rejects.toThrow(/Unknown solver 'sgd'; choose one of lbfgs, adam/);
    await expect(trainHead(train, { crossValidation: { folds: 1 } })).rejects.toThrow(/crossValidation.folds must be an integer ≥ 2; got 1/);
    await expect(trainHead(train, { l2: -1 })).rejects.toThrow(/l2 must be ≥ 0; got -1/);
    await expect(trainHead(train, { crossValidation: { folds: 200 } })).rejects.toThrow(/smallest class has 121/);
  });

  it('leaves no tensors behind across train, predict and dispose', async () => {
    const before = tf.memory().numTensors;
    for (const options of [{ kind: 'softmax' }, { kind: 'mlp' }, { kind: 'mlp', solver: 'adam' }, { kind: 'knn' }] as const) {
      const head = await trainHead(train, { ...options, validation: val, epochs: 5 });
      await head.predict(val);
      head.dispose();
      head.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
