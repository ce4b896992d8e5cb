/**
 * What wasm SIMD itself can reach on this CPU, one thread: 12 independent
 * accumulator chains of `f32x4.mul` + `f32x4.add` (what TF.js 4.22's XNNPACK
 * build emits: wasm SIMD128 has no fused multiply-add), and the same with
 * `f32x4.relaxed_madd` (Relaxed SIMD, which V8 lowers to a hardware FMA).
 * The module is assembled here byte by byte (no toolchain needed); runs in
 * Node and in the bench page's worker.
 */

import { uleb } from '../../kernels/transfer/simd/wasm-emitter.ts';

const CHAINS = 12;

const leb = uleb;
const simd = (op: number) => [0xfd, ...leb(op)];
const F32X4_SPLAT = 0x13;
const F32X4_EXTRACT_LANE = 0x1f;
const F32X4_ADD = 0xe4;
const F32X4_MUL = 0xe6;
const F32X4_RELAXED_MADD = 0x105;

/** `run(iterations) -> f32`: `CHAINS` accumulators, each `acc = acc + x·m` (two ops, or one relaxed_madd) per iteration. */
function peakModule(fma: boolean): Uint8Array {
  const acc = (i: number) => 1 + i; // locals 1..12
  const x = (i: number) => 1 + CHAINS + i; // locals 13..24
  const m = 1 + 2 * CHAINS; // local 25
  const f32 = (v: number) => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
  const body: number[] = [0x01, 2 * CHAINS + 1, 0x7b]; // locals: 25 × v128
  for (let i = 0; i < CHAINS; i++) body.push(...f32(1e-3 * (i + 1)), ...simd(F32X4_SPLAT), 0x21, x(i));
  body.push(...f32(0.999999), ...simd(F32X4_SPLAT), 0x21, m);
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop
  for (let i = 0; i < CHAINS; i++) {
    if (fma) body.push(0x20, x(i), 0x20, m, 0x20, acc(i), ...simd(F32X4_RELAXED_MADD), 0x21, acc(i));
    else body.push(0x20, acc(i), 0x20, x(i), 0x20, m, ...simd(F32X4_MUL), ...simd(F32X4_ADD), 0x21, acc(i));
  }
  // iterations -= 1; loop while non-zero
  body.push(0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x0b);
  body.push(0x20, acc(0));
  for (let i = 1; i < CHAINS; i++) body.push(0x20, acc(i), ...simd(F32X4_ADD));
  body.push(...simd(F32X4_EXTRACT_LANE), 0x00, 0x0b);
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7d]), // (i32) -> f32
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00]), // export "run"
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}

/** GFLOP/s (2 per multiply-add lane) of one thread; `undefined` for relaxed_madd where Relaxed SIMD is not available. */
export interface SimdPeak {
  mulAdd: number;
  relaxedMadd: number | undefined;
}

async function timeModule(bytes: Uint8Array, iterations: number, runs: number): Promise<number | undefined> {
  let instance: WebAssembly.Instance;
  try {
    instance = (await WebAssembly.instantiate(bytes as BufferSource)).instance;
  } catch {
    return undefined;
  }
  const run = instance.exports.run as (n: number) => number;
  run(iterations / 10);
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    run(iterations);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (2 * 4 * CHAINS * iterations) / s / 1e9);
  }
  return best;
}

/** Best of `runs` timings of each loop (the peak is the best, as for the native FMA loops). */
export async function measureSimdPeak(iterations = 20_000_000, runs = 5): Promise<SimdPeak> {
  const mulAdd = await timeModule(peakModule(false), iterations, runs);
  if (mulAdd === undefined) throw new Error('This runtime has no WebAssembly SIMD.');
  return { mulAdd, relaxedMadd: await timeModule(peakModule(true), iterations, runs) };
}
