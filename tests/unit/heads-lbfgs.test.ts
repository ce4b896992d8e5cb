/**
 * The pieces under the heads' default solver: L-BFGS against problems with
 * known optima, the dense loss's gradient against finite differences, and
 * the L2 cross-validation's folds and determinism.
 */
import { describe, expect, it } from 'vitest';
import { createLbfgs, type Objective } from '../../kernels/transfer/heads/lbfgs.ts';
import { denseObjective, denseProbabilities, parameterCount, type DenseShape, type WeightedRows } from '../../kernels/transfer/heads/dense-loss.ts';
import { crossValidateL2, stratifiedFolds } from '../../kernels/transfer/heads/cross-validate.ts';
import { seededRandom } from '../../kernels/transfer/random.ts';

/** Solves A x = b by Gaussian elimination with partial pivoting (the reference optimum). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/** Random rows of `dim` Gaussian-ish features in two shifted clusters, with labels. */
function toyRows(n: number, dim: number, classes: number, seed: number): WeightedRows {
  const random = seededRandom(seed);
  const x = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    labels[r] = r % classes;
    for (let c = 0; c < dim; c++) x[r * dim + c] = random() + random() - 1 + (c % classes === labels[r] ? 0.8 : 0);
  }
  return { x, labels, weights: Float64Array.from(labels, (l) => (l === 0 ? 2 : 1)) };
}

describe('createLbfgs', () => {
  it('finds the minimum of a convex quadratic (A x = b)', () => {
    const random = seededRandom(3);
    const n = 12;
    // A = Mᵀ M + I is symmetric positive definite.
    const mRows = Array.from({ length: n }, () => Array.from({ length: n }, () => random() - 0.5));
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => mRows.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? 1 : 0)));
    const b = Array.from({ length: n }, () => random() * 4 - 2);
    const quadratic: Objective = (x, grad) => {
      let value = 0;
      for (let i = 0; i < n; i++) {
        let ax = 0;
        for (let j = 0; j < n; j++) ax += a[i][j] * x[j];
        grad[i] = ax - b[i];
        value += 0.5 * x[i] * ax - b[i] * x[i];
      }
      return value;
    };
    const solver = createLbfgs(quadratic, new Float64Array(n), { gradientTolerance: 1e-10, valueTolerance: 0 });
    solver.run(200);
    expect(solver.converged).toBe(true);
    const expected = solve(a, b);
    for (let i = 0; i < n; i++) expect(solver.x[i]).toBeCloseTo(expected[i], 7);
    // A converged solver does nothing more.
    expect(solver.run(5)).toBe(0);
  });

  it('minimises the Rosenbrock function (non-convex) from the classic start', () => {
    const rosenbrock: Objective = ([x, y], grad) => {
      grad[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      grad[1] = 200 * (y - x * x);
      return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    };
    const solver = createLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { gradientTolerance: 1e-9, valueTolerance: 0 });
    solver.run(500);
    expect(solver.x[0]).toBeCloseTo(1, 5);
    expect(solver.x[1]).toBeCloseTo(1, 5);
    expect(solver.value).toBeLessThan(1e-10);
  });

  it('runs the same iterates when stepped in pieces', () => {
    const rows = toyRows(40, 6, 3, 5);
    const shape = { dim: 6, classes: 3, hidden: 0 };
    const objective = denseObjective(shape, rows, 0.01);
    const once = createLbfgs(objective, new Float64Array(parameterCount(shape)));
    once.run(12);
    const stepped = createLbfgs(objective, new Float64Array(parameterCount(shape)));
    for (let i = 0; i < 12; i++) stepped.run(1);
    expect(stepped.iterations).toBe(once.iterations);
    expect(Array.from(stepped.x)).toEqual(Array.from(once.x));
  });
});

describe('denseObjective', () => {
  const check = (shape: DenseShape) => {
    const rows = toyRows(30, shape.dim, shape.classes, 9);
    const objective = denseObjective(shape, rows, 0.05);
    const random = seededRandom(11);
    const p = Float64Array.from({ length: parameterCount(shape) }, () => random() - 0.5);
    const grad = new Float64Array(p.length);
    objective(p, grad);
    const scratch = new Float64Array(p.length);
    const h = 1e-6;
    for (let i = 0; i < p.length; i++) {
      const keep = p[i];
      p[i] = keep + h;
      const up = objective(p, scratch);
      p[i] = keep - h;
      const down = objective(p, scratch);
      p[i] = keep;
      expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 6);
    }
  };

  it('gives the gradient of weighted cross-entropy + L2 for softmax regression', () => check({ dim: 7, classes: 3, hidden: 0 }));
  it('gives the gradient of weighted cross-entropy + L2 for the MLP', () => check({ dim: 5, classes: 2, hidden: 4 }));

  it('L-BFGS reaches the optimum that long plain gradient descent reaches', () => {
    const rows = toyRows(40, 3, 2, 2);
    const shape = { dim: 3, classes: 2, hidden: 0 };
    const objective = denseObjective(shape, rows, 0.05);
    const solver = createLbfgs(objective, new Float64Array(parameterCount(shape)), { gradientTolerance: 1e-9, valueTolerance: 0 });
    solver.run(300);
    expect(solver.converged).toBe(true);
    expect(solver.gradientNorm).toBeLessThan(1e-9);
    // The reference: fixed small steps downhill until nothing moves.
    const p = new Float64Array(parameterCount(shape));
    const grad = new Float64Array(p.length);
    for (let i = 0; i < 20000; i++) {
      objective(p, grad);
      for (let j = 0; j < p.length; j++) p[j] -= 0.5 * grad[j];
    }
    const ours = denseProbabilities(shape, solver.x, rows.x, 40);
    const reference = denseProbabilities(shape, p, rows.x, 40);
    for (let i = 0; i < ours.length; i++) expect(ours[i]).toBeCloseTo(reference[i], 5);
    expect(solver.value).toBeCloseTo(objective(p, grad), 8);
    const right = [...rows.labels].filter((l, r) => ours[r * 2 + l] > 0.5).length;
    expect(right / 40).toBeGreaterThan(0.75);
  });
});

describe('L2 cross-validation', () => {
  it('draws stratified folds that depend only on labels, k and seed', () => {
    const labels = Int32Array.from({ length: 53 }, (_, i) => (i < 20 ? 0 : i < 45 ? 1 : 2));
    const a = stratifiedFolds(labels, 5, 1);
    expect(Array.from(stratifiedFolds(labels, 5, 1))).toEqual(Array.from(a));
    expect(Array.from(stratifiedFolds(labels, 5, 2))).not.toEqual(Array.from(a));
    for (let c = 0; c < 3; c++) {
      const perFold = [0, 1, 2, 3, 4].map((f) => [...labels.keys()].filter((i) => labels[i] === c && a[i] === f).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
    // The round-robin carries across classes, so fold sizes differ by at most one.
    const sizes = [0, 1, 2, 3, 4].map((f) => a.filter((g) => g === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('scores every penalty, picks the lowest held-out loss, and repeats exactly', async () => {
    const rows = toyRows(80, 10, 2, 4);
    const shape = { dim: 10, classes: 2, hidden: 0 };
    const init = new Float64Array(parameterCount(shape));
    const grid = [0.001, 1, 0.1];
    const first = (await crossValidateL2(shape, rows, init, { grid, folds: 4, seed: 3 }))!;
    expect(first.scores.map((s) => s.l2)).toEqual(grid);
    expect(first.folds).toBe(4);
    const lowest = first.scores.reduce((m, s) => (s.loss < m.loss ? s : m));
    expect(first.l2).toBe(lowest.l2);
    for (const s of first.scores) {
      expect(s.accuracy).toBeGreaterThan(0.5);
      expect(s.loss).toBeGreaterThan(0);
    }
    expect(await crossValidateL2(shape, rows, init, { grid, folds: 4, seed: 3 })).toEqual(first);
  });

  it('explains too few rows per class and bad options, and stops on abort', async () => {
    const rows = toyRows(12, 3, 2, 1);
    const shape = { dim: 3, classes: 2, hidden: 0 };
    const init = new Float64Array(parameterCount(shape));
    await expect(crossValidateL2(shape, rows, init, { folds: 10, seed: 1 })).rejects.toThrow(/needs at least 10 training rows per class; the smallest class has 6/);
    await expect(crossValidateL2(shape, rows, init, { folds: 1, seed: 1 })).rejects.toThrow(/folds must be an integer ≥ 2; got 1/);
    await expect(crossValidateL2(shape, rows, init, { grid: [0.1, 0.1], seed: 1 })).rejects.toThrow(/distinct penalties ≥ 0/);
    const controller = new AbortController();
    controller.abort();
    expect(await crossValidateL2(shape, rows, init, { folds: 3, seed: 1, signal: controller.signal })).toBeUndefined();
  });
});
