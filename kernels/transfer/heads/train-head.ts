/**
 * `trainHead`: validates a FeatureSet and options, fits the standardiser on
 * the training rows, and trains a softmax, MLP or kNN head.
 */
import type { FeatureSet } from '../types.ts';
import { resolveClassWeights } from './class-weights.ts';
import { createDenseHead } from './dense-head.ts';
import { featureOrigin, makeAttachable } from './attach-backbone.ts';
import { assertFeatureSet } from './feature-input.ts';
import { fitDense } from './fit-dense.ts';
import { headKinds, type DenseHead, type Head, type TrainHeadOptions } from './head-types.ts';
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
 * early stopping. Returns a head holding the best weights; dispose it when
 * done.
 */
export async function trainHead(train: FeatureSet, options: TrainHeadOptions & { kind: 'softmax' | 'mlp' }): Promise<DenseHead>;
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
  const dropout = options.dropout ?? 0.5;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1); got ${dropout}.`);
  // Strong defaults measured on pooled ImageNet features of a few hundred images (hymenoptera).
  const l2 = options.l2 ?? (kind === 'mlp' ? 0.1 : 0.3);
  if (!(l2 >= 0)) throw new RangeError(`l2 must be ≥ 0; got ${l2}.`);
  const fit = await fitDense(
    { x: applyStandardizer(standardizer, train.x), labels: train.labels },
    validation && { x: applyStandardizer(standardizer, validation.x), labels: validation.labels },
    {
      spec: {
        kind,
        dim: train.dim,
        classes: train.classes.length,
        hiddenUnits: positive('hiddenUnits', options.hiddenUnits ?? 32, true),
        seed: options.seed ?? 1,
      },
      epochs: positive('epochs', options.epochs ?? 100, true),
      learningRate: positive('learningRate', options.learningRate ?? 1e-3),
      batchSize: positive('batchSize', options.batchSize ?? 32, true),
      dropout: kind === 'mlp' ? dropout : 0,
      l2,
      classWeights: resolveClassWeights(options.classWeights, train.labels, train.classes.length),
      patience: early ? positive('earlyStopping.patience', early.patience ?? 10, true) : Infinity,
      minDelta: early?.minDelta ?? 0,
      onEpoch: options.onEpoch,
      signal: options.signal,
    },
  );
  const head = createDenseHead({
    net: fit.net,
    classes: train.classes,
    standardizer,
    history: fit.history,
    bestEpoch: fit.bestEpoch,
    stopReason: fit.stopReason,
    trainMs: performance.now() - started,
  });
  return finish(makeAttachable<DenseHead>(head, featureOrigin(train)));
}
