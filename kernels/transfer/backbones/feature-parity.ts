import * as tf from '@tensorflow/tfjs';

/**
 * Max abs difference between another runtime's features and `reference`'s
 * (a TF.js feature path, `[n, featureDim]`) on one batch: `given`, or a fixed
 * pseudo-random batch of 2 images of `size`² in `range`. Infinity when the
 * lengths differ. Leaves no tensors behind. The ONNX Runtime and SIMD paths
 * are both held to it before they serve features.
 */
export async function featureParity(
  reference: (batch: tf.Tensor4D) => tf.Tensor,
  features: (batch: tf.Tensor4D) => Float32Array | Promise<Float32Array>,
  size: number,
  [lo, hi]: readonly [number, number],
  given?: tf.Tensor4D,
): Promise<number> {
  const batch = given ?? tf.tidy(() => tf.randomUniform([2, size, size, 3], lo, hi, 'float32', 7) as tf.Tensor4D);
  try {
    const expectedT = reference(batch);
    const expected = (await expectedT.data()) as Float32Array;
    expectedT.dispose();
    const got = await features(batch);
    if (got.length !== expected.length) return Infinity;
    let max = 0;
    for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - got[i]));
    return max;
  } finally {
    if (!given) batch.dispose();
  }
}
