/**
 * `fineTune`: trains the top of a layers backbone together with a dense
 * head on images, with seeded augmentation, BatchNorm in inference mode,
 * validation each epoch, best weights kept, `onEpoch` and `signal`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import { copyFeatureExtractor, assertComposable } from '../export/compose-model.ts';
import { imagesToBatch, type Preprocessing } from '../export/model-inputs.ts';
import { createTrainedModel, type TrainedModel } from '../export/trained-model.ts';
import { yieldToEventLoop } from '../heads/fit-dense.ts';
import type { EpochLog, Head, StopReason } from '../heads/head-types.ts';
import { seededRandom as createRandom, shuffledIndices } from '../random.ts';
import { augment, type AugmentOptions } from '../images/augment.ts';
import type { ImageSet } from '../types.ts';
import { checkGradients, onBackend } from './gradient-check.ts';
import { registerWasmGradientKernels } from './wasm-gradient-kernels.ts';
import { splitAtFirstTrainable, type SplitModel } from './split-model.ts';
import { applyFreezing, selectUnfrozen, type UnfreezeSpec } from './unfreeze.ts';

/** Options of `fineTune`; every field is optional. */
export interface FineTuneOptions {
  /** Backbone layers to train: 'last-block' (default) or the last N layers. */
  unfreeze?: UnfreezeSpec;
  /** Adam learning rate; small so pretrained weights move gently. Default 1e-4. */
  learningRate?: number;
  /** Passes over the training images. Default 5. */
  epochs?: number;
  /** Images per step. Default 16. */
  batchSize?: number;
  /** Seeded augmentation of every training batch: true (default: flip, crop, rotation, jitter), false, or `augment` options. */
  augment?: boolean | Omit<AugmentOptions, 'seed' | 'range'>;
  /** Images validated after every epoch (and before the first, as the baseline); the best epoch's weights are kept. */
  validation?: ImageSet;
  /**
   * Which epoch's weights to keep: 'valAccuracy' (default; ties go to the lower
   * loss — the PyTorch tutorial's choice, so the result never scores below
   * epoch 0, the head alone) or 'valLoss'. Either way this selects on the
   * validation set; report a separate test set for an unbiased figure.
   */
  monitor?: 'valAccuracy' | 'valLoss';
  /** Seed of shuffling and augmentation. Default 1. */
  seed?: number;
  onEpoch?: (log: EpochLog) => void;
  /** Stops at the next batch; the model keeps the best weights so far. */
  signal?: AbortSignal;
}

/** A fine-tuned model (a `TrainedModel`) and how its training went. */
export interface FineTuneResult extends TrainedModel {
  /** Epoch 0 is the untouched backbone + head (when `validation` is given). */
  history: EpochLog[];
  bestEpoch: number;
  stopReason: StopReason;
  /** Validation accuracy of the kept weights (undefined without validation). */
  valAccuracy?: number;
  /** The backbone layers that were trained. */
  unfrozen: string[];
  /** Backend the training steps ran on, and why when it is not the current one. */
  backend: string;
  backendNote?: string;
  trainMs: number;
}

const evalBatch = 32;

/** Mean cross-entropy of probabilities against labels (a scalar). */
function crossEntropy(probs: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.log(tf.sum(probs.mul(tf.oneHot(labels, classes)), 1).maximum(1e-7))).neg() as tf.Scalar);
}

/** Runs `fn` over `[i, i + evalBatch)` slices of `n` rows and concatenates the results. Caller disposes. */
function inBatches(n: number, fn: (start: number, size: number) => tf.Tensor): tf.Tensor {
  const parts: tf.Tensor[] = [];
  for (let i = 0; i < n; i += evalBatch) parts.push(fn(i, Math.min(evalBatch, n - i)));
  const out = tf.concat(parts);
  tf.dispose(parts);
  return out;
}

/** Mean cross-entropy and accuracy of the tail on cached front activations. */
async function measure(split: SplitModel, activations: tf.Tensor, labels: Int32Array, classes: number): Promise<[number, number]> {
  const [loss, predicted] = tf.tidy(() => {
    const probs = inBatches(labels.length, (i, size) => split.runTail(activations.slice(i, size))) as tf.Tensor2D;
    return [crossEntropy(probs, tf.tensor1d(labels, 'int32'), classes), probs.argMax(1)];
  });
  const [l, p] = await Promise.all([loss.data(), predicted.data()]);
  tf.dispose([loss, predicted]);
  let right = 0;
  for (let j = 0; j < p.length; j++) if (p[j] === labels[j]) right++;
  return [l[0], right / labels.length];
}

/**
 * Fine-tunes `net`'s last block (or last N layers) together with a softmax
 * or MLP `head` on training images. Works on copies: `net` and `head` are
 * unchanged. BatchNormalization layers stay frozen and run in inference
 * mode (`training: false`), so their moving statistics never change. Before
 * training, one step is checked for missing gradients on the current
 * backend; if any is missing the steps run on `cpu` and `backendNote` says
 * so. Returns a model that predicts from images and saves like `composeModel`'s.
 */
export async function fineTune(net: Backbone, head: Head, train: ImageSet, options: FineTuneOptions = {}): Promise<FineTuneResult> {
  assertComposable(net, head);
  if (train.classes.join('\n') !== head.classes.join('\n')) {
    throw new RangeError(`The training images' classes [${train.classes.join(', ')}] differ from the head's [${head.classes.join(', ')}].`);
  }
  const epochs = options.epochs ?? 5;
  const batchSize = options.batchSize ?? 16;
  const seed = options.seed ?? 1;
  const learningRate = options.learningRate ?? 1e-4;
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new RangeError(`epochs must be a whole number ≥ 0; got ${epochs}.`);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchSize must be a positive integer; got ${batchSize}.`);
  const started = performance.now();
  const preprocessing: Preprocessing = { inputSize: net.info.inputSize, inputRange: [...net.info.inputRange] as [number, number], crop: net.info.crop };

  const extractor = copyFeatureExtractor(net);
  const backboneLayers = extractor.model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  let unfrozen: string[];
  let model: tf.LayersModel;
  let split: SplitModel;
  try {
    unfrozen = selectUnfrozen(backboneLayers, options.unfreeze ?? 'last-block');
  } catch (error) {
    extractor.model.dispose();
    throw error;
  }
  model = tf.model({ inputs: extractor.inputs, outputs: head.applyLayers(extractor.features, 'head'), name: `${net.info.id.replace(/[^A-Za-z0-9_]/g, '_')}_tuned` });
  try {
    applyFreezing(model, new Set(backboneLayers.map((l) => l.name)), new Set(unfrozen));
    split = splitAtFirstTrainable(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);

  const classes = head.classes.length;
  const trainLabels = Int32Array.from(train.items, (it) => it.label);
  const valLabels = options.validation && Int32Array.from(options.validation.items, (it) => it.label);
  let trainImages: tf.Tensor4D | undefined;
  let valActivations: tf.Tensor | undefined;
  const optimizer = tf.train.adam(learningRate);
  const history: EpochLog[] = [];
  let best: tf.Tensor[] | undefined;
  let bestScore: [number, number] = [Infinity, Infinity];
  let bestEpoch = 0;
  const monitor = options.monitor ?? 'valAccuracy';
  if (monitor !== 'valAccuracy' && monitor !== 'valLoss') throw new RangeError(`monitor must be 'valAccuracy' or 'valLoss'; got ${JSON.stringify(monitor)}.`);
  let stopReason: StopReason = 'completed';
  const backend = tf.getBackend();
  const supplied = backend === 'wasm' ? registerWasmGradientKernels() : [];
  let stepBackend = backend;
  let backendNote = supplied.length > 0 ? `The wasm backend has no ${supplied.join(', ')}; Tailor supplied JS kernels for them.` : undefined;
  const snapshot = (loss: number, accuracy: number, epoch: number) => {
    const score: [number, number] = monitor === 'valAccuracy' ? [-accuracy, loss] : [loss, -accuracy];
    if (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] >= bestScore[1])) return;
    bestScore = score;
    bestEpoch = epoch;
    tf.dispose(best);
    best = variables.map((v) => tf.keep(v.clone()));
  };
  try {
    // Decoded once; augmentation makes each epoch's batches different.
    trainImages = await imagesToBatch(train.items, preprocessing);
    if (options.validation) {
      // The frozen front never changes: validation only re-runs the tail.
      const valImages = await imagesToBatch(options.validation.items, preprocessing);
      valActivations = inBatches(valLabels!.length, (i, size) => tf.tidy(() => split.runFront(valImages.slice(i, size))));
      valImages.dispose();
    }
    const probe = tf.tidy(() => split.runFront(trainImages!.slice(0, 2)));
    const probeLoss = () => crossEntropy(split.runTail(probe), tf.tensor1d(trainLabels.subarray(0, 2), 'int32'), classes);
    const missing = checkGradients(probeLoss, variables);
    if (missing.length > 0) {
      const onCpu = await onBackend('cpu', () => checkGradients(probeLoss, variables));
      probe.dispose();
      if (onCpu.length > 0) throw new Error(`Cannot fine-tune: no ${[...missing, ...onCpu].join(', ')} on the ${backend} or cpu backend.`);
      stepBackend = 'cpu';
      backendNote = `${backendNote ? `${backendNote} ` : ''}The ${backend} backend has no ${missing.join(', ')}; the frozen layers ran on ${backend} and the trained layers' steps on cpu.`;
    } else {
      probe.dispose();
    }
    if (valActivations && valLabels) {
      const [valLoss, valAccuracy] = await measure(split, valActivations, valLabels, classes);
      history.push({ epoch: 0, loss: NaN, accuracy: NaN, valLoss, valAccuracy });
      options.onEpoch?.(history[0]);
      snapshot(valLoss, valAccuracy, 0);
    }
    const random = createRandom(seed);
    const augmentOptions = options.augment === false ? undefined : options.augment === true || options.augment === undefined ? {} : options.augment;
    let step = 0;
    outer: for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = shuffledIndices(trainLabels.length, random);
      let lossSum = 0;
      let right = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        if (options.signal?.aborted) {
          stopReason = 'aborted';
          break outer;
        }
        const idx = order.subarray(start, Math.min(order.length, start + batchSize));
        const batchSeed = seed * 100_003 + step++;
        const activations = tf.tidy(() => {
          let xb = trainImages!.gather(tf.tensor1d(idx, 'int32')) as tf.Tensor4D;
          if (augmentOptions) xb = augment(xb, { ...augmentOptions, seed: batchSeed, range: preprocessing.inputRange });
          return split.runFront(xb);
        });
        const labels = Int32Array.from(idx, (i) => trainLabels[i]);
        const [l, h] = await onBackend(stepBackend, () => tf.tidy(() => {
          const y = tf.tensor1d(labels, 'int32');
          let probs: tf.Tensor2D | undefined;
          const loss = optimizer.minimize(() => {
            probs = tf.keep(split.runTail(activations));
            return crossEntropy(probs, y, classes);
          }, true, variables)!;
          const hits = probs!.argMax(1).equal(y).sum();
          tf.dispose(probs);
          return [loss.mul(idx.length), hits];
        }));
        activations.dispose();
        lossSum += (await l.data())[0];
        right += (await h.data())[0];
        tf.dispose([l, h]);
        await yieldToEventLoop();
      }
      const log: EpochLog = { epoch, loss: lossSum / trainLabels.length, accuracy: right / trainLabels.length };
      if (valActivations && valLabels) {
        [log.valLoss, log.valAccuracy] = await measure(split, valActivations, valLabels, classes);
        snapshot(log.valLoss, log.valAccuracy, epoch);
      } else {
        snapshot(-epoch, 0, epoch);
      }
      history.push(log);
      options.onEpoch?.(log);
    }
    if (best) variables.forEach((v, i) => v.assign(best![i]));
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose([...(trainImages ? [trainImages] : []), ...(valActivations ? [valActivations] : []), ...(best ?? [])]);
    optimizer.dispose();
    split.dispose();
  }
  const trained = createTrainedModel(model, {
    version: 1,
    labels: [...head.classes],
    preprocessing,
    backbone: net.info.id,
    featureLayer: net.info.featureLayer,
    head: `${head.kind}+fine-tuned`,
  });
  return Object.assign(trained, {
    history,
    bestEpoch,
    stopReason,
    valAccuracy: history.find((h) => h.epoch === bestEpoch)?.valAccuracy,
    unfrozen,
    backend: stepBackend,
    backendNote,
    trainMs: performance.now() - started,
  });
}
