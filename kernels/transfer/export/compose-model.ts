/**
 * `composeModel`: a backbone cut at its feature layer plus a dense head as
 * one standard tf.LayersModel (image batch in, probabilities out), with the
 * backbone's preprocessing and the head's labels in its metadata.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import type { DenseHead, Head } from '../heads/head-types.ts';
import { createTrainedModel, type TrainedModel } from './trained-model.ts';

/**
 * An independent copy of the backbone's layers from its input up to its
 * feature layer (pooled to a vector when the layer is spatial). The copy owns
 * its weights, so training or disposing it never touches `net`.
 */
export function copyFeatureExtractor(net: Backbone): { inputs: tf.SymbolicTensor[]; features: tf.SymbolicTensor; model: tf.LayersModel } {
  const full = net.model;
  if (!full) {
    throw new Error(
      `Backbone '${net.info.id}' is a ${net.info.format} model, and graph models are inference-only: they classify and give features, ` +
        'but composing, fine-tuning and exporting need a layers-format backbone (e.g. mobilenet_v1_0.25_224).',
    );
  }
  const layer = full.getLayer(net.info.featureLayer);
  const cut = tf.model({ inputs: full.inputs, outputs: layer.output as tf.SymbolicTensor });
  // Rebuild the same graph from its config (new layers, same names), then copy every weight
  // (BatchNorm moving statistics included).
  const copy = tf.LayersModel.fromConfig(tf.LayersModel, cut.getConfig() as unknown as tf.serialization.ConfigDict) as tf.LayersModel;
  const weights = cut.getWeights();
  copy.setWeights(weights);
  let features = copy.outputs[0];
  if (features.shape.length === 4) {
    features = tf.layers.globalAveragePooling2d({ name: 'tailor_pool' }).apply(features) as tf.SymbolicTensor;
  }
  if (features.shape.length !== 2) {
    throw new Error(`Feature layer '${net.info.featureLayer}' has shape [${features.shape.join(', ')}]; a head needs a vector or a spatial map to pool.`);
  }
  return { inputs: copy.inputs, features, model: copy };
}

/** True when a head is made of dense layers (softmax or MLP). */
export function isDenseHead(head: Head): head is DenseHead {
  return typeof (head as DenseHead).applyLayers === 'function';
}

/** Checks that the head was trained on this backbone's features. */
export function assertComposable(net: Backbone, head: Head): asserts head is DenseHead {
  if (!isDenseHead(head)) {
    throw new Error(`A '${head.kind}' head has no layers form; train a 'softmax' or 'mlp' head to compose, fine-tune or export a model.`);
  }
  if (net.info.featureDim && head.dim !== net.info.featureDim) {
    throw new Error(`The head expects ${head.dim}-long features but '${net.info.id}' gives ${net.info.featureDim} at ${net.info.featureLayer}; train the head on this backbone's features.`);
  }
}

/**
 * One model from a layers backbone and a softmax/MLP head: input
 * `[n, size, size, 3]` scaled to `net.info.inputRange`, output class
 * probabilities. Standardisation is folded into the first dense layer, so the
 * model is plain tf.js layers (loads with `tf.loadLayersModel`). Labels and
 * preprocessing go into `userDefinedMetadata.tailor`; `predict(images)`
 * applies the preprocessing. Owns copies of all weights: dispose it when done.
 */
export function composeModel(net: Backbone, head: Head): TrainedModel {
  assertComposable(net, head);
  const { inputs, features } = copyFeatureExtractor(net);
  const outputs = head.applyLayers(features, 'head');
  const model = tf.model({ inputs, outputs, name: `${net.info.id.replace(/[^A-Za-z0-9_]/g, '_')}_${head.kind}` });
  return createTrainedModel(model, {
    version: 1,
    labels: [...head.classes],
    preprocessing: { inputSize: net.info.inputSize, inputRange: [...net.info.inputRange] as [number, number], crop: net.info.crop },
    backbone: net.info.id,
    featureLayer: net.info.featureLayer,
    head: head.kind,
  });
}
