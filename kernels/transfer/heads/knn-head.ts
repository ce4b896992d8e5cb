/**
 * k-nearest-neighbours head with cosine similarity over standardised
 * features. "Training" stores the normalised training rows; probabilities
 * are similarity-weighted votes of the k nearest rows.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureSet } from '../types.ts';
import { toFeatureTensor, toPredictions } from './feature-input.ts';
import type { FeatureHead, FeatureInput, HeadPrediction } from './head-types.ts';
import { applyStandardizer, type Standardizer } from './standardize.ts';

/** L2-normalises rows (cosine similarity becomes a dot product). */
function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => x.div(x.norm('euclidean', 1, true).maximum(1e-12)));
}

/** Stores the standardised, normalised training rows as a kNN head. */
export function createKnnHead(train: FeatureSet, standardizer: Standardizer, k: number): FeatureHead {
  const n = train.labels.length;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a positive integer; got ${k}.`);
  const kUsed = Math.min(k, n);
  const classes = train.classes;
  const started = performance.now();
  const memory = tf.tidy(() => normalizeRows(tf.tensor2d(applyStandardizer(standardizer, train.x), [n, train.dim])));
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes.length).toFloat());
  const mean = tf.tensor1d(standardizer.mean);
  const std = tf.tensor1d(standardizer.std);
  const trainMs = performance.now() - started;
  let disposed = false;
  const predictProbabilities = (features: tf.Tensor2D): tf.Tensor2D => {
    if (disposed) throw new Error('This head was disposed; train a new one with trainHead().');
    return tf.tidy(() => {
      const q = normalizeRows(features.sub(mean).div(std) as tf.Tensor2D);
      const sims = q.matMul(memory, false, true);
      const { values, indices } = tf.topk(sims, kUsed);
      // Similarities can be negative; shift so the weakest neighbour still counts a little.
      const weights = values.sub(values.min(1, true)).add(1e-3);
      const votes = tf.gather(oneHot, indices).mul(weights.expandDims(2)).sum(1);
      return votes.div(votes.sum(1, true)) as tf.Tensor2D;
    });
  };
  return {
    kind: 'knn',
    classes,
    dim: train.dim,
    standardizer,
    history: [],
    bestEpoch: 0,
    stopReason: 'completed',
    trainMs,
    predictProbabilities,
    async predict(input: FeatureInput): Promise<HeadPrediction[]> {
      const x = toFeatureTensor(input, train.dim);
      const probs = predictProbabilities(x);
      x.dispose();
      const data = (await probs.data()) as Float32Array;
      probs.dispose();
      return toPredictions(data, classes);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([memory, oneHot, mean, std]);
    },
  };
}
