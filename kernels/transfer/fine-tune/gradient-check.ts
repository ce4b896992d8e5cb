/**
 * Checks, before fine-tuning, that a backend can differentiate every op of
 * one training step: the wasm backend of tf.js 4.22, for one, has no
 * `Conv2DBackpropFilter` / depthwise filter-gradient kernels.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Runs one backward pass of `loss` on the active backend and returns what
 * failed: the missing kernel or gradient, or variables whose gradient is
 * absent or not finite. Empty means every gradient is there.
 */
export function checkGradients(loss: () => tf.Scalar, variables: tf.Variable[]): string[] {
  try {
    return tf.tidy(() => {
      const { grads } = tf.variableGrads(loss, variables);
      return variables.filter((v) => !grads[v.name] || !tf.all(tf.isFinite(grads[v.name])).dataSync()[0]).map((v) => `a finite gradient for ${v.name}`);
    });
  } catch (error) {
    const message = (error as Error).message;
    const kernel = /Kernel '([^']+)' not registered/.exec(message)?.[1];
    if (kernel) return [`the kernel ${kernel}`];
    if (/gradient/i.test(message)) return [message];
    throw error;
  }
}

/** Runs `fn` with backend `name` active, then switches back. Tensors move between backends on use. */
export async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  if (previous === name) return fn();
  await tf.setBackend(name);
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}
