/**
 * `trainHead`: validates a FeatureSet and options, fits the standardiser on
 * the training rows, and trains a softmax, MLP or kNN head — dense heads by
 * default with full-batch L-BFGS and an L2 penalty cross-validated on the
 * training rows, or with mini-batch Adam (`solver: 'adam'`).
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureSet } from '../types.ts';
import { resolveClassWeights } from './class-weights.ts';
import { createDenseHead } from './dense-head.ts';
import { featureOrigin, makeAttachable } from './attach-backbone.ts';
import { assertFeatureSet } from './feature-input.ts';
import { assertCrossValidation, canCrossValidate, crossValidateL2, type L2Search } from './cross-validate.ts';
import { fitDense, type DenseFitResult } from './fit-dense.ts';
import { parameterCount } from './dense-loss.ts';
import { denseShape, fitLbfgs, initialNetwork, weightRows } from './fit-lbfgs.ts';
import { denseSolvers, headKinds, type DenseHead, type Head, type TrainHeadOptions } from './head-types.ts';
import { createKnnHead } from './knn-head.ts';
import { applyStandardizer, fitStandardizer, identityStandardizer } from './standardize.ts';

function positive(name: string, value: number, integer = false): number {
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a positive ${integer ? 'integer' : 'number'}; got ${value}.`);
  }
  return value;
}

/**
 * Trains a classifier head on features (see `TrainHeadOptions` for every
 * option and default). The validation set is used only to report and for
 * early stopping — never to fit, standardise or choose `l2`. Returns a head
 * holding the best weights; dispose it when done.
 */
export async function trainHead(train: FeatureSet, options: TrainHeadOptions & { kind: 'knn' }): Promise<Head>;
export async function trainHead(train: FeatureSet, options?: TrainHeadOptions & { kind?: 'softmax' | 'mlp' }): Promise<DenseHead>;
export async function trainHead(train: FeatureSet, options?: TrainHeadOptions): Promise<Head>;
export async function trainHead(train: FeatureSet, options: TrainHeadOptions = {}): Promise<Head> {
  assertFeatureSet(train, 'The training set');
  const kind = options.kind ?? 'softmax';
  if (!headKinds.includes(kind)) throw new RangeError(`Unknown head kind '${kind}'; choose one of ${headKinds.join(', ')}.`);
  if (train.classes.length < 2) throw new RangeError(`A classifier needs at least 2 classes; the training set has ${train.classes.length}.`);
  const validation = options.validation;
  if (validation) {
    assertFeatureSet(validation, 'The validation set');
    if (validation.dim !== train.dim) {
      throw new RangeError(`Validation rows have dim ${validation.dim} but training rows ${train.dim}; extract both with the same backbone and layer.`);
    }
    if (validation.classes.join('\n') !== train.classes.join('\n')) {
      throw new RangeError(`Validation classes [${validation.classes.join(', ')}] differ from training classes [${train.classes.join(', ')}]; they must match in order.`);
    }
  }
  const standardizer = options.standardize === false ? identityStandardizer(train.dim) : fitStandardizer(train.x, train.dim);
  const finish = <H extends Head>(head: H): H => {
    if (options.backbone) {
      try {
        head.attach(options.backbone);
      } catch (error) {
        head.dispose();
        throw error;
      }
    }
    return head;
  };
  if (kind === 'knn') return finish(makeAttachable<Head>(createKnnHead(train, standardizer, options.k ?? 10), featureOrigin(train)));

  if (options.earlyStopping && !validation) {
    throw new RangeError('earlyStopping needs a validation set: pass {validation: valFeatures} or earlyStopping: false.');
  }
  const early = options.earlyStopping === false ? undefined : (options.earlyStopping ?? {});
  const started = performance.now();
  const solver = options.solver ?? 'lbfgs';
  if (!denseSolvers.includes(solver)) throw new RangeError(`Unknown solver '${solver}'; choose one of ${denseSolvers.join(', ')}.`);
  const dropout = options.dropout ?? 0.5;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1); got ${dropout}.`);
  if (options.l2 !== undefined && !(options.l2 >= 0)) throw new RangeError(`l2 must be ≥ 0; got ${options.l2}.`);
  if (options.crossValidation) assertCrossValidation(options.crossValidation);
  const spec = {
    kind,
    dim: train.dim,
    classes: train.classes.length,
    hiddenUnits: positive('hiddenUnits', options.hiddenUnits ?? 32, true),
    seed: options.seed ?? 1,
  };
  const common = {
    epochs: positive('epochs', options.epochs ?? 100, true),
    classWeights: resolveClassWeights(options.classWeights, train.labels, train.classes.length),
    patience: early ? positive('earlyStopping.patience', early.patience ?? 10, true) : Infinity,
    minDelta: early?.minDelta ?? 0,
    onEpoch: options.onEpoch,
    signal: options.signal,
  };
  const rows = { x: applyStandardizer(standardizer, train.x), labels: train.labels };
  const valRows = validation && { x: applyStandardizer(standardizer, validation.x), labels: validation.labels };
  let fit: DenseFitResult;
  let l2: number;
  let l2Search: L2Search | undefined;
  if (solver === 'adam') {
    // Strong defaults measured on pooled ImageNet features of a few hundred images (hymenoptera).
    l2 = options.l2 ?? (kind === 'mlp' ? 0.1 : 0.3);
    fit = await fitDense(rows, valRows, {
      ...common,
      spec,
      learningRate: positive('learningRate', options.learningRate ?? 1e-3),
      batchSize: positive('batchSize', options.batchSize ?? 32, true),
      dropout: kind === 'mlp' ? dropout : 0,
      l2,
    });
  } else {
    const { net, init } = await initialNetwork(spec);
    try {
      // Too few rows to hold any out (a class with one row): a middle penalty, as cross-validation chose on hymenoptera at 224 px.
      const fallbackL2 = options.crossValidation?.folds === undefined && !canCrossValidate(train.labels, train.classes.length) ? 0.1 : undefined;
      if (options.l2 === undefined && fallbackL2 === undefined) {
        // The MLP's penalty is cross-validated on softmax regression over the same rows: one MLP fit costs
        // as much as the linear model's whole cross-validation, and on hymenoptera both chose the same penalty.
        const linear = { dim: spec.dim, classes: spec.classes, hidden: 0 };
        const [shape, start] = kind === 'softmax' ? [denseShape(spec), init] : [linear, new Float64Array(parameterCount(linear))];
        l2Search = await crossValidateL2(shape, weightRows(rows, common.classWeights), start, { ...options.crossValidation, seed: spec.seed, signal: options.signal });
      }
      if (options.l2 === undefined && fallbackL2 === undefined && !l2Search) {
        // Aborted while cross-validating: no epoch ran, the head keeps its initial weights.
        fit = { net, history: [], bestEpoch: 0, stopReason: 'aborted' };
        l2 = NaN;
      } else {
        l2 = options.l2 ?? fallbackL2 ?? l2Search!.l2;
        fit = await fitLbfgs(net, init, rows, valRows, { ...common, spec, l2 });
      }
    } catch (error) {
      tf.dispose(net.variables);
      throw error;
    }
  }
  const head = createDenseHead({
    net: fit.net,
    classes: train.classes,
    standardizer,
    history: fit.history,
    bestEpoch: fit.bestEpoch,
    stopReason: fit.stopReason,
    trainMs: performance.now() - started,
    solver,
    l2,
    l2Search,
  });
  return finish(makeAttachable<DenseHead>(head, featureOrigin(train)));
}
