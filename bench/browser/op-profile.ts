/**
 * Per-kernel time of a TF.js forward pass, grouped by what the kernel is
 * (first conv, depthwise stride 1/2, pointwise 1×1, other), with the
 * multiply-accumulates each does, so time that is not convolution compute
 * shows up by name. Pure TF.js: runs in Node and in the bench page's worker
 * (`runner-worker.ts` op `profile`), used by `tests/bench/wasm-op-profile.ts`
 * and `tests/bench/page-op-profile.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { fuseLayersModel, type Backbone, type FusedModel } from '../../kernels/transfer/index.ts';

type FuseOptions = NonNullable<Parameters<typeof fuseLayersModel>[2]>;

/** One kernel call (median over the profiled passes). */
export interface OpTime {
  kernel: string;
  /** `first-conv`, `depthwise-s1`, `depthwise-s2`, `pointwise`, `conv` or `other`. */
  group: string;
  inShape: number[];
  outShape: number[];
  ms: number;
  macs: number;
}

/** The profile of one forward pass of a batch. */
export interface OpProfile {
  batch: number;
  /** Wall time of a whole pass (median), ms; the ops sum to a little less (dispatch between them). */
  passMs: number;
  ops: OpTime[];
  /** Per group: ms per pass, share of the pass, GFLOP/s (2 FLOPs per MAC). */
  groups: Array<{ group: string; calls: number; ms: number; share: number; gflops: number }>;
}

interface KernelRecord {
  name: string;
  inputShapes: number[][];
  outputShapes: number[][];
  kernelTimeMs: number | { error: string } | Promise<number | { error: string }>;
  extraInfo?: string | Promise<string>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Multiply-accumulates and group of a conv kernel from its input, filter and output shapes. */
function classify(name: string, shapes: number[][], out: number[]): { group: string; macs: number } {
  const conv = /Conv2D$/.test(name) && !/Depthwise/.test(name);
  const depthwise = /DepthwiseConv2d|DepthwiseConv2D/.test(name);
  if (!conv && !depthwise) return { group: 'other', macs: 0 };
  const [x, filter] = shapes;
  const [kh, kw, inC] = filter;
  const outPixels = out[0] * out[1] * out[2];
  if (depthwise) {
    const stride = Math.round(x[1] / out[1]);
    return { group: stride > 1 ? 'depthwise-s2' : 'depthwise-s1', macs: outPixels * out[3] * kh * kw };
  }
  const macs = outPixels * out[3] * kh * kw * inC;
  if (kh === 1 && kw === 1) return { group: 'pointwise', macs };
  return { group: inC === 3 ? 'first-conv' : 'conv', macs };
}

/**
 * Profiles `pass` (which returns the output tensor; it is read and disposed)
 * `passes` times after one warm-up and returns the median time of each
 * kernel call and of each group. `batch` is only recorded.
 */
export async function profilePass(pass: () => tf.Tensor, batch: number, passes = 5): Promise<OpProfile> {
  const warm = pass();
  await warm.data();
  warm.dispose();
  const runs: OpTime[][] = [];
  const walls: number[] = [];
  for (let r = 0; r < passes; r++) {
    const t0 = performance.now();
    const plain = pass();
    await plain.data();
    plain.dispose();
    walls.push(performance.now() - t0);
    const info = await tf.profile(async () => {
      const y = pass();
      await y.data();
      y.dispose();
    });
    const ops: OpTime[] = [];
    for (const k of info.kernels as unknown as KernelRecord[]) {
      // `fusedConv2d__op` and the like are op scopes around the kernel of the same name: counted once, as the kernel.
      if (k.name.endsWith('__op')) continue;
      const time = await k.kernelTimeMs;
      const ms = typeof time === 'number' ? time : NaN;
      const { group, macs } = classify(k.name, k.inputShapes, k.outputShapes[0] ?? []);
      ops.push({ kernel: k.name, group, inShape: k.inputShapes[0] ?? [], outShape: k.outputShapes[0] ?? [], ms, macs });
    }
    runs.push(ops);
  }
  const ops = runs[0].map((op, i) => ({ ...op, ms: median(runs.map((r) => r[i]?.ms ?? NaN)) }));
  const passMs = median(walls);
  const byGroup = new Map<string, { calls: number; ms: number; macs: number }>();
  for (const op of ops) {
    const g = byGroup.get(op.group) ?? { calls: 0, ms: 0, macs: 0 };
    g.calls++;
    g.ms += op.ms;
    g.macs += op.macs;
    byGroup.set(op.group, g);
  }
  const summed = ops.reduce((s, o) => s + o.ms, 0);
  const groups = [...byGroup].map(([group, g]) => ({ group, calls: g.calls, ms: g.ms, share: g.ms / summed, gflops: (2 * g.macs) / (g.ms * 1e6) }));
  groups.push({ group: 'dispatch (pass − Σ ops)', calls: 0, ms: passMs - summed, share: (passMs - summed) / passMs, gflops: 0 });
  return { batch, passMs, ops, groups };
}

/** A fixed-shape kernel timed alone: GFLOP/s of what this wasm build reaches on it. */
export interface KernelSpeed {
  what: string;
  ms: number;
  gflops: number;
}

/**
 * Times single convolutions alone (weights and input made once, `reps`
 * calls after warm-up, median): a large 1×1 conv (XNNPACK's GEMM), the
 * 1×1 convs of MobileNet 0.75's widest and deepest stages, and a 3×3
 * depthwise conv, each with relu6 fused, as the fused backbone runs them.
 */
export async function timeKernels(reps = 7): Promise<KernelSpeed[]> {
  const cases: Array<{ what: string; x: [number, number, number, number]; filter: [number, number, number, number]; depthwise: boolean; stride: number }> = [
    { what: '1×1 conv 8×56×56×192→192 (GEMM M=25088 K=192 N=192)', x: [8, 56, 56, 192], filter: [1, 1, 192, 192], depthwise: false, stride: 1 },
    { what: '1×1 conv 8×28×28×384→384 (GEMM M=6272 K=384 N=384)', x: [8, 28, 28, 384], filter: [1, 1, 384, 384], depthwise: false, stride: 1 },
    { what: '1×1 conv 8×14×14×576→576 (MobileNet 0.75 middle)', x: [8, 14, 14, 576], filter: [1, 1, 576, 576], depthwise: false, stride: 1 },
    { what: '1×1 conv 8×7×7×768→768 (MobileNet 0.75 last)', x: [8, 7, 7, 768], filter: [1, 1, 768, 768], depthwise: false, stride: 1 },
    { what: '1×1 conv 8×112×112×24→48 (MobileNet 0.75 first pointwise)', x: [8, 112, 112, 24], filter: [1, 1, 24, 48], depthwise: false, stride: 1 },
    { what: '3×3 depthwise 8×56×56×144 s1', x: [8, 56, 56, 144], filter: [3, 3, 144, 1], depthwise: true, stride: 1 },
    { what: '3×3 depthwise 8×14×14×576 s1', x: [8, 14, 14, 576], filter: [3, 3, 576, 1], depthwise: true, stride: 1 },
  ];
  const out: KernelSpeed[] = [];
  for (const c of cases) {
    const x = tf.randomUniform(c.x, 0, 1) as tf.Tensor4D;
    const filter = tf.randomUniform(c.filter, -0.1, 0.1) as tf.Tensor4D;
    const bias = tf.randomUniform([c.depthwise ? c.filter[2] : c.filter[3]], -0.1, 0.1) as tf.Tensor1D;
    const args = { x, filter, bias, strides: c.stride, pad: 'same' as const, activation: 'relu6' as const };
    const run = () => (c.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args));
    const y0 = run();
    await y0.data();
    const [, oh, ow, oc] = y0.shape;
    y0.dispose();
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      const y = run();
      await y.data();
      times.push(performance.now() - t0);
      y.dispose();
    }
    const macs = c.x[0] * oh * ow * oc * c.filter[0] * c.filter[1] * (c.depthwise ? 1 : c.filter[2]);
    const ms = median(times);
    out.push({ what: c.what, ms, gflops: (2 * macs) / (ms * 1e6) });
    tf.dispose([x, filter, bias]);
  }
  return out;
}

/** The profile as a Markdown table (groups, then every op when `detail`). */
export function profileTable(p: OpProfile, detail = false): string {
  const lines = [
    `batch ${p.batch}: pass ${p.passMs.toFixed(1)} ms = ${((p.batch * 1000) / p.passMs).toFixed(1)} img/s`,
    '',
    '| group | calls | ms/pass | share | GFLOP/s |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...p.groups.map((g) => `| ${g.group} | ${g.calls} | ${g.ms.toFixed(2)} | ${(100 * g.share).toFixed(1)}% | ${g.gflops ? g.gflops.toFixed(1) : ''} |`),
  ];
  if (detail) {
    lines.push('', '| kernel | group | in | out | ms | GFLOP/s |', '| --- | --- | --- | --- | ---: | ---: |');
    for (const o of p.ops) {
      lines.push(`| ${o.kernel} | ${o.group} | ${o.inShape.join('×')} | ${o.outShape.join('×')} | ${o.ms.toFixed(3)} | ${o.macs ? ((2 * o.macs) / (o.ms * 1e6)).toFixed(1) : ''} |`);
    }
  }
  return lines.join('\n');
}

/** Throughput (img/s) of `features` at each batch size, interleaved (`compareRates`). */
export async function ratesByBatch(features: (x: tf.Tensor4D) => tf.Tensor, all: tf.Tensor4D, batches: number[], runs = 5, images = 16) {
  return compareRates(batches.map((batch) => ({ name: `batch ${batch}`, batch, features })), all, runs, images);
}

/** One way of computing features, timed against others by `compareRates`. */
export interface RateCase {
  name: string;
  batch: number;
  features(x: tf.Tensor4D): tf.Tensor;
}

/**
 * Throughput (img/s) of each case, all cases interleaved within every run
 * (so load changes hit all alike): median, best and worst of `runs`; each
 * timing covers ≥ `images` images in whole batches of the case's size.
 */
export async function compareRates(cases: RateCase[], all: tf.Tensor4D, runs = 5, images = 16): Promise<Array<{ name: string; batch: number; imgPerSec: number; min: number; max: number }>> {
  const inputs = cases.map((c) => all.slice(0, c.batch) as tf.Tensor4D);
  const rates = cases.map(() => [] as number[]);
  for (let r = -1; r < runs; r++) {
    for (let i = 0; i < cases.length; i++) {
      const calls = Math.max(1, Math.ceil(images / cases[i].batch));
      const t0 = performance.now();
      for (let c = 0; c < calls; c++) {
        const y = cases[i].features(inputs[i]);
        await y.data();
        y.dispose();
      }
      if (r >= 0) rates[i].push((calls * cases[i].batch * 1000) / (performance.now() - t0));
    }
  }
  tf.dispose(inputs);
  return cases.map((c, i) => ({ name: c.name, batch: c.batch, imgPerSec: median(rates[i]), min: Math.min(...rates[i]), max: Math.max(...rates[i]) }));
}

/** The run strategies of the fused backbone compared by the profilers (`fuseLayersModel` options). */
export const RUN_VARIANTS: Array<{ name: string; options: FuseOptions }> = [
  { name: 'keep all intermediates (before)', options: { freeEarly: false } },
  { name: 'free each intermediate once read (now)', options: { freeEarly: true } },
];

/**
 * `compareRates` cases for each `RUN_VARIANTS` entry at each batch size,
 * built from the backbone's layers model (its own folded weights each);
 * call `dispose` after.
 */
export function variantCases(net: Backbone, batches: number[], names?: string[]): { cases: RateCase[]; dispose(): void } {
  const models: FusedModel[] = [];
  const cases: RateCase[] = [];
  for (const v of RUN_VARIANTS.filter((r) => !names || names.some((n) => r.name.includes(n)))) {
    const fused = fuseLayersModel(net.model!, [net.info.featureLayer], v.options);
    if (!fused) throw new Error(`${net.info.id} is not a chain of layers`);
    models.push(fused);
    for (const batch of batches) {
      cases.push({
        name: v.name,
        batch,
        features: (x) =>
          tf.tidy(() => {
            const y = fused.run(x, net.info.featureLayer);
            return y.rank === 4 ? y.mean([1, 2]) : y;
          }),
      });
    }
  }
  return { cases, dispose: () => models.forEach((m) => m.dispose()) };
}
