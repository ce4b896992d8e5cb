/**
 * The dense heads' forward pass, loss and gradient in plain array math, for
 * the full-batch L-BFGS solver: weighted mean cross-entropy plus
 * l2 × (sum of squared kernel weights), biases unpenalised. Parameters are one
 * flat array in the order of `DenseNetwork.variables` (kernel, bias per
 * layer, kernels row-major `[inputs, outputs]`).
 */
import type { Objective } from './lbfgs.ts';

/** The sizes of a dense network: `hidden` 0 for softmax regression. */
export interface DenseShape {
  dim: number;
  classes: number;
  hidden: number;
}

/** Standardised rows with labels and per-row loss weights. */
export interface WeightedRows {
  /** `n × dim`, row-major. */
  x: Float32Array;
  labels: Int32Array;
  /** One weight per row (a class weight); the loss is Σ wᵢ·ceᵢ / #(wᵢ > 0). */
  weights: Float64Array;
}

/** Number of parameters of a network of `shape`. */
export function parameterCount(shape: DenseShape): number {
  const { dim, classes, hidden } = shape;
  return hidden === 0 ? dim * classes + classes : dim * hidden + hidden + hidden * classes + classes;
}

/** Which flat parameter indices are kernel weights (penalised by l2): [start, end) ranges. */
function kernelRanges(shape: DenseShape): [number, number][] {
  const { dim, classes, hidden } = shape;
  if (hidden === 0) return [[0, dim * classes]];
  const second = dim * hidden + hidden;
  return [[0, dim * hidden], [second, second + hidden * classes]];
}

/** The kernel at `offset` in `p` (`[inputs, outputs]`, row-major) transposed into `out` (`[outputs, inputs]`), so dot products run along contiguous memory. */
function transposeKernel(p: Float64Array, offset: number, inputs: number, outputs: number, out: Float64Array): Float64Array {
  for (let c = 0; c < inputs; c++) {
    const w = offset + c * outputs;
    for (let j = 0; j < outputs; j++) out[j * inputs + c] = p[w + j];
  }
  return out;
}

/** out[r, :] = bias + in[r, :] · kernel for `n` rows (kernel at `offset` in `p`, bias right after it; `wt` is scratch of inputs × outputs). */
function affine(input: ArrayLike<number>, n: number, inputs: number, p: Float64Array, offset: number, outputs: number, out: Float64Array, wt: Float64Array): void {
  transposeKernel(p, offset, inputs, outputs, wt);
  const biasAt = offset + inputs * outputs;
  for (let r = 0; r < n; r++) {
    const row = r * inputs;
    for (let j = 0; j < outputs; j++) {
      const w = j * inputs;
      // Four running sums let the engine overlap the multiply-adds.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let c = 0;
      for (; c + 3 < inputs; c += 4) {
        s0 += input[row + c] * wt[w + c];
        s1 += input[row + c + 1] * wt[w + c + 1];
        s2 += input[row + c + 2] * wt[w + c + 2];
        s3 += input[row + c + 3] * wt[w + c + 3];
      }
      for (; c < inputs; c++) s0 += input[row + c] * wt[w + c];
      out[r * outputs + j] = p[biasAt + j] + s0 + s1 + s2 + s3;
    }
  }
}

/**
 * Adds the gradient of a layer with inputs `input` (`n × inputs`) and output
 * gradient `dz` (`n × outputs`) into `grad` at `offset` (kernel, then bias);
 * `gt` is scratch of inputs × outputs for the transposed kernel gradient.
 */
function accumulateLayerGradient(input: ArrayLike<number>, dz: Float64Array, n: number, inputs: number, outputs: number, grad: Float64Array, offset: number, gt: Float64Array): void {
  gt.fill(0);
  const biasAt = offset + inputs * outputs;
  for (let r = 0; r < n; r++) {
    const row = r * inputs;
    for (let j = 0; j < outputs; j++) {
      const d = dz[r * outputs + j];
      if (d === 0) continue;
      grad[biasAt + j] += d;
      const g = j * inputs;
      for (let c = 0; c < inputs; c++) gt[g + c] += d * input[row + c];
    }
  }
  for (let c = 0; c < inputs; c++) {
    const g = offset + c * outputs;
    for (let j = 0; j < outputs; j++) grad[g + j] += gt[j * inputs + c];
  }
}

/** Replaces each row of logits by its softmax probabilities in place. */
function softmaxRows(z: Float64Array, n: number, classes: number): void {
  for (let r = 0; r < n; r++) {
    const o = r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, z[o + j]);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += z[o + j] = Math.exp(z[o + j] - max);
    for (let j = 0; j < classes; j++) z[o + j] /= sum;
  }
}

/** Class probabilities `n × classes` of the network `p` on `n` rows of `x` (inference: no dropout). */
export function denseProbabilities(shape: DenseShape, p: Float64Array, x: Float32Array, n: number): Float64Array {
  const { dim, classes, hidden } = shape;
  const out = new Float64Array(n * classes);
  const wt = new Float64Array(dim * Math.max(classes, hidden));
  if (hidden === 0) {
    affine(x, n, dim, p, 0, classes, out, wt);
  } else {
    const h = new Float64Array(n * hidden);
    affine(x, n, dim, p, 0, hidden, h, wt);
    for (let i = 0; i < h.length; i++) if (h[i] < 0) h[i] = 0;
    affine(h, n, hidden, p, dim * hidden + hidden, classes, out, wt);
  }
  softmaxRows(out, n, classes);
  return out;
}

/** Mean (unweighted) cross-entropy and accuracy of probabilities against labels. */
export function scoreProbabilities(probs: Float64Array, labels: Int32Array, classes: number): { loss: number; accuracy: number } {
  let loss = 0;
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    const o = r * classes;
    loss -= Math.log(Math.max(probs[o + labels[r]], 1e-300));
    let best = 0;
    for (let j = 1; j < classes; j++) if (probs[o + j] > probs[o + best]) best = j;
    if (best === labels[r]) right++;
  }
  return { loss: loss / labels.length, accuracy: right / labels.length };
}

/** The regularised training loss of a dense network on `rows` as an L-BFGS objective. */
export function denseObjective(shape: DenseShape, rows: WeightedRows, l2: number): Objective {
  const { dim, classes, hidden } = shape;
  const n = rows.labels.length;
  let counted = 0;
  for (const w of rows.weights) if (w > 0) counted++;
  const scale = 1 / Math.max(counted, 1);
  const ranges = kernelRanges(shape);
  const z = new Float64Array(n * classes);
  const h = new Float64Array(n * hidden);
  const dh = new Float64Array(n * hidden);
  const scratch = new Float64Array(dim * Math.max(classes, hidden));
  const secondAt = dim * hidden + hidden;
  return (p, grad) => {
    grad.fill(0);
    if (hidden === 0) {
      affine(rows.x, n, dim, p, 0, classes, z, scratch);
    } else {
      affine(rows.x, n, dim, p, 0, hidden, h, scratch);
      for (let i = 0; i < h.length; i++) if (h[i] < 0) h[i] = 0;
      affine(h, n, hidden, p, secondAt, classes, z, scratch);
    }
    softmaxRows(z, n, classes);
    // z becomes dLoss/dLogits = w·(p - onehot)·scale, row by row.
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const o = r * classes;
      const w = rows.weights[r] * scale;
      loss -= w * Math.log(Math.max(z[o + rows.labels[r]], 1e-300));
      z[o + rows.labels[r]] -= 1;
      for (let j = 0; j < classes; j++) z[o + j] *= w;
    }
    if (hidden === 0) {
      accumulateLayerGradient(rows.x, z, n, dim, classes, grad, 0, scratch);
    } else {
      // Backpropagate: the output layer from the hidden activations, then through the ReLU into the first layer.
      accumulateLayerGradient(h, z, n, hidden, classes, grad, secondAt, scratch);
      for (let r = 0; r < n; r++) {
        const o = r * classes;
        for (let c = 0; c < hidden; c++) {
          const i = r * hidden + c;
          let s = 0;
          if (h[i] > 0) {
            const w = secondAt + c * classes;
            for (let j = 0; j < classes; j++) s += p[w + j] * z[o + j];
          }
          dh[i] = s;
        }
      }
      accumulateLayerGradient(rows.x, dh, n, dim, hidden, grad, 0, scratch);
    }
    for (const [start, end] of ranges) {
      for (let i = start; i < end; i++) {
        loss += l2 * p[i] * p[i];
        grad[i] += 2 * l2 * p[i];
      }
    }
    return loss;
  };
}
