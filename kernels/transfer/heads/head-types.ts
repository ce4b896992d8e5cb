/**
 * Types shared by the classifier heads: options, history, predictions and
 * the `Head` interface every head kind implements.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import type { ImagesInput } from '../export/model-inputs.ts';
import type { FeatureSet } from '../types.ts';
import type { L2Search } from './cross-validate.ts';
import type { Standardizer } from './standardize.ts';

/** The head kinds `trainHead` knows. */
export const headKinds = ['softmax', 'mlp', 'knn'] as const;
export type HeadKind = (typeof headKinds)[number];

/** One epoch of training, as `head.history` and `onEpoch` report it. */
export interface EpochLog {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean cross-entropy on the training rows (inference mode, after the epoch). */
  loss: number;
  accuracy: number;
  /** Present when `validation` was given. */
  valLoss?: number;
  valAccuracy?: number;
}

/**
 * Why training ended: 'completed' ran every epoch; 'converged' (L-BFGS) met
 * its tolerance before that; 'early-stopping' saw validation loss stop
 * improving; 'aborted' saw the signal.
 */
export type StopReason = 'completed' | 'converged' | 'early-stopping' | 'aborted';

/** How the dense heads are fitted (see `TrainHeadOptions.solver`). */
export const denseSolvers = ['lbfgs', 'adam'] as const;
export type DenseSolver = (typeof denseSolvers)[number];

/**
 * Options of `trainHead`. Every field is optional; defaults are chosen for
 * pooled ImageNet features of a few hundred images.
 */
export interface TrainHeadOptions {
  /** 'softmax' (default): linear softmax regression; 'mlp': one hidden layer; 'knn': k nearest neighbours (cosine). */
  kind?: HeadKind;
  /**
   * How softmax and MLP heads are fitted. Default 'lbfgs' for softmax,
   * 'adam' for mlp (L-BFGS works for the MLP too, but cross-validating its
   * penalty costs tens of seconds in plain array math, and on hymenoptera it
   * scored no better).
   * - 'lbfgs': full-batch L-BFGS on the whole training set, run
   *   until it converges. One epoch is one L-BFGS iteration (a step along a
   *   search direction; each evaluates the loss on every training row at
   *   least once), so `epochs` caps the iterations. Deterministic; the seed
   *   sets the initial weights and the cross-validation folds.
   *   `learningRate`, `batchSize` and `dropout` do not apply.
   * - 'adam': mini-batch Adam with seeded shuffling and dropout, `epochs`
   *   passes over the training rows.
   */
  solver?: DenseSolver;
  /** Maximum epochs (softmax, mlp): L-BFGS iterations, or Adam passes over the training rows. Default 100. */
  epochs?: number;
  /** Adam learning rate ('adam' only). Default 1e-3. */
  learningRate?: number;
  /** Rows per gradient step ('adam' only). Default 32. */
  batchSize?: number;
  /** Hidden units of the MLP. Default 32. */
  hiddenUnits?: number;
  /** Dropout rate before the MLP's output layer (training only, 'adam' only). Default 0.5. */
  dropout?: number;
  /**
   * L2 penalty on the kernels, added to the mean cross-entropy as
   * l2 × sum of squares. Default with 'lbfgs': chosen by k-fold
   * cross-validation on the training rows (see `crossValidation`; the
   * validation set is never used to choose it) and reported as `head.l2`
   * and `head.l2Search`. Default with 'adam': 0.3 (softmax), 0.1 (mlp).
   * Passing a number skips the cross-validation.
   */
  l2?: number;
  /**
   * How the L2 penalty is cross-validated when `l2` is not given ('lbfgs'
   * only): stratified `folds` (default 5) drawn from the seed, each penalty
   * of `grid` (default [1, 0.3, 0.1, 0.03, 0.01, 0.003]) fitted to
   * convergence on the other folds, the lowest held-out cross-entropy wins.
   * With fewer than 5 rows in a class the default folds drop to that count;
   * with a class of 1 row there is nothing to hold out and l2 is 0.1. Asked-for
   * `folds` need that many rows in every class. For 'mlp' the penalty is
   * cross-validated on softmax regression over the same rows (one MLP fit
   * costs about as much as that whole search).
   */
  crossValidation?: { folds?: number; grid?: number[] };
  /** Rows to validate on after every epoch: only reported and used for early stopping, never for fitting, standardisation or choosing `l2`. */
  validation?: FeatureSet;
  /**
   * Stop when validation loss has not improved for `patience` epochs and
   * restore the best weights. On by default (patience 10) when `validation`
   * is given; `false` turns it off. Needs `validation`.
   */
  earlyStopping?: { patience?: number; minDelta?: number } | false;
  /** 'balanced' weights each class by n / (classes × n_class); or one weight per class. Default: none. */
  classWeights?: 'balanced' | number[];
  /** Seed for initialisation, cross-validation folds, shuffling and dropout: the same seed gives the same history. Default 1. */
  seed?: number;
  /** Standardise features with the training rows' mean and spread. Default true. */
  standardize?: boolean;
  /** Neighbours for the kNN head. Default 10. */
  k?: number;
  /**
   * Attach this backbone to the trained head (see `Head.attach`), so
   * `head.predict(images)` works. It must be the backbone (and options) the
   * features came from. Default: none.
   */
  backbone?: Backbone;
  /** Called after every epoch with its log (feeds live charts). */
  onEpoch?: (log: EpochLog) => void;
  /** Stops between epochs; the head keeps the best weights so far. */
  signal?: AbortSignal;
}

/** A head's answer for one row. */
export interface HeadPrediction {
  /** Index into `classes` of the most probable class. */
  index: number;
  label: string;
  probability: number;
  /** One probability per class, in `classes` order. */
  probabilities: number[];
}

/** What a head accepts: a FeatureSet, row-major rows, nested rows or a 2-D tensor. */
export type FeatureInput = FeatureSet | Float32Array | number[][] | tf.Tensor2D;

/** A trained classifier over feature vectors. */
export interface Head {
  readonly kind: HeadKind;
  readonly classes: string[];
  /** Feature length the head expects. */
  readonly dim: number;
  /** Fitted on the training rows; applied inside `predict`. */
  readonly standardizer: Standardizer;
  /** One entry per epoch run (empty for kNN). */
  readonly history: EpochLog[];
  /** Epoch whose weights the head holds (0 when untrained or kNN). */
  readonly bestEpoch: number;
  readonly stopReason: StopReason;
  /** Training time in milliseconds. */
  readonly trainMs: number;
  /**
   * Class probabilities and best label per row of features — or per image
   * (paths, bytes, `ImageItem`s, an `ImageSet`, a preprocessed batch) once a
   * backbone is attached; images are fitted, scaled and (when the training
   * features used flip TTA) mirrored exactly as for the training features.
   */
  predict(input: FeatureInput | ImagesInput): Promise<HeadPrediction[]>;
  /**
   * Attaches the backbone the training features came from, so `predict`
   * takes images. Checks feature length, backbone id and preprocessing
   * against the training set's. Returns the head. The head does not own
   * the backbone: `dispose()` leaves it alone.
   */
  attach(net: Backbone): this;
  /** The attached backbone, if any. */
  readonly backbone: Backbone | undefined;
  /** Probabilities `[n, classes]` for raw (unstandardised) features; the caller disposes the result. */
  predictProbabilities(features: tf.Tensor2D): tf.Tensor2D;
  /** Frees the head's tensors. Calling it twice is harmless. */
  dispose(): void;
}

/** A head before `makeAttachable` gives it `attach`/`backbone` (what the head factories build). */
export type FeatureHead<H extends Head = Head> = Omit<H, 'attach' | 'backbone'>;

/** A head made of dense layers, which can join a backbone in one layers model. */
export interface DenseHead extends Head {
  readonly kind: 'softmax' | 'mlp';
  /** How it was fitted. */
  readonly solver: DenseSolver;
  /** The L2 penalty it was fitted with (given, defaulted or cross-validated; NaN when aborted during the cross-validation). */
  readonly l2: number;
  /** The cross-validation that chose `l2`, when it ran. */
  readonly l2Search?: L2Search;
  /**
   * Applies new dense layers (standardisation folded into the first one,
   * softmax output, no dropout) to `input` and returns their output. The
   * layers own copies of the head's weights.
   */
  applyLayers(input: tf.SymbolicTensor, namePrefix?: string): tf.SymbolicTensor;
}
