/**
 * Turning whatever a user passes to `head.predict` into a 2-D tensor, and
 * probabilities back into `HeadPrediction`s.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureSet } from '../types.ts';
import type { FeatureInput, HeadPrediction } from './head-types.ts';

/** True for a FeatureSet-shaped value. */
export function isFeatureSet(value: unknown): value is FeatureSet {
  const v = value as FeatureSet;
  return v != null && v.x instanceof Float32Array && typeof v.dim === 'number' && v.labels instanceof Int32Array;
}

/** Checks a FeatureSet's shape and labels, naming what is wrong. */
export function assertFeatureSet(set: FeatureSet, what: string): void {
  if (!isFeatureSet(set)) {
    throw new TypeError(`${what} must be a FeatureSet {x: Float32Array, dim, labels: Int32Array, classes, items}; extract one with extractFeatures(net, images).`);
  }
  const n = set.labels.length;
  if (n === 0) throw new RangeError(`${what} has no rows; give it at least one image per class.`);
  if (set.x.length !== n * set.dim) {
    throw new RangeError(`${what}.x has ${set.x.length} values but ${n} rows × dim ${set.dim} = ${n * set.dim}.`);
  }
  for (const l of set.labels) {
    if (l < 0 || l >= set.classes.length) {
      throw new RangeError(`${what} has label ${l}, outside its ${set.classes.length} classes (${set.classes.join(', ')}).`);
    }
  }
}

/** Returns the input as a new `[n, dim]` float tensor the caller disposes. */
export function toFeatureTensor(input: FeatureInput, dim: number): tf.Tensor2D {
  let t: tf.Tensor2D;
  if (input instanceof tf.Tensor) {
    t = input.clone();
  } else if (isFeatureSet(input)) {
    t = tf.tensor2d(input.x, [input.x.length / input.dim, input.dim]);
  } else if (input instanceof Float32Array) {
    if (input.length % dim !== 0) {
      throw new RangeError(`Feature rows have ${input.length} values, not a multiple of the head's dim ${dim}.`);
    }
    t = tf.tensor2d(input, [input.length / dim, dim]);
  } else if (Array.isArray(input)) {
    t = tf.tensor2d(input.length === 0 ? new Float32Array(0) : input, [input.length, dim]);
  } else {
    throw new TypeError('predict() takes a FeatureSet, a Float32Array of rows, number[][] or a 2-D tensor.');
  }
  if (t.rank !== 2 || t.shape[1] !== dim) {
    const shape = t.shape.join('×');
    t.dispose();
    throw new RangeError(`Features have shape ${shape}; the head expects rows of ${dim} (was it trained on another backbone or layer?).`);
  }
  return t;
}

/** Turns a `[n, classes]` probability matrix into predictions. */
export function toPredictions(probs: Float32Array, classes: string[]): HeadPrediction[] {
  const c = classes.length;
  const out: HeadPrediction[] = [];
  for (let r = 0; r < probs.length / c; r++) {
    const row = Array.from(probs.subarray(r * c, r * c + c));
    let best = 0;
    for (let j = 1; j < c; j++) if (row[j] > row[best]) best = j;
    out.push({ index: best, label: classes[best], probability: row[best], probabilities: row });
  }
  return out;
}
