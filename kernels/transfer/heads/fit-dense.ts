/**
 * The dense heads' `solver: 'adam'` training loop: seeded shuffling, Adam, weighted
 * cross-entropy + L2, evaluation after each epoch, early stopping on
 * validation loss with the best weights restored, `onEpoch` and `signal`.
 */
import * as tf from '@tensorflow/tfjs';
import { createDenseNetwork, denseLogits, type DenseNetwork, type DenseSpec } from './dense-head.ts';
import { trackBestEpoch } from './best-epoch.ts';
import type { EpochLog, StopReason } from './head-types.ts';
import { seededRandom as createRandom, deriveSeed, shuffledIndices } from '../random.ts';

/** Standardised rows with their labels. */
export interface Rows {
  x: Float32Array;
  labels: Int32Array;
}

/** Resolved options every dense fit takes, whatever its solver. */
export interface DenseFitCommon {
  spec: DenseSpec;
  /** Most epochs to run. */
  epochs: number;
  l2: number;
  classWeights: Float32Array;
  patience: number;
  minDelta: number;
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
}

/** Resolved options of one Adam fit. */
export interface DenseFitConfig extends DenseFitCommon {
  learningRate: number;
  batchSize: number;
  dropout: number;
}

/** The fitted network (best weights) and how training went. */
export interface DenseFitResult {
  net: DenseNetwork;
  history: EpochLog[];
  bestEpoch: number;
  stopReason: StopReason;
}

/** Lets timers, `onEpoch` consumers and abort signals run between epochs. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Mean unweighted cross-entropy and accuracy of the network on rows. */
async function measure(net: DenseNetwork, x: tf.Tensor2D, y: tf.Tensor2D, labels: Int32Array): Promise<[number, number]> {
  const [loss, predicted] = tf.tidy(() => {
    const logits = denseLogits(net, x);
    return [tf.losses.softmaxCrossEntropy(y, logits), logits.argMax(1)];
  });
  const [l, p] = await Promise.all([loss.data(), predicted.data()]);
  tf.dispose([loss, predicted]);
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (p[i] === labels[i]) right++;
  return [l[0], right / labels.length];
}

/** Trains a dense head on standardised rows. Leaves no tensors behind except the returned network's. */
export async function fitDense(train: Rows, validation: Rows | undefined, cfg: DenseFitConfig): Promise<DenseFitResult> {
  const { spec } = cfg;
  const n = train.labels.length;
  const net = createDenseNetwork(spec);
  const optimizer = tf.train.adam(cfg.learningRate);
  const xTrain = tf.tensor2d(train.x, [n, spec.dim]);
  const yTrain = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), spec.classes).toFloat()) as tf.Tensor2D;
  const rowWeights = tf.tensor1d(Float32Array.from(train.labels, (l) => cfg.classWeights[l]));
  const xVal = validation && tf.tensor2d(validation.x, [validation.labels.length, spec.dim]);
  const yVal = validation && (tf.tidy(() => tf.oneHot(tf.tensor1d(validation.labels, 'int32'), spec.classes).toFloat()) as tf.Tensor2D);
  const kernels = net.variables.filter((_, i) => i % 2 === 0);
  const random = createRandom(spec.seed);
  const history: EpochLog[] = [];
  let best: tf.Tensor[] | undefined;
  const tracker = trackBestEpoch({ patience: cfg.patience, minDelta: cfg.minDelta, validation: validation !== undefined });
  let stopReason: StopReason = 'completed';
  let step = 0;
  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      if (cfg.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const order = shuffledIndices(n, random);
      for (let start = 0; start < n; start += cfg.batchSize) {
        const idx = order.subarray(start, Math.min(n, start + cfg.batchSize));
        const dropoutSeed = deriveSeed(spec.seed, step++);
        tf.tidy(() => {
          const at = tf.tensor1d(idx, 'int32');
          const xb = xTrain.gather(at);
          const yb = yTrain.gather(at);
          const wb = rowWeights.gather(at);
          optimizer.minimize(() => {
            const logits = denseLogits(net, xb, { rate: cfg.dropout, seed: dropoutSeed });
            const ce = tf.losses.softmaxCrossEntropy(yb, logits, wb, undefined, tf.Reduction.SUM_BY_NONZERO_WEIGHTS);
            const penalty = tf.addN(kernels.map((k) => tf.sum(tf.square(k)))).mul(cfg.l2);
            return ce.add(penalty) as tf.Scalar;
          }, false, net.variables);
        });
      }
      const [loss, accuracy] = await measure(net, xTrain, yTrain, train.labels);
      const log: EpochLog = { epoch, loss, accuracy };
      if (xVal && yVal && validation) [log.valLoss, log.valAccuracy] = await measure(net, xVal, yVal, validation.labels);
      history.push(log);
      const { improved, stop } = tracker.observe(log);
      if (improved) {
        tf.dispose(best);
        best = net.variables.map((v) => tf.keep(v.clone()));
      }
      cfg.onEpoch?.(log);
      if (stop) {
        stopReason = 'early-stopping';
        break;
      }
      await yieldToEventLoop();
    }
    if (best) net.variables.forEach((v, i) => v.assign(best![i]));
  } finally {
    tf.dispose([xTrain, yTrain, rowWeights, ...(xVal ? [xVal] : []), ...(yVal ? [yVal] : []), ...(best ?? [])]);
    optimizer.dispose();
  }
  return { net, history, bestEpoch: tracker.bestEpoch, stopReason };
}
