/**
 * The SIMD kernels module, assembled at run time: `pointwise`, `conv`,
 * `rgbconv1`/`rgbconv2`,
 * `depthwise`, `maxpool`, `avgpool` and `flatten`, each taking its arguments
 * then `(rowStart, rowEnd, thread)` so a runner can split it over threads.
 * Two variants: `relaxed` uses `f32x4.relaxed_madd` (a hardware FMA where
 * Relaxed SIMD exists: Chromium; Node 20 only behind a flag), otherwise
 * `f32x4.mul` + `f32x4.add`, which every SIMD128 runtime runs.
 */
import { addConv } from './conv-kernel.ts';
import { addDepthwise } from './depthwise-kernel.ts';
import { addGemm, addPointwise } from './gemm-kernel.ts';
import { addAvgPool, addFlatten, addMaxPool } from './pool-kernels.ts';
import { addRgbConv } from './rgb-conv-kernel.ts';
import { FunctionBuilder, ModuleBuilder, V128 } from './wasm-emitter.ts';

export interface KernelsModuleOptions {
  /** Use `f32x4.relaxed_madd` (check `relaxedSimdSupported()` first). */
  relaxed: boolean;
  /** Import the memory as shared (for threads). */
  shared: boolean;
  /** Pages (64 KiB) of the imported memory, initial = maximum. */
  maxPages: number;
  /** Pixels per GEMM microkernel tile (default `GEMM_MR`); a tuning knob for benches. */
  gemmRows?: number;
  /** Interior pixels per depthwise step (default `DEPTHWISE_GROUP`); a tuning knob for benches. */
  depthwiseGroup?: number;
}

/** The module bytes; it imports only `env.memory` and exports the kernels. */
export function buildKernelsModule(options: KernelsModuleOptions): Uint8Array {
  const { relaxed, shared, maxPages } = options;
  if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > 65536) {
    throw new Error(`maxPages must be an integer from 1 to 65536 (64 KiB pages), got ${maxPages}.`);
  }
  const mod = new ModuleBuilder(maxPages, shared);
  const gemm = addGemm(mod, relaxed, options.gemmRows);
  addPointwise(mod, gemm);
  addConv(mod, gemm);
  addRgbConv(mod, relaxed, 1);
  addRgbConv(mod, relaxed, 2);
  addDepthwise(mod, relaxed, options.depthwiseGroup);
  addMaxPool(mod);
  addAvgPool(mod);
  addFlatten(mod);
  return mod.encode();
}

let relaxedCache: boolean | undefined;

/** Whether this runtime validates `f32x4.relaxed_madd` (a one-function module, checked once). */
export function relaxedSimdSupported(): boolean {
  if (relaxedCache === undefined) {
    const mod = new ModuleBuilder(1, false);
    const f = new FunctionBuilder('f', [], [V128]);
    f.f32(1).simd('f32x4Splat').f32(2).simd('f32x4Splat').f32(3).simd('f32x4Splat').simd('f32x4RelaxedMadd');
    mod.add(f);
    relaxedCache = WebAssembly.validate(mod.encode() as BufferSource);
  }
  return relaxedCache;
}
