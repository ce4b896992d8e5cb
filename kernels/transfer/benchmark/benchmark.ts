/**
 * `benchmark(net, options)`: how fast a backbone turns preprocessed images
 * into features, per backend and batch size — the first (cold) call apart,
 * then warm-up calls, then timed runs summarised as median and p95 latency
 * and throughput, with `tf.memory()` figures. Returns plain data.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import type { LongRunOptions } from '../types.ts';
import { featureEngine } from '../simd/simd-features.ts';

/** What `onProgress` receives after each configuration. */
export interface BenchmarkProgress {
  done: number;
  total: number;
  backend: string;
  batchSize: number;
}

/** Options of `benchmark`; every field is optional. */
export interface BenchmarkOptions extends LongRunOptions<BenchmarkProgress> {
  /** Backends to measure, in order (default: the current one). Unavailable ones are listed in `skipped`. */
  backends?: string[];
  /** Images per call (default [1, 8]). */
  batchSizes?: number[];
  /** Untimed calls after the first one, before timing (default 2). */
  warmup?: number;
  /** Timed calls per configuration (default 10). */
  runs?: number;
}

/** The figures of one backend × batch size. */
export interface BenchmarkRow {
  backend: string;
  /** What computed the features on that backend (Tailor's SIMD kernels stand in for TF.js's on wasm; see `info.engine`). */
  engine: string;
  batchSize: number;
  /** The first call on this backend and batch shape: kernel compilation, weight upload, allocation. */
  firstMs: number;
  medianMs: number;
  p95Ms: number;
  /** Images per second at the median latency. */
  imagesPerSecond: number;
  /** Timed calls behind the median and p95. */
  runs: number;
  /** `tf.memory()` after the runs: tensors alive and their bytes (the weights, mostly). */
  numTensors: number;
  numBytes: number;
}

/** What `benchmark` returns. */
export interface BenchmarkResult {
  backbone: string;
  inputSize: number;
  featureDim: number;
  params: number;
  sizeBytes: number;
  rows: BenchmarkRow[];
  /** Backends that could not be used, with the reason. */
  skipped: { backend: string; reason: string }[];
  /** The backend active before and after the call. */
  backend: string;
  /** True when `signal` stopped it early (`rows` holds what was measured). */
  aborted: boolean;
}

/** The q-quantile (0–1) of sorted values, by linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

function checkCounts(name: string, values: readonly number[], min: number): void {
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => Number.isInteger(v) && v >= min)) {
    throw new RangeError(`${name} must be a non-empty list of whole numbers ≥ ${min}; got ${JSON.stringify(values)}.`);
  }
}

/** One timed feature call on `batch`, including reading the result back (as a real caller must). */
async function timeCall(net: Backbone, batch: tf.Tensor4D): Promise<number> {
  const started = performance.now();
  const out = net.features(batch);
  await out.data();
  out.dispose();
  return performance.now() - started;
}

/**
 * Measures `net.features` on random input batches for every backend and
 * batch size. Switches backends for the measurement and restores the one
 * that was active. Leaves `tf.memory().numTensors` as it found it.
 */
export async function benchmark(net: Backbone, options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const original = tf.getBackend();
  const backends = options.backends ?? [original];
  const batchSizes = options.batchSizes ?? [1, 8];
  const warmup = options.warmup ?? 2;
  const runs = options.runs ?? 10;
  checkCounts('batchSizes', batchSizes, 1);
  checkCounts('warmup', [warmup], 0);
  checkCounts('runs', [runs], 1);
  if (!Array.isArray(backends) || backends.length === 0) throw new RangeError(`backends must be a non-empty list of backend names; got ${JSON.stringify(backends)}.`);
  const { inputSize, inputRange, id, featureDim, params, sizeBytes } = net.info;
  const rows: BenchmarkRow[] = [];
  const skipped: BenchmarkResult['skipped'] = [];
  const total = backends.length * batchSizes.length;
  let aborted = false;
  try {
    outer: for (const backend of backends) {
      if (!tf.engine().registryFactory[backend]) {
        skipped.push({ backend, reason: `not registered here (registered: ${Object.keys(tf.engine().registryFactory).join(', ')})` });
        continue;
      }
      try {
        if (!(await tf.setBackend(backend))) throw new Error('tf.setBackend returned false');
        await tf.ready();
      } catch (error) {
        skipped.push({ backend, reason: `could not start: ${(error as Error).message}` });
        continue;
      }
      for (const batchSize of batchSizes) {
        if (options.signal?.aborted) {
          aborted = true;
          break outer;
        }
        const batch = tf.randomUniform([batchSize, inputSize, inputSize, 3], inputRange[0], inputRange[1], 'float32', 1) as tf.Tensor4D;
        try {
          const firstMs = await timeCall(net, batch);
          for (let i = 0; i < warmup; i++) await timeCall(net, batch);
          const times: number[] = [];
          for (let i = 0; i < runs && !options.signal?.aborted; i++) times.push(await timeCall(net, batch));
          times.sort((a, b) => a - b);
          const medianMs = quantile(times, 0.5);
          const memory = tf.memory();
          rows.push({
            backend,
            engine: featureEngine(net.info, backend),
            batchSize,
            firstMs,
            medianMs,
            p95Ms: quantile(times, 0.95),
            imagesPerSecond: (batchSize * 1000) / medianMs,
            runs: times.length,
            numTensors: memory.numTensors,
            numBytes: memory.numBytes,
          });
        } finally {
          batch.dispose();
        }
        options.onProgress?.({ done: rows.length, total, backend, batchSize });
      }
    }
  } finally {
    if (tf.getBackend() !== original) await tf.setBackend(original);
  }
  return { backbone: id, inputSize, featureDim, params, sizeBytes, rows, skipped, backend: original, aborted };
}
