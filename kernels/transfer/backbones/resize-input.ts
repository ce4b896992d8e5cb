/**
 * Rebuilding a layers model for another square input size. Convolutional
 * backbones that end in global pooling (MobileNet, Darknet, ResNet) work at
 * any resolution with the same weights; running them above their training
 * size often gives better features for small objects (Touvron et al. 2019,
 * "Fixing the train-test resolution discrepancy").
 */
import * as tf from '@tensorflow/tfjs';

type Config = { [key: string]: unknown };

/** Replaces the `[null, h, w, c]` input shape of every InputLayer in a model config, in place. */
function setInputShape(config: Config, size: number): number {
  let changed = 0;
  const layers = ((config.config as Config | undefined)?.layers ?? config.layers) as Config[] | undefined;
  for (const layer of layers ?? []) {
    if (layer.class_name !== 'InputLayer' && layer.className !== 'InputLayer') continue;
    const inner = layer.config as Config;
    for (const key of ['batch_input_shape', 'batchInputShape']) {
      const shape = inner[key] as (number | null)[] | undefined;
      if (shape?.length === 4) {
        inner[key] = [shape[0], size, size, shape[3]];
        changed++;
      }
    }
  }
  return changed;
}

/**
 * A new layers model with the same layers and weights as `model` but a
 * `[null, size, size, 3]` input. Throws when the model has a layer tied to
 * the spatial size (a Flatten or Reshape before global pooling). The caller
 * owns and disposes both models.
 */
export function resizeModelInput(model: tf.LayersModel, size: number): tf.LayersModel {
  if (!Number.isInteger(size) || size < 32) throw new RangeError(`inputSize must be a whole number of pixels ≥ 32; got ${size}.`);
  const config = JSON.parse(JSON.stringify(model.getConfig())) as Config;
  if (setInputShape(config, size) === 0) throw new Error('Cannot change the input size: the model has no [n, h, w, c] InputLayer.');
  let resized: tf.LayersModel;
  try {
    resized = tf.LayersModel.fromConfig(tf.LayersModel, config as tf.serialization.ConfigDict) as tf.LayersModel;
  } catch (error) {
    throw new Error(`This model cannot run at ${size}×${size} (${(error as Error).message}); keep its own input size.`, { cause: error });
  }
  resized.setWeights(model.getWeights());
  return resized;
}
