/**
 * Checks, before fine-tuning, that the current backend can differentiate
 * every op of one training step: tf.js throws "gradient function not found"
 * for ops without one, and a backend kernel may be missing.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Runs one forward/backward pass on `sample` and returns what failed:
 * the error text of a missing gradient, or the names of variables whose
 * gradient is absent or not finite. Empty means every gradient is there.
 */
export function checkGradients(model: tf.LayersModel, variables: tf.Variable[], sample: tf.Tensor4D, classes: number): string[] {
  try {
    return tf.tidy(() => {
      const y = tf.oneHot(tf.tensor1d([0], 'int32'), classes);
      const { grads } = tf.variableGrads(() => {
        const probs = model.apply(sample, { training: false }) as tf.Tensor2D;
        return tf.mean(tf.log(tf.sum(probs.mul(y), 1).maximum(1e-7))).neg() as tf.Scalar;
      }, variables);
      const bad: string[] = [];
      for (const v of variables) {
        const g = grads[v.name];
        if (!g || !tf.all(tf.isFinite(g)).dataSync()[0]) bad.push(`variable ${v.name}`);
      }
      return bad;
    });
  } catch (error) {
    const message = (error as Error).message;
    if (/gradient/i.test(message)) return [message];
    throw error;
  }
}
