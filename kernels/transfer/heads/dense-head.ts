/**
 * Softmax regression and a one-hidden-layer MLP over standardised features:
 * the weights as tf variables, the forward pass, and the same network as
 * plain dense layers (standardisation folded in) for export and fine-tuning.
 */
import * as tf from '@tensorflow/tfjs';
import type { L2Search } from './cross-validate.ts';
import type { DenseHead, DenseSolver, EpochLog, FeatureHead, FeatureInput, HeadPrediction, StopReason } from './head-types.ts';
import { toFeatureTensor, toPredictions } from './feature-input.ts';
import type { Standardizer } from './standardize.ts';

/** The shape of a dense head's network. */
export interface DenseSpec {
  kind: 'softmax' | 'mlp';
  dim: number;
  classes: number;
  /** Hidden units (mlp only). */
  hiddenUnits: number;
  seed: number;
}

/** A dense network's variables, ordered kernel, bias per layer. */
export interface DenseNetwork {
  spec: DenseSpec;
  variables: tf.Variable[];
}

/** Creates the variables with Glorot-uniform kernels and zero biases, seeded. */
export function createDenseNetwork(spec: DenseSpec): DenseNetwork {
  const sizes = spec.kind === 'mlp' ? [spec.dim, spec.hiddenUnits, spec.classes] : [spec.dim, spec.classes];
  const variables: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const init = tf.initializers.glorotUniform({ seed: spec.seed + i });
    variables.push(tf.tidy(() => tf.variable(init.apply([sizes[i], sizes[i + 1]]) as tf.Tensor2D, true)));
    variables.push(tf.tidy(() => tf.variable(tf.zeros([sizes[i + 1]]), true)));
  }
  return { spec, variables };
}

/** Logits for standardised rows; `dropout` applies only when a seed is given. */
export function denseLogits(net: DenseNetwork, x: tf.Tensor2D, dropout?: { rate: number; seed: number }): tf.Tensor2D {
  const v = net.variables;
  if (net.spec.kind === 'softmax') return tf.add(tf.matMul(x, v[0]), v[1]);
  let h = tf.relu(tf.add(tf.matMul(x, v[0]), v[1])) as tf.Tensor2D;
  if (dropout && dropout.rate > 0) h = tf.dropout(h, dropout.rate, undefined, dropout.seed) as tf.Tensor2D;
  return tf.add(tf.matMul(h, v[2]), v[3]);
}

/** Folds x → (x - mean) / std into the first kernel: returns [W', b'] as new tensors. */
function foldStandardizer(s: Standardizer, kernel: tf.Tensor2D, bias: tf.Tensor1D): [tf.Tensor2D, tf.Tensor1D] {
  return tf.tidy(() => {
    const inv = tf.tensor1d(s.std).reciprocal();
    const w = kernel.mul(inv.expandDims(1)) as tf.Tensor2D;
    const shift = tf.tensor1d(s.mean).mul(inv).expandDims(0).matMul(kernel).squeeze([0]);
    return [w, bias.sub(shift) as tf.Tensor1D];
  });
}

/** What `createDenseHead` wraps. */
export interface DenseHeadState {
  net: DenseNetwork;
  classes: string[];
  standardizer: Standardizer;
  history: EpochLog[];
  bestEpoch: number;
  stopReason: StopReason;
  trainMs: number;
  solver: DenseSolver;
  l2: number;
  l2Search?: L2Search;
}

/** Wraps trained variables as a `DenseHead`. */
export function createDenseHead(state: DenseHeadState): FeatureHead<DenseHead> {
  const { net, classes, standardizer } = state;
  const { dim } = net.spec;
  let disposed = false;
  const mean = tf.keep(tf.tensor1d(standardizer.mean));
  const std = tf.keep(tf.tensor1d(standardizer.std));
  const assertLive = () => {
    if (disposed) throw new Error('This head was disposed; train a new one with trainHead().');
  };
  const predictProbabilities = (features: tf.Tensor2D): tf.Tensor2D => {
    assertLive();
    return tf.tidy(() => tf.softmax(denseLogits(net, features.sub(mean).div(std) as tf.Tensor2D)));
  };
  return {
    kind: net.spec.kind,
    classes,
    dim,
    standardizer,
    history: state.history,
    bestEpoch: state.bestEpoch,
    stopReason: state.stopReason,
    trainMs: state.trainMs,
    solver: state.solver,
    l2: state.l2,
    ...(state.l2Search ? { l2Search: state.l2Search } : {}),
    predictProbabilities,
    async predict(input: FeatureInput): Promise<HeadPrediction[]> {
      assertLive();
      const x = toFeatureTensor(input, dim);
      const probs = predictProbabilities(x);
      x.dispose();
      const data = (await probs.data()) as Float32Array;
      probs.dispose();
      return toPredictions(data, classes);
    },
    applyLayers(input: tf.SymbolicTensor, namePrefix = 'head'): tf.SymbolicTensor {
      assertLive();
      const v = net.variables;
      const [w0, b0] = foldStandardizer(standardizer, v[0] as tf.Tensor2D, v[1] as tf.Tensor1D);
      const hidden = net.spec.kind === 'mlp';
      const first = tf.layers.dense({
        units: hidden ? net.spec.hiddenUnits : classes.length,
        activation: hidden ? 'relu' : 'softmax',
        name: `${namePrefix}_dense_1`,
        weights: [w0, b0],
      });
      let out = first.apply(input) as tf.SymbolicTensor;
      // The layer copied the values into its own variables when it was built.
      tf.dispose([w0, b0]);
      if (hidden) {
        const weights = [v[2].clone(), v[3].clone()];
        const second = tf.layers.dense({ units: classes.length, activation: 'softmax', name: `${namePrefix}_dense_2`, weights });
        out = second.apply(out) as tf.SymbolicTensor;
        // The layer copied the values into its own variables when it was built.
        tf.dispose(weights);
      }
      return out;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([mean, std, ...net.variables]);
    },
  };
}
