/**
 * Choosing the L2 penalty of a dense head by k-fold cross-validation on the
 * training rows alone: stratified folds drawn from the seed, a converged
 * L-BFGS fit per fold and penalty (warm-started from the next larger
 * penalty), and the penalty with the lowest held-out cross-entropy wins.
 * The validation set is never looked at.
 */
import { seededRandom, shuffledIndices } from '../random.ts';
import { denseObjective, denseProbabilities, type DenseShape, type WeightedRows } from './dense-loss.ts';
import { yieldToEventLoop } from './fit-dense.ts';
import { createLbfgs } from './lbfgs.ts';

/** Penalties tried by default, strongest first (l2 × sum of squared kernel weights, added to the mean cross-entropy). */
export const defaultL2Grid: readonly number[] = [1, 0.3, 0.1, 0.03, 0.01, 0.003];

/** Default number of folds (fewer when a class has fewer rows). */
export const defaultFolds = 5;

/** Whether `labels` allow the default cross-validation: at least 2 rows in every class. */
export function canCrossValidate(labels: Int32Array, classes: number): boolean {
  const counts = new Int32Array(classes);
  for (const l of labels) counts[l]++;
  return counts.every((n) => n >= 2);
}

/** Iteration cap of each cross-validation fit (they converge in a few dozen on pooled features). */
const maxIterations = 300;

/**
 * Gradient tolerance of the cross-validation fits: looser than the final
 * fit's, which halves their cost; on hymenoptera features it moved held-out
 * losses by < 0.003 and never changed the chosen penalty.
 */
const gradientTolerance = 1e-3;

/** Held-out score of one penalty. */
export interface L2Score {
  l2: number;
  /** Mean held-out cross-entropy over all training rows (class-weighted as in training). */
  loss: number;
  /** Share of training rows predicted right while held out. */
  accuracy: number;
}

/** What `crossValidateL2` found. */
export interface L2Search {
  /** The chosen penalty: the lowest held-out loss (the larger penalty on a tie). */
  l2: number;
  folds: number;
  /** One score per penalty tried, in grid order. */
  scores: L2Score[];
}

/**
 * Assigns each row to one of `k` folds, class by class, so every fold holds
 * about the same share of each class. The same labels, k and seed give the
 * same folds.
 */
export function stratifiedFolds(labels: Int32Array, k: number, seed: number): Int32Array {
  const fold = new Int32Array(labels.length);
  const random = seededRandom(seed);
  const classes = labels.reduce((m, l) => Math.max(m, l + 1), 0);
  // Continue the round-robin across classes so small classes do not all start in fold 0.
  let next = 0;
  for (let c = 0; c < classes; c++) {
    const rows: number[] = [];
    labels.forEach((l, i) => l === c && rows.push(i));
    for (const o of shuffledIndices(rows.length, random)) fold[rows[o]] = next++ % k;
  }
  return fold;
}

/** The rows whose fold is (or, with `keep` false, is not) `f`. */
function pickRows(rows: WeightedRows, dim: number, fold: Int32Array, f: number, keep: boolean): WeightedRows {
  const picked: number[] = [];
  fold.forEach((g, i) => (g === f) === keep && picked.push(i));
  const x = new Float32Array(picked.length * dim);
  picked.forEach((r, i) => x.set(rows.x.subarray(r * dim, (r + 1) * dim), i * dim));
  return { x, labels: Int32Array.from(picked, (r) => rows.labels[r]), weights: Float64Array.from(picked, (r) => rows.weights[r]) };
}

/** Checks a user's cross-validation options, naming what is wrong. */
export function assertCrossValidation(options: { grid?: readonly number[]; folds?: number }): void {
  const { grid, folds } = options;
  if (folds !== undefined && !(Number.isInteger(folds) && folds >= 2)) {
    throw new RangeError(`crossValidation.folds must be an integer ≥ 2; got ${folds}.`);
  }
  if (grid !== undefined && (!Array.isArray(grid) || grid.length === 0 || grid.some((l2) => !(l2 >= 0)) || new Set(grid).size !== grid.length)) {
    throw new RangeError(`crossValidation.grid must be a non-empty list of distinct penalties ≥ 0 (e.g. [1, 0.1, 0.01]); got ${JSON.stringify(grid)}.`);
  }
}

/**
 * Scores each penalty of `grid` by `folds`-fold cross-validation of a
 * network of `shape` on `rows` (standardised training rows), every fold
 * starting from `init` at the strongest penalty. Yields to the event loop
 * between fits; returns undefined when `signal` aborts. Folds default to 5,
 * or the smallest class's row count when that is smaller; throws when a
 * class has fewer rows than the folds asked for, or than 2.
 */
export async function crossValidateL2(
  shape: DenseShape,
  rows: WeightedRows,
  init: Float64Array,
  options: { grid?: readonly number[]; folds?: number; seed: number; signal?: AbortSignal },
): Promise<L2Search | undefined> {
  assertCrossValidation(options);
  const grid = [...(options.grid ?? defaultL2Grid)].sort((a, b) => b - a);
  const counts = new Map<number, number>();
  for (const l of rows.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const smallest = Math.min(...counts.values());
  // By default small classes get fewer folds (down to 2) rather than an error; asked-for folds are honoured or refused.
  const k = options.folds ?? Math.min(defaultFolds, smallest);
  if (smallest < k || k < 2) {
    throw new RangeError(`Cross-validating l2 over ${Math.max(k, 2)} folds needs at least ${Math.max(k, 2)} training rows per class; the smallest class has ${smallest}. Pass l2 (e.g. l2: 0.1)${smallest >= 2 ? ` or crossValidation: {folds: ${smallest}}` : ''}.`);
  }
  const fold = stratifiedFolds(rows.labels, k, options.seed);
  const loss = new Float64Array(grid.length);
  const right = new Float64Array(grid.length);
  let weightSum = 0;
  for (let f = 0; f < k; f++) {
    const fit = pickRows(rows, shape.dim, fold, f, false);
    const held = pickRows(rows, shape.dim, fold, f, true);
    let start = init;
    for (const [g, l2] of grid.entries()) {
      if (options.signal?.aborted) return undefined;
      await yieldToEventLoop();
      const solver = createLbfgs(denseObjective(shape, fit, l2), start, { gradientTolerance });
      solver.run(maxIterations);
      start = solver.x;
      const probs = denseProbabilities(shape, solver.x, held.x, held.labels.length);
      held.labels.forEach((label, r) => {
        const o = r * shape.classes;
        loss[g] -= held.weights[r] * Math.log(Math.max(probs[o + label], 1e-300));
        let best = 0;
        for (let j = 1; j < shape.classes; j++) if (probs[o + j] > probs[o + best]) best = j;
        if (best === label) right[g]++;
      });
    }
    for (const w of held.weights) weightSum += w;
  }
  const scores = grid.map((l2, g) => ({ l2, loss: loss[g] / Math.max(weightSum, 1e-300), accuracy: right[g] / rows.labels.length }));
  // Strongest penalty first, so a strict improvement is needed to pick a weaker one.
  let chosen = scores[0];
  for (const s of scores) if (s.loss < chosen.loss) chosen = s;
  const inGridOrder = (options.grid ?? defaultL2Grid).map((l2) => scores.find((s) => s.l2 === l2)!);
  return { l2: chosen.l2, folds: k, scores: inGridOrder };
}
