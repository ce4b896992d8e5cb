/**
 * Feature standardisation (zero mean, unit variance per column), fitted on
 * the training rows only and stored with the head, so validation and test
 * rows are scaled exactly as training rows were.
 */

/** Per-column mean and standard deviation of the training features. */
export interface Standardizer {
  mean: Float32Array;
  std: Float32Array;
}

/** Columns whose spread is below this are left unscaled (divided by 1), not blown up. */
const minStd = 1e-6;

/** Fits a standardiser on `n = x.length / dim` rows of `x`. */
export function fitStandardizer(x: Float32Array, dim: number): Standardizer {
  const n = x.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < dim; c++) mean[c] += x[r * dim + c];
  }
  for (let c = 0; c < dim; c++) mean[c] /= n;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < dim; c++) {
      const d = x[r * dim + c] - mean[c];
      sq[c] += d * d;
    }
  }
  const std = new Float32Array(dim);
  for (let c = 0; c < dim; c++) {
    const s = Math.sqrt(sq[c] / n);
    std[c] = s < minStd ? 1 : s;
  }
  return { mean: Float32Array.from(mean), std };
}

/** Returns standardised copies of the rows of `x`. */
export function applyStandardizer(s: Standardizer, x: Float32Array): Float32Array {
  const dim = s.mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % dim;
    out[i] = (x[i] - s.mean[c]) / s.std[c];
  }
  return out;
}

/** A standardiser that leaves features as they are (`standardize: false`). */
export function identityStandardizer(dim: number): Standardizer {
  return { mean: new Float32Array(dim), std: new Float32Array(dim).fill(1) };
}
