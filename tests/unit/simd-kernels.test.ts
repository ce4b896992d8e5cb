import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeChain, loadBackbone, type Backbone } from '../../kernels/transfer/index.ts';
import type { ChainSpec, ConvStep, MaxPoolStep, StepActivation } from '../../kernels/transfer/onnx/chain-spec.ts';
import { buildKernelsModule, relaxedSimdSupported } from '../../kernels/transfer/simd/kernels-module.ts';
import { planChain, type PlanOptions } from '../../kernels/transfer/simd/plan-chain.ts';
import type { ChainPlan } from '../../kernels/transfer/simd/types.ts';
import { photo, setUpTransfer } from '../support/transfer-env.ts';

// Node 20 validates Relaxed SIMD only behind this flag (Chromium has it on by default); enabling it here
// lets the relaxed_madd variant be tested too. The mul+add variant is tested either way.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const VARIANTS = relaxedSimdSupported() ? [false, true] : [false];

/** A plan bound to a memory and an instance of the kernels module. */
function instantiate(plan: ChainPlan, relaxed: boolean, shared: boolean) {
  const pages = Math.ceil(plan.memoryBytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  const bytes = buildKernelsModule({ relaxed, shared, maxPages: pages });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), { env: { memory } });
  for (const { offset, data } of plan.weights) new Float32Array(memory.buffer, offset, data.length).set(data);
  return { memory, exports: instance.exports as Record<string, (...a: number[]) => void> };
}

/**
 * Runs the chain on `input` ([n, size, size, 3]); `split` runs each call as two row ranges,
 * [0, k) on thread 0 then [k, rows) on thread 1, with k picked by `split(rows)`.
 */
function runPlan(plan: ChainPlan, relaxed: boolean, input: Float32Array, n: number, split?: (rows: number) => number, shared = false) {
  const { memory, exports } = instantiate(plan, relaxed, shared);
  new Float32Array(memory.buffer, plan.inputOffset, input.length).set(input);
  for (const call of plan.callsFor(n)) {
    const fn = exports[call.fn];
    if (!split) fn(...call.args, 0, call.rows, 0);
    else {
      const k = split(call.rows);
      fn(...call.args, 0, k, 0);
      fn(...call.args, k, call.rows, 1);
    }
  }
  return Float32Array.from(new Float32Array(memory.buffer, plan.outputOffset, n * plan.featureDim));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

let seed = 1;
function random(length: number, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed / 2147483648 - 0.5) * 2 * scale;
  });
}

function convStep(o: {
  k: number; inC: number; outC: number; stride: number; pads: [number, number, number, number];
  inH: number; inW: number; depthwise?: boolean; activation: StepActivation; alpha?: number;
}): ConvStep {
  const out: [number, number, number] = [
    Math.floor((o.inH + o.pads[0] + o.pads[2] - o.k) / o.stride) + 1,
    Math.floor((o.inW + o.pads[1] + o.pads[3] - o.k) / o.stride) + 1,
    o.depthwise ? o.inC : o.outC,
  ];
  const shape: [number, number, number, number] = [o.k, o.k, o.inC, o.depthwise ? 1 : o.outC];
  return {
    op: 'conv', name: 'test', depthwise: !!o.depthwise, shape, kernel: random(shape.reduce((a, b) => a * b), 0.5),
    bias: random(out[2]), strides: [o.stride, o.stride], pads: o.pads, activation: o.activation, alpha: o.alpha ?? 0, out,
  };
}

/** TF.js wasm reference for one step (padding by tf.pad; max pooling pads with −∞ so it never counts). */
function reference(x: tf.Tensor4D, step: ConvStep | MaxPoolStep): tf.Tensor4D {
  const [t, l, b, r] = step.pads;
  const padded = tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]], step.op === 'maxpool' ? -1e30 : 0);
  if (step.op === 'maxpool') return tf.maxPool(padded, step.size, step.strides, 'valid');
  const kernel = tf.tensor4d(step.kernel, step.shape);
  const y = step.depthwise
    ? tf.depthwiseConv2d(padded, kernel, step.strides, 'valid')
    : tf.conv2d(padded, kernel, step.strides, 'valid');
  const z = tf.add(y, tf.tensor1d(step.bias));
  if (step.activation === 'relu') return tf.relu(z) as tf.Tensor4D;
  if (step.activation === 'relu6') return tf.relu6(z) as tf.Tensor4D;
  if (step.activation === 'leakyrelu') return tf.leakyRelu(z, step.alpha) as tf.Tensor4D;
  return z as tf.Tensor4D;
}

/** A chain of `steps` on an `inH`×`inW`×`inC` input, the map flattened (or pooled) at the end. */
function chainOf(steps: Array<ConvStep | MaxPoolStep>, inH: number, pool: boolean): ChainSpec {
  const last = steps[steps.length - 1].out;
  return { id: 'test', inputSize: inH, steps, pool, featureDim: pool ? last[2] : last[0] * last[1] * last[2], macs: 0 };
}

/** Checks a chain against TF.js step by step on a random batch, whole and split at several row boundaries. */
async function expectChainMatches(steps: Array<ConvStep | MaxPoolStep>, size: number, n: number, pool: boolean, options?: PlanOptions) {
  const input = random(n * size * size * 3);
  const want = tf.tidy(() => {
    let x = tf.tensor4d(input, [n, size, size, 3]);
    for (const s of steps) x = reference(x, s);
    return pool ? x.mean([1, 2]) : x.reshape([n, -1]);
  });
  const expected = (await want.data()) as Float32Array;
  want.dispose();
  const plan = planChain(chainOf(steps, size, pool), n + 1, 2, options);
  for (const relaxed of VARIANTS) {
    expect(maxDiff(runPlan(plan, relaxed, input, n), expected)).toBeLessThan(1e-4);
    for (const split of [() => 1, (r: number) => Math.floor(r / 2), (r: number) => r - 1, (r: number) => Math.floor(r / 3) + 1]) {
      expect(maxDiff(runPlan(plan, relaxed, input, n, split, true), expected)).toBeLessThan(1e-4);
    }
  }
}

beforeAll(async () => {
  await setUpTransfer();
});

describe('SIMD kernels against TF.js wasm ops', () => {
  const activations: StepActivation[] = ['linear', 'relu', 'relu6', 'leakyrelu'];

  it.each(activations)('full 3×3 convolutions (RGB input with stride 2 and TF same pads; odd channels, stride 1; 2×2 valid) with %s', async (activation) => {
    const before = tf.memory().numTensors;
    const first = convStep({ k: 3, inC: 3, outC: 13, stride: 2, pads: [0, 0, 1, 1], inH: 17, inW: 17, activation, alpha: 0.1 });
    const second = convStep({ k: 3, inC: 13, outC: 21, stride: 1, pads: [1, 1, 1, 1], inH: 8, inW: 8, activation, alpha: 0.1 });
    const valid = convStep({ k: 2, inC: 21, outC: 5, stride: 1, pads: [0, 0, 0, 0], inH: 8, inW: 8, activation: 'linear' });
    await expectChainMatches([first, second, valid], 17, 3, false);
    // the RGB layer through im2col + GEMM too (the direct rgbconv kernel is the default)
    await expectChainMatches([first, second, valid], 17, 3, false, { rgbConv: false });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(activations)('pointwise 1×1 GEMM with channels not multiples of 4 and pixel counts off the tile size, %s', async (activation) => {
    const first = convStep({ k: 3, inC: 3, outC: 11, stride: 1, pads: [1, 1, 1, 1], inH: 7, inW: 7, activation: 'relu' });
    const pw = convStep({ k: 1, inC: 11, outC: 37, stride: 1, pads: [0, 0, 0, 0], inH: 7, inW: 7, activation, alpha: 0.2 });
    const pw2 = convStep({ k: 1, inC: 37, outC: 64, stride: 1, pads: [0, 0, 0, 0], inH: 7, inW: 7, activation, alpha: 0.2 });
    await expectChainMatches([first, pw, pw2], 7, 5, true);
  });

  it.each([
    [1, [1, 1, 1, 1]], [2, [0, 0, 1, 1]], [2, [1, 1, 1, 1]], [1, [0, 0, 0, 0]], [2, [0, 0, 0, 0]],
  ] as Array<[number, [number, number, number, number]]>)('depthwise 3×3 stride %i pads %j on an odd map with 12 channels', async (stride, pads) => {
    const first = convStep({ k: 3, inC: 3, outC: 12, stride: 1, pads: [1, 1, 1, 1], inH: 11, inW: 11, activation: 'relu6' });
    const steps: ConvStep[] = [first];
    for (const activation of activations) {
      const prev = steps[steps.length - 1].out;
      steps.push(convStep({ k: 3, inC: 12, outC: 12, stride: 1, pads: [1, 1, 1, 1], inH: prev[0], inW: prev[1], depthwise: true, activation, alpha: 0.3 }));
    }
    const prev = steps[steps.length - 1].out;
    steps.push(convStep({ k: 3, inC: 12, outC: 12, stride, pads, inH: prev[0], inW: prev[1], depthwise: true, activation: 'relu' }));
    await expectChainMatches(steps, 11, 3, false);
  });

  it('max pooling 2×2 stride 2 and 2×2 stride 1 with same pads (padding never counts), then global average', async () => {
    const first = convStep({ k: 3, inC: 3, outC: 10, stride: 1, pads: [1, 1, 1, 1], inH: 13, inW: 13, activation: 'leakyrelu', alpha: 0.1 });
    const pool1: MaxPoolStep = { op: 'maxpool', name: 'p1', size: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], out: [6, 6, 10] };
    const pool2: MaxPoolStep = { op: 'maxpool', name: 'p2', size: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1], out: [6, 6, 10] };
    await expectChainMatches([first, pool1, pool2], 13, 2, true);
    await expectChainMatches([first, pool1, pool2], 13, 2, false);
  });

  it('tests the relaxed_madd variant too (Node validates it once the flag is set)', () => {
    expect(VARIANTS).toEqual([false, true]);
  });

  it('rejects batches beyond maxBatch and unsupported depthwise kernels with clear errors', () => {
    const first = convStep({ k: 3, inC: 3, outC: 8, stride: 1, pads: [1, 1, 1, 1], inH: 5, inW: 5, activation: 'relu' });
    const plan = planChain(chainOf([first], 5, true), 2, 1);
    expect(() => plan.callsFor(3)).toThrow(/from 1 to 2/);
    const dw = convStep({ k: 5, inC: 8, outC: 8, stride: 1, pads: [2, 2, 2, 2], inH: 5, inW: 5, depthwise: true, activation: 'relu' });
    expect(() => planChain(chainOf([first, dw], 5, true), 2, 1)).toThrow(/only 3×3 depthwise/);
  });
});

describe.each(['mobilenet_v1_0.25_224', 'darknet_tiny'])('%s chain, single-threaded', (id) => {
  let net: Backbone;
  let batch: tf.Tensor4D;
  beforeAll(async () => {
    net = await loadBackbone(id);
    batch = await net.preprocess(['cat', 'dog', 'ant'].map(photo));
  });
  afterAll(() => {
    batch.dispose();
    net.dispose();
  });

  it('matches net.features on real photos within 1e-3, in both memory kinds, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const spec = describeChain(net);
    const plan = planChain(spec, 4, 1);
    const expected = net.features(batch);
    const want = (await expected.data()) as Float32Array;
    expected.dispose();
    const input = (await batch.data()) as Float32Array;
    for (const relaxed of VARIANTS) {
      for (const shared of [false, true]) {
        const got = runPlan(plan, relaxed, input, 3, undefined, shared);
        expect(maxDiff(got, want)).toBeLessThan(1e-3);
      }
    }
    expect(Math.max(...want)).toBeGreaterThan(0.1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
