/**
 * Splits a composed model into its frozen front (run once per batch, no
 * gradients — so on any backend) and its trainable tail (a chain of layers
 * applied by hand, the only part that needs gradients).
 */
import * as tf from '@tensorflow/tfjs';

/** The two halves of a model around its first trainable layer. */
export interface SplitModel {
  /** Input → activations entering the tail. Shares layers with the model. */
  front: tf.LayersModel;
  /** Layers from the first trainable one to the output, in order. */
  tail: tf.layers.Layer[];
  /** Applies the tail in inference mode (BatchNorm on moving statistics, dropout off). */
  runTail(x: tf.Tensor): tf.Tensor2D;
}

/** Splits `model` before its first layer with trainable weights; the tail must be a simple chain. */
export function splitAtFirstTrainable(model: tf.LayersModel): SplitModel {
  const layers = model.layers;
  const first = layers.findIndex((l) => l.trainable && l.trainableWeights.length > 0);
  if (first < 1) throw new Error('Nothing to fine-tune: no layer after the input has trainable weights.');
  const tail = layers.slice(first);
  tail.forEach((layer, i) => {
    const from = layer.inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name));
    const expected = layers[first + i - 1].name;
    if (from.length !== 1 || from[0] !== expected) {
      throw new Error(`Fine-tuning needs the trained layers to form a chain; '${layer.name}' takes [${from.join(', ')}], not just '${expected}'. Unfreeze fewer layers.`);
    }
  });
  const front = tf.model({ inputs: model.inputs, outputs: layers[first - 1].output as tf.SymbolicTensor });
  return {
    front,
    tail,
    runTail: (x) => tail.reduce((h, l) => l.apply(h, { training: false }) as tf.Tensor, x) as tf.Tensor2D,
  };
}
