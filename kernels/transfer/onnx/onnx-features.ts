import * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../backbones/backbone.ts';
import { featureParity } from '../backbones/feature-parity.ts';
import { envVar, importNode, isNode, nodeModules } from '../env.ts';
import { describeChain } from './chain-spec.ts';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUT } from './export-onnx.ts';

/** The parts of `onnxruntime-node` used here (declared locally: the library never imports it statically). */
interface OrtTensor {
  readonly data: unknown;
  dispose?(): void;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  env?: { versions?: { common?: string } };
}

/** Largest feature difference from the TF.js path that `loadOnnxFeatures` accepts. */
export const ONNX_PARITY_TOLERANCE = 1e-3;

/** Backbone feature inference through ONNX Runtime (Node, native code). */
export interface OnnxFeatures {
  /** `onnxruntime-node` and its version. */
  readonly runtime: string;
  /** Threads ORT uses inside an operator. */
  readonly threads: number;
  /** Max abs difference from `net.features` on the parity batch. */
  readonly parity: number;
  /** Multiply-accumulates per image of the exported graph. */
  readonly macs: number;
  /** Feature rows `[n·featureDim]` of a preprocessed NHWC batch `[n, size, size, 3]` (a tensor or its data). */
  features(batch: tf.Tensor4D | Float32Array): Promise<Float32Array>;
  /** Frees the native session. */
  dispose(): Promise<void>;
}

/** Options of `loadOnnxFeatures`. */
export interface OnnxFeaturesOptions {
  /** ORT intra-op threads (default: every core, `os.availableParallelism()`). */
  threads?: number;
  /** Input for the parity check (default: a fixed pseudo-random batch of 2 images in the input range). */
  parityBatch?: tf.Tensor4D;
  /**
   * Whether ORT's threads spin while waiting for work (ORT's default, true):
   * quickest when inference has the cores to itself; `false` leaves them to
   * other work between operators (image decoding during extraction).
   */
  spinning?: boolean;
}

/**
 * Runs a layers backbone's feature path (BatchNorm folded, as
 * `describeChain` reads it) in ONNX Runtime: exports the ONNX graph from
 * TypeScript, opens an `onnxruntime-node` session, and checks that its
 * features match `net.features` within `ONNX_PARITY_TOLERANCE`. Throws with
 * the reason when not in Node, when `onnxruntime-node` is not installed, when
 * the backbone is not a chain of supported layers, or when parity fails.
 */
export async function loadOnnxFeatures(net: Backbone, options: OnnxFeaturesOptions = {}): Promise<OnnxFeatures> {
  if (!isNode()) throw new Error('ONNX Runtime features run in Node only (onnxruntime-node).');
  let ort: OrtModule;
  try {
    const loaded = await importNode<OrtModule & { default?: OrtModule }>('onnxruntime-node');
    ort = loaded.InferenceSession ? loaded : loaded.default!;
  } catch (error) {
    throw new Error(`onnxruntime-node is not installed (${(error as Error).message.split('\n')[0]}); install it with \`ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node\`.`);
  }
  const spec = describeChain(net);
  const { os } = await nodeModules();
  const threads = options.threads ?? os.availableParallelism();
  const session = await ort.InferenceSession.create(exportOnnx(spec), {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
    logSeverityLevel: 3,
    ...(options.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } } : {}),
  });
  const size = spec.inputSize;
  const dim = spec.featureDim;
  const features = async (batch: tf.Tensor4D | Float32Array): Promise<Float32Array> => {
    const data = batch instanceof Float32Array ? batch : (batch.dataSync() as Float32Array);
    const n = data.length / (size * size * 3);
    if (!Number.isInteger(n) || n < 1) throw new Error(`Expected a batch of ${size}×${size}×3 images; got ${data.length} values.`);
    const input = new ort.Tensor('float32', data, [n, size, size, 3]);
    const result = await session.run({ [ONNX_INPUT]: input });
    const out = result[ONNX_OUTPUT];
    const rows = Float32Array.from(out.data as Float32Array);
    input.dispose?.();
    out.dispose?.();
    if (rows.length !== n * dim) throw new Error(`ONNX Runtime gave ${rows.length} values for ${n} images of ${dim} features.`);
    return rows;
  };
  try {
    const parity = await featureParity(net.features, features, net.info.inputSize, net.info.inputRange, options.parityBatch);
    if (!(parity <= ONNX_PARITY_TOLERANCE)) {
      throw new Error(`ONNX features of '${net.info.id}' differ from TF.js by ${parity} (tolerance ${ONNX_PARITY_TOLERANCE}).`);
    }
    return {
      runtime: `onnxruntime-node ${ort.env?.versions?.common ?? ''}`.trim(),
      threads,
      parity,
      macs: spec.macs,
      features,
      dispose: () => session.release(),
    };
  } catch (error) {
    await session.release();
    throw error;
  }
}

const cached = new WeakMap<Backbone, Promise<OnnxFeatures | undefined>>();

/**
 * `loadOnnxFeatures(net)` once per backbone, or `undefined` when ONNX Runtime
 * cannot serve it (not Node, not installed, not a chain, parity failed) — the
 * caller then uses `net.features` on TF.js. `TAILOR_ONNX=0` turns it off.
 * Its threads do not spin while waiting (extraction decodes images on the
 * same cores meanwhile); `TAILOR_ONNX_SPIN=1` lets them.
 */
export function onnxFeaturesFor(net: Backbone): Promise<OnnxFeatures | undefined> {
  let found = cached.get(net);
  if (!found) {
    const off = envVar('TAILOR_ONNX') === '0';
    // Extraction decodes images on the same cores while ORT runs: spinning threads would take their time.
    const spinning = envVar('TAILOR_ONNX_SPIN') === '1';
    found = off || !isNode() || !net.model ? Promise.resolve(undefined) : loadOnnxFeatures(net, { spinning }).catch(() => undefined);
    cached.set(net, found);
  }
  return found;
}

/** Releases the session `onnxFeaturesFor(net)` opened, if any (call when disposing the backbone). */
export async function releaseOnnxFeatures(net: Backbone): Promise<void> {
  const found = cached.get(net);
  cached.delete(net);
  await (await found)?.dispose();
}
