/**
 * One bench runner in its own module Web Worker (its own TF.js or ONNX
 * Runtime instance and thread pool), driven by `page.ts` with
 * `{id, op, args}` messages answered by `{id, value}` or `{id, error}`:
 *
 * - `init {kind, backbone, threads, simd}` loads the model (`simd: false`: Tailor's fused path on TF.js, not its SIMD engine), runs the 32 parity
 *   photos (preprocessed in Node, `/bench-data/<id>-input.f32`) and returns
 *   `{parity, threads, details}` — parity against Tailor's Node features
 *   (`onnxruntime-web` also takes `onnx: {file, details}`, an NCHW graph in `/bench-data/`);
 * - `prepare {batch}` makes a batch of parity photos (cyclic) ready;
 * - `run {calls}` makes `calls` inference calls and returns their seconds;
 * - `endToEnd {batch, runs, parts}`: `extractFeatures` over the ants/bees set (no cache; run r over slice r mod parts), img/s per run.
 *
 * The wasm setup is the kernel worker's (`kernels/host/worker.ts`): the
 * threaded SIMD build with one thread per core when cross-origin isolated.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import type * as Ort from 'onnxruntime-web';
import { liftWasmThreadCap } from '../../kernels/runtime/index.ts';
import { ensureBackend, extractFeatures, loadBackbone, loadImageFolder, simdEngineThreads, type Backbone } from '../../kernels/transfer/index.ts';
import { maxAbsDiff } from '../timing.ts';
import { compareRates, profilePass, timeKernels, variantCases } from './op-profile.ts';
import { measureSimdPeak } from './simd-peak.ts';

export type BrowserRunnerKind = 'tailor-wasm' | 'tfjs-layers' | 'tailor-webgl' | 'onnxruntime-web';

interface Model {
  /** Runs the prepared batch once and waits for the features. */
  call(): Promise<void>;
  prepare(batch: number): void;
  release(): void;
}

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null; crossOriginIsolated?: boolean };
let model: Model | undefined;
let tailorNet: Backbone | undefined;

async function fetchF32(url: string): Promise<Float32Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Float32Array(await response.arrayBuffer());
}

/** The first `n` images of `pixels` (cyclic), NHWC. */
function takePixels(pixels: Float32Array, per: number, n: number): Float32Array {
  const have = pixels.length / per;
  const out = new Float32Array(n * per);
  for (let i = 0; i < n; i++) out.set(pixels.subarray((i % have) * per, ((i % have) + 1) * per), i * per);
  return out;
}

/** TF.js wasm as the kernel worker starts it: SIMD, `threads` threads (past TF.js's half-the-cores cap) when isolated. */
async function startWasm(threads: number): Promise<void> {
  setWasmPaths({ 'tfjs-backend-wasm.wasm': plainUrl, 'tfjs-backend-wasm-simd.wasm': simdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': threadedUrl });
  // As the kernel does (kernels/runtime): every core, past TF.js's half-the-cores cap.
  const restore = scope.crossOriginIsolated ? liftWasmThreadCap(threads) : () => {};
  if (scope.crossOriginIsolated) setThreadsCount(threads);
  try {
    await ensureBackend('wasm');
  } finally {
    restore();
  }
}

function wasmThreads(): number {
  return tf.getBackend() === 'wasm' && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? getThreadsCount() : 1;
}

async function initTfjs(kind: BrowserRunnerKind, backbone: string, threads: number, pixels: Float32Array, expected: Float32Array, simdEngine: boolean) {
  if (kind === 'tailor-webgl') {
    await ensureBackend('webgl');
    if (tf.getBackend() !== 'webgl') throw new Error('WebGL is not available in this browser');
  } else {
    await startWasm(threads);
  }
  const net = await loadBackbone(backbone, { fused: kind !== 'tfjs-layers', simd: simdEngine && kind === 'tailor-wasm' });
  const engineThreads = simdEngineThreads(net.info);
  tailorNet = net;
  const size = net.info.inputSize;
  const per = size * size * 3;
  const all = tf.tensor4d(pixels, [pixels.length / per, size, size, 3]);
  const out = net.features(all);
  const parity = maxAbsDiff((await out.data()) as Float32Array, expected);
  out.dispose();
  all.dispose();
  let x: tf.Tensor4D | undefined;
  model = {
    async call() {
      const y = net.features(x!);
      await y.data();
      y.dispose();
    },
    prepare(batch) {
      x = tf.tensor4d(takePixels(pixels, per, batch), [batch, size, size, 3]);
    },
    release() {
      x?.dispose();
    },
  };
  const wasm = tf.getBackend() === 'wasm';
  const usedThreads = wasmThreads();
  const simd = wasm && tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  if (engineThreads !== undefined) {
    // Tailor's own kernels: its threads are the engine's (in `info.engine`), not TF.js's pool.
    return { parity, threads: engineThreads, details: `${net.info.engine}, fused chain (BatchNorm folded)`, simd: true, backend: 'tailor-simd' };
  }
  const details = wasm
    ? `TF.js ${tf.version.tfjs} wasm (${simd ? 'SIMD' : 'no SIMD'}, ${usedThreads} thread${usedThreads === 1 ? '' : 's'}), ${kind === 'tfjs-layers' ? 'tf.LayersModel (separate BatchNorm and relu6 layers)' : 'fused backbone'}`
    : `TF.js ${tf.version.tfjs} webgl (${webglRenderer()}), fused backbone`;
  return { parity, threads: wasm ? usedThreads : 1, details, simd, backend: tf.getBackend() };
}

/** The WebGL renderer TF.js got (SwiftShader: software), from WEBGL_debug_renderer_info. */
function webglRenderer(): string {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return String((info ? gl?.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl?.getParameter(gl.RENDERER)) ?? 'unknown renderer');
}

/** ONNX Runtime Web as shipped (served from /ort/, not rebundled) on an ONNX graph with input `input` and output `features`. */
async function initOrt(onnx: { file: string; details: string; layout: 'nchw' | 'nhwc' }, threads: number, pixels: Float32Array, expected: Float32Array) {
  const ort = (await import(/* @vite-ignore */ `${location.origin}/ort/ort.wasm.min.mjs`)) as typeof Ort;
  ort.env.wasm.wasmPaths = `${location.origin}/ort/`;
  // ORT's default is min(4, ⌈cores/2⌉): give it every core, as Tailor gets.
  ort.env.wasm.numThreads = scope.crossOriginIsolated ? threads : 1;
  ort.env.wasm.simd = true;
  ort.env.logLevel = 'error';
  const response = await fetch(`/bench-data/${onnx.file}`);
  if (!response.ok) throw new Error(`/bench-data/${onnx.file}: HTTP ${response.status}`);
  const session = await ort.InferenceSession.create(new Uint8Array(await response.arrayBuffer()), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const size = Math.round(Math.sqrt(pixels.length / 32 / 3));
  const plane = size * size;
  const nchw = (nhwc: Float32Array, n: number) => {
    if (onnx.layout === 'nhwc') return new ort.Tensor('float32', nhwc, [n, size, size, 3]);
    const out = new Float32Array(nhwc.length);
    for (let i = 0; i < n; i++) for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[i * 3 * plane + c * plane + p] = nhwc[(i * plane + p) * 3 + c];
    return new ort.Tensor('float32', out, [n, 3, size, size]);
  };
  const n = pixels.length / (3 * plane);
  const first = await session.run({ input: nchw(pixels, n) });
  const parity = maxAbsDiff(first.features.data as Float32Array, expected);
  let x: Ort.Tensor | undefined;
  model = {
    async call() {
      const out = await session.run({ input: x! });
      await out.features.getData();
      out.features.dispose();
    },
    prepare(batch) {
      x = nchw(takePixels(pixels, 3 * plane, batch), batch);
    },
    release() {
      x?.dispose();
    },
  };
  return { parity, threads: ort.env.wasm.numThreads as number, details: `onnxruntime-web ${ort.env.versions.web} wasm (SIMD, ${ort.env.wasm.numThreads} threads), ${onnx.details}`, simd: true, backend: 'ort-wasm' };
}

const ops: Record<string, (args: Record<string, unknown>) => Promise<unknown>> = {
  async init(args) {
    const kind = args.kind as BrowserRunnerKind;
    const backbone = args.backbone as string;
    const threads = (args.threads as number | undefined) ?? navigator.hardwareConcurrency;
    const [pixels, expected] = await Promise.all([fetchF32(`/bench-data/${backbone}-input.f32`), fetchF32(`/bench-data/${backbone}-tailor-features.f32`)]);
    const info = kind === 'onnxruntime-web' ? await initOrt(args.onnx as Parameters<typeof initOrt>[0], threads, pixels, expected) : await initTfjs(kind, backbone, threads, pixels, expected, args.simd !== false);
    return { ...info, isolated: scope.crossOriginIsolated === true, cores: navigator.hardwareConcurrency };
  },
  async prepare(args) {
    model!.prepare(args.batch as number);
  },
  async run(args) {
    const t0 = performance.now();
    for (let i = 0; i < (args.calls as number); i++) await model!.call();
    return (performance.now() - t0) / 1000;
  },
  async release() {
    model?.release();
  },
  /** Per-kernel profile of the fused (or layers) backbone on real photos: `{threads, simd, profiles}` (`op-profile.ts`). */
  async profile(args) {
    await startWasm((args.threads as number | undefined) ?? navigator.hardwareConcurrency);
    const net = await loadBackbone(args.backbone as string, { fused: args.fused !== false });
    const batches = (args.batches as number[] | undefined) ?? [1, 8];
    const set = (await loadImageFolder('hymenoptera_data', { verify: false })).all;
    const all = await net.preprocess(set.items.slice(0, Math.max(...batches)).map((item) => item.path));
    const profiles = [];
    for (const batch of batches) {
      const x = all.slice(0, batch);
      profiles.push(await profilePass(() => net.features(x), batch, (args.passes as number | undefined) ?? 5));
      x.dispose();
    }
    all.dispose();
    net.dispose();
    return { threads: wasmThreads(), simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), profiles };
  },
  /** img/s of the fused backbone's run strategies (`op-profile.ts` `RUN_VARIANTS`), interleaved: `{threads, rates}`. */
  async variants(args) {
    await startWasm((args.threads as number | undefined) ?? navigator.hardwareConcurrency);
    const net = await loadBackbone(args.backbone as string);
    const batches = (args.batches as number[] | undefined) ?? [8, 32];
    const set = (await loadImageFolder('hymenoptera_data', { verify: false })).all;
    const all = await net.preprocess(set.items.slice(0, Math.max(...batches)).map((item) => item.path));
    const v = variantCases(net, batches, args.only as string[] | undefined);
    const rates = await compareRates(v.cases, all, (args.runs as number | undefined) ?? 5, Math.max(16, ...batches));
    v.dispose();
    all.dispose();
    net.dispose();
    return { threads: wasmThreads(), rates };
  },
  /** Loads the fused backbone with `threads` wasm threads and a batch of `batch` photos for `loop` (data-parallel trials). */
  async load(args) {
    await startWasm((args.threads as number | undefined) ?? navigator.hardwareConcurrency);
    const net = await loadBackbone(args.backbone as string);
    const set = (await loadImageFolder('hymenoptera_data', { verify: false })).all;
    const batch = args.batch as number;
    const x = await net.preprocess(set.items.slice(0, batch).map((item) => item.path));
    net.features(x).dispose();
    model = {
      async call() {
        const y = net.features(x);
        await y.data();
        y.dispose();
      },
      prepare() {},
      release() {
        x.dispose();
        net.dispose();
      },
    };
    return { threads: wasmThreads() };
  },
  /** `calls` inference calls of the loaded batch; their seconds. */
  async loop(args) {
    const t0 = performance.now();
    for (let i = 0; i < (args.calls as number); i++) await model!.call();
    return (performance.now() - t0) / 1000;
  },
  /** Single convolutions alone on this worker's wasm backend (`op-profile.ts` `timeKernels`). */
  async kernels(args) {
    await startWasm((args.threads as number | undefined) ?? navigator.hardwareConcurrency);
    return { threads: wasmThreads(), kernels: await timeKernels() };
  },
  /** One thread's wasm SIMD mul+add and relaxed_madd peaks (`simd-peak.ts`). */
  async simdPeak() {
    return measureSimdPeak();
  },
  async endToEnd(args) {
    const net = tailorNet!;
    const set = (await loadImageFolder('hymenoptera_data', { verify: false })).all;
    const batchSize = args.batch as number;
    await extractFeatures(net, { classes: set.classes, items: set.items.slice(0, batchSize) }, { cache: false, batchSize });
    // Quick mode passes parts = runs: run r covers the r-th slice, so each photo is decoded once in all.
    const parts = (args.parts as number | undefined) ?? 1;
    const per = Math.ceil(set.items.length / parts);
    const rates: number[] = [];
    for (let r = 0; r < (args.runs as number); r++) {
      const slice = r % parts;
      const items = parts === 1 ? set.items : set.items.slice(slice * per, (slice + 1) * per);
      const t0 = performance.now();
      const out = await extractFeatures(net, { classes: set.classes, items }, { cache: false, batchSize });
      if (out.skipped.length > 0) throw new Error(`extractFeatures skipped ${out.skipped.length} images: ${out.skipped[0].path}: ${out.skipped[0].reason}`);
      rates.push(out.items.length / ((performance.now() - t0) / 1000));
    }
    return rates;
  },
};

scope.onmessage = async (event: MessageEvent) => {
  const { id, op, args } = event.data as { id: number; op: string; args: Record<string, unknown> };
  try {
    const handler = ops[op];
    if (!handler) throw new Error(`unknown op ${op}`);
    scope.postMessage({ id, value: await handler(args ?? {}) });
  } catch (error) {
    scope.postMessage({ id, error: `${(error as Error).message ?? String(error)}` });
  }
};
