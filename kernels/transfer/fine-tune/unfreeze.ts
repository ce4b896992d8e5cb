/**
 * Which backbone layers fine-tuning trains, and freezing everything else —
 * BatchNormalization layers always included, so their statistics and
 * scale/offset stay as pretrained (the classic Keras trap).
 */
import type * as tf from '@tensorflow/tfjs';

/** 'last-block', or the number of backbone layers (counted from the feature layer back) to train. */
export type UnfreezeSpec = 'last-block' | number;

const hasWeights = (l: tf.layers.Layer) => l.getClassName() !== 'BatchNormalization' && l.weights.length > 0;

/**
 * Names of the backbone layers to train. 'last-block': MobileNet's
 * `conv_dw_N…conv_pw_N_relu` for the highest N; otherwise the last two
 * weighted layers and everything after them (Darknet: the last conv block).
 */
export function selectUnfrozen(backboneLayers: tf.layers.Layer[], spec: UnfreezeSpec): string[] {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 0 || spec > backboneLayers.length) {
      throw new RangeError(`unfreeze must be 'last-block' or a whole number of layers from 0 to ${backboneLayers.length}; got ${spec}.`);
    }
    return backboneLayers.slice(backboneLayers.length - spec).map((l) => l.name);
  }
  if (spec !== 'last-block') throw new RangeError(`unfreeze must be 'last-block' or a number of layers; got ${JSON.stringify(spec)}.`);
  const block = (name: string) => Number(/^conv_(?:dw|pw)_(\d+)/.exec(name)?.[1] ?? NaN);
  const last = Math.max(...backboneLayers.map((l) => block(l.name)).filter((n) => !Number.isNaN(n)));
  if (Number.isFinite(last)) return backboneLayers.filter((l) => block(l.name) === last).map((l) => l.name);
  const weighted = backboneLayers.map((l, i) => (hasWeights(l) ? i : -1)).filter((i) => i >= 0);
  const from = weighted.length >= 2 ? weighted[weighted.length - 2] : (weighted[0] ?? backboneLayers.length);
  return backboneLayers.slice(from).map((l) => l.name);
}

/** Sets `trainable` on every layer: the unfrozen backbone layers and the head train; BatchNorm never does. */
export function applyFreezing(model: tf.LayersModel, backboneNames: Set<string>, unfrozen: Set<string>): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'BatchNormalization') layer.trainable = false;
    else if (backboneNames.has(layer.name)) layer.trainable = unfrozen.has(layer.name);
    else layer.trainable = true;
  }
}
