/**
 * The dense heads' default training: full-batch L-BFGS on the class-weighted
 * cross-entropy + L2 until it converges. One epoch is one L-BFGS iteration
 * (one step along a search direction, which evaluates the loss on all
 * training rows at least once). After each epoch the train and validation
 * scores are logged; early stopping on validation loss restores the best
 * weights; `onEpoch` and `signal` work as with Adam.
 */
import * as tf from '@tensorflow/tfjs';
import { createDenseNetwork, type DenseNetwork, type DenseSpec } from './dense-head.ts';
import { denseObjective, denseProbabilities, scoreProbabilities, type DenseShape, type WeightedRows } from './dense-loss.ts';
import { trackBestEpoch } from './best-epoch.ts';
import { yieldToEventLoop, type DenseFitCommon, type DenseFitResult, type Rows } from './fit-dense.ts';
import type { EpochLog, StopReason } from './head-types.ts';
import { createLbfgs } from './lbfgs.ts';

/** Resolved options of one L-BFGS fit (`epochs` caps the iterations, one per epoch). */
export type LbfgsFitConfig = DenseFitCommon;

/** Longest stretch of synchronous work between two yields to the event loop (ms), so aborts and repaints get through. */
const yieldEveryMs = 15;

/** The network's shape as the array math sees it. */
export function denseShape(spec: DenseSpec): DenseShape {
  return { dim: spec.dim, classes: spec.classes, hidden: spec.kind === 'mlp' ? spec.hiddenUnits : 0 };
}

/** Rows with one loss weight per row from per-class weights. */
export function weightRows(rows: Rows, classWeights: Float32Array): WeightedRows {
  return { x: rows.x, labels: rows.labels, weights: Float64Array.from(rows.labels, (l) => classWeights[l]) };
}

/** The network's variables as one flat array (kernel, bias per layer). */
export async function readParameters(net: DenseNetwork): Promise<Float64Array> {
  const parts = await Promise.all(net.variables.map((v) => v.data() as Promise<Float32Array>));
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes a flat parameter array back into the network's variables. */
function writeParameters(net: DenseNetwork, p: Float64Array): void {
  let at = 0;
  for (const v of net.variables) {
    const size = v.size;
    const values = Float32Array.from(p.subarray(at, at + size));
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    at += size;
  }
}

/** A fresh seeded network and its initial parameters (what every fit, CV folds included, starts from). */
export async function initialNetwork(spec: DenseSpec): Promise<{ net: DenseNetwork; init: Float64Array }> {
  const net = createDenseNetwork(spec);
  return { net, init: await readParameters(net) };
}

/**
 * Trains `net` (starting from `init`) on standardised rows with L-BFGS.
 * Leaves no tensors behind except the network's own variables, which end
 * holding the best epoch's weights.
 */
export async function fitLbfgs(net: DenseNetwork, init: Float64Array, train: Rows, validation: Rows | undefined, cfg: LbfgsFitConfig): Promise<DenseFitResult> {
  const shape = denseShape(cfg.spec);
  const solver = createLbfgs(denseObjective(shape, weightRows(train, cfg.classWeights), cfg.l2), init);
  const n = train.labels.length;
  const history: EpochLog[] = [];
  let best = Float64Array.from(init);
  const tracker = trackBestEpoch({ patience: cfg.patience, minDelta: cfg.minDelta, validation: validation !== undefined });
  let stopReason: StopReason = 'completed';
  let lastYield = performance.now();
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    if (cfg.signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    if (solver.run(1) === 0) {
      stopReason = 'converged';
      break;
    }
    const { loss, accuracy } = scoreProbabilities(denseProbabilities(shape, solver.x, train.x, n), train.labels, shape.classes);
    const log: EpochLog = { epoch, loss, accuracy };
    if (validation) {
      const v = scoreProbabilities(denseProbabilities(shape, solver.x, validation.x, validation.labels.length), validation.labels, shape.classes);
      log.valLoss = v.loss;
      log.valAccuracy = v.accuracy;
    }
    history.push(log);
    const { improved, stop } = tracker.observe(log);
    if (improved) best = Float64Array.from(solver.x);
    cfg.onEpoch?.(log);
    if (stop) {
      stopReason = 'early-stopping';
      break;
    }
    if (solver.converged) {
      stopReason = 'converged';
      break;
    }
    if (performance.now() - lastYield > yieldEveryMs) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  writeParameters(net, best);
  return { net, history, bestEpoch: tracker.bestEpoch, stopReason };
}
