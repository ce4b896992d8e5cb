/**
 * Limited-memory BFGS (L-BFGS) over a flat Float64Array of parameters: the
 * two-loop recursion for the search direction and a backtracking (Armijo)
 * line search. Plain array math, so it runs the same in Node and in the page,
 * is deterministic, and can be stepped a few iterations at a time (the heads
 * report, yield and check their abort signal between steps).
 */

/** Writes the gradient at `x` into `grad` (same length) and returns the objective's value there. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of `createLbfgs`. */
export interface LbfgsOptions {
  /** Correction pairs kept for the inverse-Hessian estimate. Default 10. */
  memory?: number;
  /** Converged when the largest gradient component is at most this. Default 1e-5. */
  gradientTolerance?: number;
  /** Converged when an iteration lowers the value by less than this × max(1, |value|). Default 1e-10. */
  valueTolerance?: number;
}

/** A running minimisation (see `createLbfgs`). */
export interface Lbfgs {
  /** The current point (updated in place by `run`; copy it to keep it). */
  readonly x: Float64Array;
  /** The objective's value at `x`. */
  readonly value: number;
  /** Largest absolute gradient component at `x`. */
  readonly gradientNorm: number;
  /** Iterations run so far. */
  readonly iterations: number;
  /** True once a tolerance was met or no step lowers the value any more; `run` then does nothing. */
  readonly converged: boolean;
  /** Runs up to `count` more iterations; returns how many ran (fewer once converged). */
  run(count: number): number;
}

const armijo = 1e-4;
const maxBacktracks = 40;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Starts minimising `objective` from a copy of `x0`. Nothing runs until
 * `run(count)` is called; the same inputs always give the same iterates.
 */
export function createLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): Lbfgs {
  const memory = options.memory ?? 10;
  const gradientTolerance = options.gradientTolerance ?? 1e-5;
  const valueTolerance = options.valueTolerance ?? 1e-10;
  const size = x0.length;
  const x = Float64Array.from(x0);
  const grad = new Float64Array(size);
  let value = objective(x, grad);
  let gradientNorm = maxAbs(grad);
  let iterations = 0;
  let converged = !Number.isFinite(value) || gradientNorm <= gradientTolerance;
  // Ring buffer of correction pairs s = x' - x, y = g' - g, and 1 / (y·s).
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const direction = new Float64Array(size);
  const trial = new Float64Array(size);
  const trialGrad = new Float64Array(size);

  /** direction = -H·grad by the two-loop recursion (H from the stored pairs, scaled by s·y / y·y). */
  const computeDirection = () => {
    for (let i = 0; i < size; i++) direction[i] = -grad[i];
    const k = sList.length;
    for (let j = k - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(sList[j], direction);
      const y = yList[j];
      for (let i = 0; i < size; i++) direction[i] -= alpha[j] * y[i];
    }
    if (k > 0) {
      const gamma = dot(sList[k - 1], yList[k - 1]) / dot(yList[k - 1], yList[k - 1]);
      for (let i = 0; i < size; i++) direction[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const beta = rho[j] * dot(yList[j], direction);
      const s = sList[j];
      for (let i = 0; i < size; i++) direction[i] += (alpha[j] - beta) * s[i];
    }
  };

  /** Backtracks from `step` along `direction`; on success leaves the point in trial/trialGrad and returns its value. */
  const lineSearch = (step: number, slope: number): number | undefined => {
    for (let tries = 0; tries < maxBacktracks; tries++, step *= 0.5) {
      for (let i = 0; i < size; i++) trial[i] = x[i] + step * direction[i];
      const v = objective(trial, trialGrad);
      if (Number.isFinite(v) && v <= value + armijo * step * slope) return v;
    }
    return undefined;
  };

  const iterate = () => {
    computeDirection();
    let slope = dot(direction, grad);
    if (!(slope < 0)) {
      // Not a descent direction (curvature estimate went stale): restart from steepest descent.
      sList.length = yList.length = rho.length = 0;
      computeDirection();
      slope = dot(direction, grad);
    }
    // The first step has no curvature estimate yet: move a unit distance at most.
    const first = sList.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(grad, grad))) : 1;
    let next = lineSearch(first, slope);
    if (next === undefined && sList.length > 0) {
      sList.length = yList.length = rho.length = 0;
      computeDirection();
      slope = dot(direction, grad);
      next = lineSearch(Math.min(1, 1 / Math.sqrt(dot(grad, grad))), slope);
    }
    iterations++;
    if (next === undefined) {
      converged = true;
      return;
    }
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = trial[i] - x[i];
      y[i] = trialGrad[i] - grad[i];
    }
    const sy = dot(s, y);
    // Keep only pairs with positive curvature, so H stays positive definite (non-convex objectives too).
    if (sy > 1e-10 * dot(y, y)) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
    }
    const drop = value - next;
    x.set(trial);
    grad.set(trialGrad);
    value = next;
    gradientNorm = maxAbs(grad);
    if (gradientNorm <= gradientTolerance || drop <= valueTolerance * Math.max(1, Math.abs(value))) converged = true;
  };

  return {
    x,
    get value() {
      return value;
    },
    get gradientNorm() {
      return gradientNorm;
    },
    get iterations() {
      return iterations;
    },
    get converged() {
      return converged;
    },
    run(count: number): number {
      let ran = 0;
      while (ran < count && !converged) {
        iterate();
        ran++;
      }
      return ran;
    },
  };
}
