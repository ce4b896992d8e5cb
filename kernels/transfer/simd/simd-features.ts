/**
 * A backbone's feature path on Tailor's own wasm SIMD kernels (issue #9):
 * the chain (`describeChain`: BatchNorm folded, activations fused) planned
 * into one `WebAssembly.Memory`, run by every core through the thread pool.
 * TF.js 4.22's wasm build reaches under half of what 128-bit SIMD allows on
 * MobileNet; these kernels use Relaxed SIMD's fused multiply-add where the
 * runtime has it, and run in Node on several threads (TF.js has none there).
 */
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import { featureParity } from '../backbones/feature-parity.ts';
import { envVar, isNode, nodeModules } from '../env.ts';
import { describeChain, type ChainSpec } from '../onnx/chain-spec.ts';
import { buildKernelsModule, relaxedSimdSupported } from './kernels-module.ts';
import { planChain } from './plan-chain.ts';
import { createParallelRunner } from './thread-pool.ts';

/** Largest difference from the TF.js features `createSimdFeatures` accepts. */
export const SIMD_PARITY_TOLERANCE = 1e-3;

/** A backbone's features on the SIMD engine. */
export interface SimdFeatures {
  /** What runs, for `info.runtime` and bench reports. */
  readonly runtime: string;
  readonly threads: number;
  /** Whether the kernels use Relaxed SIMD's fused multiply-add (else f32x4.mul + f32x4.add). */
  readonly relaxed: boolean;
  /** Max abs difference from the TF.js path on the parity batch. */
  readonly parity: number;
  /** Multiply-accumulates per image. */
  readonly macs: number;
  /** Images per pass; larger batches run in several passes. */
  readonly maxBatch: number;
  /** Length of a feature row. */
  readonly featureDim: number;
  /** Feature rows `[n·featureDim]` of a preprocessed NHWC batch `[n, size, size, 3]` (a tensor or its data). Synchronous. */
  features(batch: tf.Tensor4D | Float32Array): Float32Array;
  /** Stops the threads and frees the memory. */
  dispose(): void;
}

/** Options of `createSimdFeatures`. */
export interface SimdFeaturesOptions {
  /** Threads, the calling one included (default: every core where shared memory exists, else 1). */
  threads?: number;
  /**
   * Images per pass (default 8): activation memory grows with it, speed
   * hardly does past a few images, since every layer already splits its rows
   * over the threads.
   */
  maxBatch?: number;
  /** Input for the parity check (default: a fixed pseudo-random batch of 2 images in `range`). */
  parityBatch?: tf.Tensor4D;
}

/** Every core when this context can share memory between threads (Node, or a cross-origin-isolated page), else 1. */
export async function defaultSimdThreads(): Promise<number> {
  if (typeof SharedArrayBuffer === 'undefined') return 1;
  if (isNode()) return (await nodeModules()).os.availableParallelism();
  if (!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) return 1;
  return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
}

/**
 * Plans `spec` on the SIMD kernels, starts the threads and checks that the
 * features match `reference` (the TF.js path, `[n, featureDim]`) within
 * `SIMD_PARITY_TOLERANCE` on inputs in `range`. Throws with the reason when
 * wasm SIMD is missing or parity fails (after freeing what it started).
 */
export async function createSimdFeatures(
  spec: ChainSpec,
  range: readonly [number, number],
  reference: (batch: tf.Tensor4D) => tf.Tensor,
  options: SimdFeaturesOptions = {},
): Promise<SimdFeatures> {
  const threads = options.threads ?? (await defaultSimdThreads());
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer; got ${threads}.`);
  const maxBatch = options.maxBatch ?? 8;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`maxBatch must be a positive integer; got ${maxBatch}.`);
  const plan = planChain(spec, maxBatch, threads);
  const pages = Math.ceil(plan.memoryBytes / 65536);
  const shared = threads > 1;
  const relaxed = relaxedSimdSupported();
  const bytes = buildKernelsModule({ relaxed, shared, maxPages: pages });
  if (!WebAssembly.validate(bytes as BufferSource)) throw new Error('This runtime has no WebAssembly SIMD (fixed-width SIMD is needed for the SIMD engine).');
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared } as WebAssembly.MemoryDescriptor);
  for (const w of plan.weights) new Float32Array(memory.buffer, w.offset, w.data.length).set(w.data);
  const runner = await createParallelRunner(bytes, memory, threads);
  const perImage = spec.inputSize * spec.inputSize * 3;
  const dim = spec.featureDim;
  let disposed = false;

  const features = (batch: tf.Tensor4D | Float32Array): Float32Array => {
    if (disposed) throw new Error('These SIMD features were disposed; load the backbone again.');
    const data = batch instanceof Float32Array ? batch : (batch.dataSync() as Float32Array);
    const n = data.length / perImage;
    if (!Number.isInteger(n) || n < 1) throw new Error(`Expected a batch of ${spec.inputSize}×${spec.inputSize}×3 images; got ${data.length} values.`);
    const out = new Float32Array(n * dim);
    for (let start = 0; start < n; start += maxBatch) {
      const m = Math.min(maxBatch, n - start);
      new Float32Array(memory.buffer, plan.inputOffset, m * perImage).set(data.subarray(start * perImage, (start + m) * perImage));
      runner.run(plan.callsFor(m));
      out.set(new Float32Array(memory.buffer, plan.outputOffset, m * dim), start * dim);
    }
    return out;
  };

  try {
    const parity = await featureParity(reference, features, spec.inputSize, range, options.parityBatch);
    if (!(parity <= SIMD_PARITY_TOLERANCE)) {
      throw new Error(`SIMD features of '${spec.id}' differ from TF.js by ${parity} (tolerance ${SIMD_PARITY_TOLERANCE}).`);
    }
    return {
      runtime: `${SIMD_ENGINE_NAME}${relaxed ? ' (relaxed FMA)' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`,
      threads,
      relaxed,
      parity,
      macs: spec.macs,
      maxBatch,
      featureDim: dim,
      features,
      dispose() {
        if (disposed) return;
        disposed = true;
        runner.dispose();
      },
    };
  } catch (error) {
    disposed = true;
    runner.dispose();
    throw error;
  }
}

/** How `info.engine` and bench reports name this engine. */
export const SIMD_ENGINE_NAME = 'Tailor wasm SIMD';

/**
 * The TF.js backend whose features the SIMD engine computes instead: wasm
 * (its CPU path). On WebGL the TF.js path stays on the GPU, and the pure-JS
 * cpu backend stays itself, for comparison.
 */
export const SIMD_BACKEND = 'wasm';

/** The threads of the SIMD engine named in `info.engine` (as `runtime` writes it), or undefined when TF.js computes the features. */
export function simdEngineThreads(info: { engine: string }): number | undefined {
  if (!info.engine.startsWith(SIMD_ENGINE_NAME)) return undefined;
  return Number(/, (\d+) threads?$/.exec(info.engine)?.[1] ?? 1);
}

/** What computes `net.features` while TF.js runs on `backend`. */
export function featureEngine(info: { engine: string }, backend: string): string {
  return backend === SIMD_BACKEND && simdEngineThreads(info) !== undefined ? info.engine : `TF.js ${backend}`;
}

/**
 * The SIMD engine for a fused backbone being loaded, or why it is not used
 * (a short reason for `info.engine`): turned off (`simd: false`,
 * `TAILOR_SIMD=0`), TF.js on WebGL, a chain with layers the kernels lack, no
 * wasm SIMD, or a parity failure.
 */
export async function startSimd(
  net: Pick<Backbone, 'model' | 'info'>,
  reference: (batch: tf.Tensor4D) => tf.Tensor,
  wanted = true,
): Promise<SimdFeatures | string> {
  if (!wanted || envVar('TAILOR_SIMD') === '0') return 'SIMD engine turned off';
  if (tf.getBackend() !== SIMD_BACKEND) return `SIMD engine not used on ${tf.getBackend()}`;
  try {
    return await createSimdFeatures(describeChain(net as Backbone), net.info.inputRange, reference);
  } catch (error) {
    return `SIMD engine unavailable: ${(error as Error).message.split('\n')[0]}`;
  }
}
