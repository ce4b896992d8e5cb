/**
 * Micro bench of the SIMD kernels (issue #9), single thread, in Node:
 * GFLOP/s per kernel type on the real MobileNet 0.75 layer shapes, whole-chain
 * img/s for MobileNet 0.25 / 0.75 and Darknet tiny, and % of the one-thread
 * SIMD128 peak (`measureSimdPeak`), for the mul+add and the relaxed_madd
 * variants. Run: `flock /tmp/bench.lock npx tsx tests/bench/simd-kernels.ts [--batch 8] [--only mobilenet_v1_0.75_224] [--chromium | --threads 2]`
 * (`--chromium`: the same timing function in headless Chromium, where relaxed_madd is a hardware FMA;
 * `--threads 2`: in Node, also the whole chain on the THREADS helper's runner with a shared memory).
 */
import v8 from 'node:v8';
import { describeChain, loadBackbone } from '../../kernels/transfer/index.ts';
import type { ChainSpec } from '../../kernels/transfer/onnx/chain-spec.ts';
import { buildKernelsModule, relaxedSimdSupported } from '../../kernels/transfer/simd/kernels-module.ts';
import { planChain } from '../../kernels/transfer/simd/plan-chain.ts';
import { createParallelRunner } from '../../kernels/transfer/simd/thread-pool.ts';
import { FunctionBuilder, I32, ModuleBuilder, V128 } from '../../kernels/transfer/simd/wasm-emitter.ts';
import { launchChromium } from '../browser/chromium.ts';
import { setUpTransfer } from '../support/transfer-env.ts';
import { timeKernels, type TimingPayload, type TimingResult } from './simd-kernels-page.ts';

// Node 20 has Relaxed SIMD only behind this flag; set before any module is compiled so both variants are timed.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const BATCH = Number(opt('batch', '8'));
const ONLY = opt('only', '');
const CHROMIUM = args.includes('--chromium');
const THREADS = Number(opt('threads', '1'));
const IDS = ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224', 'darknet_tiny'].filter((id) => !ONLY || id === ONLY);

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * The one-thread SIMD128 peak: 12 independent chains `acc = acc·m + x` (one
 * relaxed_madd, or mul + add). Unlike bench/browser/simd-peak.ts (12 accumulators
 * + 12 multiplicands + m = 25 live v128 values, more than x64's 15 usable xmm
 * registers, so V8 spills), this keeps 14 values live and nothing spills.
 */
function peakModule(relaxed: boolean): Uint8Array {
  const mod = new ModuleBuilder(1, false);
  const f = new FunctionBuilder('run', [I32], [0x7d]);
  const acc = Array.from({ length: 12 }, () => f.local(V128));
  const x = f.local(V128);
  const m = f.local(V128);
  f.f32(1e-3).simd('f32x4Splat').set(x);
  f.f32(0.999999).simd('f32x4Splat').set(m);
  f.doWhile(
    () => {
      for (let i = 0; i < 12; i++) {
        if (relaxed) f.get(acc[i]).get(m).get(x).simd('f32x4RelaxedMadd').set(acc[i]);
        else f.get(acc[i]).get(m).simd('f32x4Mul').get(x).simd('f32x4Add').set(acc[i]);
      }
      f.get(0).i32(1).sub().tee(0);
    },
    () => undefined,
  );
  f.get(acc[0]);
  for (let i = 1; i < 12; i++) f.get(acc[i]).simd('f32x4Add');
  f.emit(0xfd, 0x1f, 0x00); // f32x4.extract_lane 0
  mod.add(f);
  return mod.encode();
}

/** MACs of step i (convolutions only; pools and the final pooling count 0). */
function stepMacs(spec: ChainSpec, i: number, n: number): number {
  const s = spec.steps[i];
  return s?.op === 'conv' ? n * s.out[0] * s.out[1] * s.shape[0] * s.shape[1] * s.shape[2] * s.shape[3] : 0;
}

async function runTiming(payload: TimingPayload): Promise<TimingResult> {
  if (!CHROMIUM) return timeKernels(payload);
  const session = await launchChromium();
  try {
    const page = await session.newPage();
    // tsx keeps function names with an `__name` helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    return await page.evaluate(`(${timeKernels.toString()})(${JSON.stringify(payload)})`);
  } finally {
    await session.close();
  }
}

await setUpTransfer();
const relaxedHere = CHROMIUM || relaxedSimdSupported();
const peaksPayload = [
  { name: 'mul+add', module: b64(peakModule(false)) },
  { name: 'relaxed_madd', module: b64(peakModule(true)) },
];
let peaks: TimingResult['peaks'] | undefined;
console.log(`SIMD kernels bench, ${CHROMIUM ? 'Chromium' : `Node ${process.version}`}, one thread, batch ${BATCH}`);

for (const id of IDS) {
  const net = await loadBackbone(id);
  const spec = describeChain(net);
  net.dispose();
  const plan = planChain(spec, BATCH, 1);
  const pages = Math.ceil(plan.memoryBytes / 65536);
  const calls = plan.callsFor(BATCH);
  const detail = id.includes('0.75') || ONLY === id;
  const variants = [false, ...(relaxedHere ? [true] : [])].map((relaxed) => ({
    name: relaxed ? 'relaxed_madd' : 'mul+add',
    module: b64(buildKernelsModule({ relaxed, shared: false, maxPages: pages })),
  }));
  const payload: TimingPayload = {
    pages,
    weights: plan.weights.map((w) => ({ offset: w.offset, b64: b64(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength)) })),
    inputOffset: plan.inputOffset,
    inputFloats: BATCH * spec.inputSize ** 2 * 3,
    variants,
    jobs: [
      { name: 'chain', calls, runs: 9, warm: 3 },
      ...(detail ? calls.map((c, i) => ({ name: `${i}`, calls: [c], runs: 5, warm: 2 })) : []),
    ],
    peaks: peaks ? [] : peaksPayload,
    peakIterations: 5_000_000,
  };
  const result = await runTiming(payload);
  if (!peaks) {
    peaks = result.peaks;
    console.log(`SIMD128 one-thread peak: mul+add ${peaks['mul+add']?.toFixed(1)} GFLOP/s, relaxed_madd ${peaks['relaxed_madd']?.toFixed(1) ?? 'n/a'} GFLOP/s`);
  }
  for (const { name } of variants) {
    const seconds = result.seconds[name];
    if (!seconds) continue;
    const ref = peaks[name] ?? peaks['mul+add']!;
    const best = result.best[name];
    const gflops = (2 * spec.macs * BATCH) / seconds.chain / 1e9;
    const bestGflops = (2 * spec.macs * BATCH) / best.chain / 1e9;
    console.log(
      `\n${id} ${name}: ${(BATCH / seconds.chain).toFixed(1)} img/s median (best ${(BATCH / best.chain).toFixed(1)}), ` +
        `${gflops.toFixed(1)} GFLOP/s = ${((100 * gflops) / ref).toFixed(0)}% of peak (best ${bestGflops.toFixed(1)} = ${((100 * bestGflops) / ref).toFixed(0)}%)` +
        ` (first run ${result.firstMs[name].toFixed(0)} ms vs ${(seconds.chain * 1000).toFixed(0)} ms warm)`,
    );
    if (!CHROMIUM && THREADS > 1) await timeThreads(spec, name === 'relaxed_madd', ref);
    if (!detail) continue;
    const byFn = new Map<string, { s: number; macs: number }>();
    calls.forEach((c, i) => {
      const e = byFn.get(c.fn) ?? { s: 0, macs: 0 };
      e.s += best[`${i}`];
      e.macs += stepMacs(spec, i, BATCH);
      byFn.set(c.fn, e);
    });
    const total = [...byFn.values()].reduce((a, e) => a + e.s, 0);
    for (const [fn, e] of byFn) {
      const g = (2 * e.macs) / e.s / 1e9;
      console.log(
        `  ${fn.padEnd(10)} ${(e.s * 1000).toFixed(1).padStart(7)} ms (${((100 * e.s) / total).toFixed(0).padStart(2)}%)  ` +
          (e.macs ? `${g.toFixed(1)} GFLOP/s = ${((100 * g) / ref).toFixed(0)}% of peak` : ''),
      );
    }
  }
}

/** The whole chain on `THREADS` threads (shared memory, the thread pool), in Node. */
async function timeThreads(spec: ChainSpec, relaxed: boolean, ref: number): Promise<void> {
  const plan = planChain(spec, BATCH, THREADS);
  const pages = Math.ceil(plan.memoryBytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const runner = await createParallelRunner(buildKernelsModule({ relaxed, shared: true, maxPages: pages }), memory, THREADS);
  try {
    for (const w of plan.weights) new Float32Array(memory.buffer, w.offset, w.data.length).set(w.data);
    const input = new Float32Array(memory.buffer, plan.inputOffset, BATCH * spec.inputSize ** 2 * 3);
    for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.001);
    const calls = plan.callsFor(BATCH);
    for (let i = 0; i < 3; i++) runner.run(calls);
    const t: number[] = [];
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      runner.run(calls);
      t.push((performance.now() - t0) / 1000);
    }
    t.sort((a, b) => a - b);
    const g = (s: number) => (2 * spec.macs * BATCH) / s / 1e9;
    console.log(
      `  ${THREADS} threads: ${(BATCH / t[4]).toFixed(1)} img/s median (best ${(BATCH / t[0]).toFixed(1)}), ` +
        `${g(t[4]).toFixed(1)} GFLOP/s = ${((100 * g(t[4])) / (THREADS * ref)).toFixed(0)}% of ${THREADS}× the one-thread peak`,
    );
  } finally {
    runner.dispose();
  }
}
