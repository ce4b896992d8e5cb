import * as tf from '@tensorflow/tfjs';
import { loadBackbone, loadOnnxFeatures, simdEngineThreads, type Backbone } from '../kernels/transfer/index.ts';
import type { RunnerInfo } from './figures.ts';
import { takeBatch, takePixels, type ParityInputs } from './inputs.ts';
import { maxAbsDiff, timedCalls, type Timed } from './timing.ts';

/** A way of computing a backbone's features that the bench can time, parity-checked before timing. */
export interface Runner {
  info: RunnerInfo;
  /** Max abs difference from Tailor's fused TF.js features on the parity photos. */
  parity: number;
  /** Makes a batch of `batch` parity photos ready to time. */
  prepare(batch: number): Promise<Timed>;
  dispose(): Promise<void>;
}

/** Threads TF.js wasm really uses here (Node: 1, TF.js turns wasm threads off outside the page). */
function wasmThreads(): number {
  const backend = tf.backend() as unknown as { wasm?: { _getThreadPoolSize?: () => number } };
  return backend.wasm?._getThreadPoolSize?.() ?? 1;
}

function tfjsRunner(net: Backbone, inputs: ParityInputs, parity: number, info: Omit<RunnerInfo, 'threads'>, owned: boolean): Runner {
  return {
    info: { ...info, threads: wasmThreads() },
    parity,
    async prepare(batch) {
      const x = takeBatch(inputs, batch);
      const call = async () => {
        const out = net.features(x);
        await out.data();
        out.dispose();
      };
      return timedCalls(call, () => x.dispose());
    },
    async dispose() {
      if (owned) net.dispose();
    },
  };
}

/**
 * Tailor's own wasm path as `loadBackbone` sets it up: its SIMD kernels on
 * every core (`net.info.engine`), or the fused chain on TF.js where they do
 * not serve the backbone.
 */
export async function tailorWasmRunner(net: Backbone, inputs: ParityInputs): Promise<Runner> {
  const out = net.features(inputs.batch);
  const parity = maxAbsDiff((await out.data()) as Float32Array, inputs.expected);
  out.dispose();
  const runner = tfjsRunner(net, inputs, parity, { runner: 'tailor-wasm', tailor: true, ceiling: 'simd128', details: net.info.engine }, false);
  runner.info.threads = simdEngineThreads(net.info) ?? runner.info.threads;
  return runner;
}

/** Tailor's fused chain (BatchNorm folded, conv + activation in one kernel) on TF.js's wasm kernels: the parity reference, and what the SIMD engine replaced. */
export function tailorTfjsFusedRunner(reference: Backbone, inputs: ParityInputs): Runner {
  return tfjsRunner(reference, inputs, 0, { runner: 'tailor-tfjs-fused', tailor: false, ceiling: 'simd128', details: 'TF.js wasm, fused backbone (BatchNorm folded, fused conv+activation)' }, false);
}

/** The shipped Keras layers model on TF.js wasm, cut at the feature layer: how most TF.js code runs it. */
export async function tfjsLayersRunner(id: string, inputs: ParityInputs): Promise<Runner> {
  const layers = await loadBackbone(id, { fused: false });
  const out = layers.features(inputs.batch);
  const parity = maxAbsDiff((await out.data()) as Float32Array, inputs.expected);
  out.dispose();
  return tfjsRunner(layers, inputs, parity, { runner: 'tfjs-layers', tailor: false, ceiling: 'simd128', details: 'TF.js wasm, tf.LayersModel (separate BatchNorm and relu6 layers)' }, true);
}

/** Tailor's Node fast path: its TypeScript ONNX export of the fused backbone on onnxruntime-node. */
export async function tailorOnnxRunner(net: Backbone, inputs: ParityInputs): Promise<Runner> {
  const onnx = await loadOnnxFeatures(net, { parityBatch: inputs.batch });
  return {
    info: { runner: 'tailor-onnx', tailor: true, threads: onnx.threads, ceiling: 'native', details: `${onnx.runtime}, graph exported from TypeScript (NHWC input, BatchNorm folded)` },
    parity: onnx.parity,
    async prepare(batch) {
      const x = takePixels(inputs, batch);
      return timedCalls(() => onnx.features(x));
    },
    dispose: () => onnx.dispose(),
  };
}
