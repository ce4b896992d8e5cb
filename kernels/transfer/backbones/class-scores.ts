import * as tf from '@tensorflow/tfjs';
import type { OutputSpec } from './catalog.ts';
import { DARKNET_TO_IMAGENET } from './darknet-class-map.ts';
import type { Prediction } from './backbone.ts';

/**
 * Turns a network's raw `[n, k]` output into class probabilities in the
 * label order: drops a background column, applies softmax to logits, and
 * permutes Darknet's output order into ImageNet's. Caller disposes.
 */
export function toProbabilities(raw: tf.Tensor, spec: OutputSpec): tf.Tensor2D {
  return tf.tidy(() => {
    let x = raw.reshape([raw.shape[0], -1]) as tf.Tensor2D;
    if (spec.offset) x = x.slice([0, spec.offset], [-1, x.shape[1] - spec.offset]);
    if (spec.kind === 'logits') x = tf.softmax(x);
    if (spec.remap === 'darknet') {
      // inverse[imagenetIndex] = darknet output unit holding that class
      const inverse = new Int32Array(DARKNET_TO_IMAGENET.length);
      DARKNET_TO_IMAGENET.forEach((imagenet, unit) => (inverse[imagenet] = unit));
      x = tf.gather(x, tf.tensor1d(inverse, 'int32'), 1);
    }
    return x;
  });
}

/** Guesses the output spec of an uncatalogued model: softmax output or logits, 1001 = background + ImageNet. */
export function guessOutputSpec(model: tf.LayersModel | undefined, numOutputs: number): OutputSpec {
  const last = model?.layers[model.layers.length - 1];
  const lastConfig = last?.getConfig() as { activation?: string } | undefined;
  const softmaxed = model?.layers.some((l) => (l.getConfig() as { activation?: string }).activation === 'softmax') ?? false;
  return {
    kind: softmaxed || lastConfig?.activation === 'softmax' ? 'probabilities' : 'logits',
    offset: numOutputs === 1001 ? 1 : 0,
  };
}

/** The `topK` highest rows of each probability row, as plain objects. */
export async function topClasses(probabilities: tf.Tensor2D, labels: readonly string[], topK: number): Promise<Prediction[][]> {
  const k = Math.min(topK, probabilities.shape[1]);
  const { values, indices } = tf.topk(probabilities, k);
  const [v, i] = await Promise.all([values.data(), indices.data()]);
  values.dispose();
  indices.dispose();
  const rows: Prediction[][] = [];
  for (let r = 0; r < probabilities.shape[0]; r++) {
    const row: Prediction[] = [];
    for (let j = 0; j < k; j++) {
      const index = i[r * k + j];
      row.push({ index, label: labels[index] ?? `class ${index}`, probability: v[r * k + j] });
    }
    rows.push(row);
  }
  return rows;
}
