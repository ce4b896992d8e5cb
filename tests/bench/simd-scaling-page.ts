/**
 * The timing half of the SIMD scaling bench: runs in a module Web Worker of a
 * cross-origin-isolated Chromium page (bundled by esbuild), or in Node. For each
 * model: one shared memory, a 1-thread and a 2-thread runner on the same module,
 * the chain timed on both (alternating, so both see the same load), and
 * optionally each call alone on both (per-layer scaling).
 */
import { createParallelRunner, type ParallelRunnerOptions } from '../../kernels/transfer/simd/thread-pool.ts';
import type { KernelCall } from '../../kernels/transfer/simd/types.ts';

export interface ScalingModel {
  id: string;
  macs: number;
  pages: number;
  module: Uint8Array;
  /** Weights as one blob with their offsets (bytes). */
  weights: Uint8Array;
  weightParts: Array<{ offset: number; at: number; bytes: number }>;
  inputOffset: number;
  inputFloats: number;
  /** Call lists to compare: variant name → batch → calls. */
  variants: Array<{ name: string; batch: number; calls: KernelCall[] }>;
  perCall: boolean;
  /** Options of the 2-thread runners to compare (default: the pool's defaults only). */
  runners?: ParallelRunnerOptions[];
}

export interface ScalingRow {
  id: string;
  variant: string;
  batch: number;
  threads: number;
  /** The 2-thread runner's options, when several were compared. */
  spin?: string;
  imgPerSec: number;
  best: number;
  /** Median ms per call index when timed alone. */
  perCallMs?: number[];
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function timeScaling(models: ScalingModel[], rounds: number): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (const m of models) {
    const memory = new WebAssembly.Memory({ initial: m.pages, maximum: m.pages, shared: true } as WebAssembly.MemoryDescriptor);
    const bytes = new Uint8Array(memory.buffer);
    for (const p of m.weightParts) bytes.set(m.weights.subarray(p.at, p.at + p.bytes), p.offset);
    const input = new Float32Array(memory.buffer, m.inputOffset, m.inputFloats);
    for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.001);
    const runners = [{ spin: undefined as string | undefined, r: await createParallelRunner(m.module, memory, 1) }];
    for (const o of m.runners ?? [undefined]) runners.push({ spin: o && JSON.stringify(o), r: await createParallelRunner(m.module, memory, 2, o ?? {}) });
    for (const v of m.variants) {
      for (const { r } of runners) for (let k = 0; k < 3; k++) r.run(v.calls);
    }
    const times = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const v of m.variants) {
        for (const { r, spin } of runners) {
          const t0 = performance.now();
          r.run(v.calls);
          const key = `${v.name}|${v.batch}|${r.threads}|${spin}`;
          (times.get(key) ?? times.set(key, []).get(key)!).push((performance.now() - t0) / 1000);
        }
      }
    }
    for (const v of m.variants) {
      for (const { r, spin } of runners) {
        const t = times.get(`${v.name}|${v.batch}|${r.threads}|${spin}`)!;
        const row: ScalingRow = { id: m.id, variant: v.name, batch: v.batch, threads: r.threads, spin, imgPerSec: v.batch / median(t), best: v.batch / Math.min(...t) };
        if (m.perCall) {
          row.perCallMs = v.calls.map((c) => {
            const ts: number[] = [];
            for (let k = 0; k < 7; k++) {
              const t0 = performance.now();
              r.run([c]);
              if (k >= 2) ts.push(performance.now() - t0);
            }
            return median(ts);
          });
        }
        rows.push(row);
      }
    }
    for (const { r } of runners) r.dispose();
  }
  return rows;
}
