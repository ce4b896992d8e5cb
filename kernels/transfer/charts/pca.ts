/**
 * Principal component analysis to a few dimensions by power iteration on
 * the covariance matrix: deterministic (fixed start, sign fixed so each
 * component's largest entry is positive), no dependencies.
 */

/** Projected rows (`n × k`, row-major), the components and their explained variance ratio. */
export interface PcaResult {
  points: Float64Array;
  components: Float64Array[];
  explained: number[];
}

/** Projects `n = x.length / dim` rows onto their top `k` principal components. */
export function pca(x: Float32Array, dim: number, k = 2, iterations = 200): PcaResult {
  const n = x.length / dim;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`PCA needs at least 2 rows of ${dim} values; got ${x.length} values.`);
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let c = 0; c < dim; c++) mean[c] += x[r * dim + c] / n;
  const centred = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) centred[i] = x[i] - mean[i % dim];
  // Work in the smaller of the row or column space.
  const gram = n < dim;
  const size = gram ? n : dim;
  const m = new Float64Array(size * size);
  if (gram) {
    for (let a = 0; a < n; a++) for (let b = a; b < n; b++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += centred[a * dim + c] * centred[b * dim + c];
      m[a * n + b] = m[b * n + a] = s / (n - 1);
    }
  } else {
    for (let r = 0; r < n; r++) for (let a = 0; a < dim; a++) {
      const va = centred[r * dim + a];
      if (va === 0) continue;
      for (let b = a; b < dim; b++) m[a * dim + b] += (va * centred[r * dim + b]) / (n - 1);
    }
    for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) m[a * dim + b] = m[b * dim + a];
  }
  let total = 0;
  for (let i = 0; i < size; i++) total += m[i * size + i];
  const vectors: Float64Array[] = [];
  const explained: number[] = [];
  for (let comp = 0; comp < Math.min(k, size); comp++) {
    let v = new Float64Array(size).map((_, i) => 1 + ((i * 7919) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const next = new Float64Array(size);
      for (let a = 0; a < size; a++) {
        let s = 0;
        for (let b = 0; b < size; b++) s += m[a * size + b] * v[b];
        next[a] = s;
      }
      for (const u of vectors) {
        const d = next.reduce((s, val, i) => s + val * u[i], 0);
        for (let i = 0; i < size; i++) next[i] -= d * u[i];
      }
      lambda = Math.hypot(...next);
      if (lambda === 0) break;
      v = next.map((val) => val / lambda);
    }
    vectors.push(v);
    explained.push(total === 0 ? 0 : lambda / total);
  }
  // Components in feature space (unit length), sign-normalised.
  const components = vectors.map((v) => {
    let w: Float64Array;
    if (gram) {
      w = new Float64Array(dim);
      for (let r = 0; r < n; r++) for (let c = 0; c < dim; c++) w[c] += v[r] * centred[r * dim + c];
      const norm = Math.hypot(...w) || 1;
      w = w.map((val) => val / norm);
    } else {
      w = v;
    }
    let big = 0;
    for (let i = 1; i < w.length; i++) if (Math.abs(w[i]) > Math.abs(w[big])) big = i;
    return w[big] < 0 ? w.map((val) => -val) : w;
  });
  const points = new Float64Array(n * components.length);
  for (let r = 0; r < n; r++) components.forEach((w, j) => {
    let s = 0;
    for (let c = 0; c < dim; c++) s += centred[r * dim + c] * w[c];
    points[r * components.length + j] = s;
  });
  return { points, components, explained };
}
