/**
 * The timing half of the thread-pool bench: plain code with no Node imports,
 * so the same function runs in Node and (bundled) in a module Web Worker of a
 * cross-origin-isolated Chromium page, where the Tailor kernel runs.
 */
import { createParallelRunner, type ParallelRunnerOptions } from '../../kernels/transfer/simd/thread-pool.ts';
import type { KernelCall, ParallelRunner } from '../../kernels/transfer/simd/types.ts';
import { buildToyModule, toyMemory } from '../unit/simd-toy-module.ts';

const PAGES = 16;

/** Rows of the bench table: label, figure, figure. */
export type TimingRow = [string, string, string];

async function open(threads: number, options: ParallelRunnerOptions = {}): Promise<ParallelRunner> {
  const shape = { shared: threads > 1, pages: PAGES };
  return createParallelRunner(buildToyModule(shape), toyMemory(shape), threads, options);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of `runner.run(calls)` over `rounds` timings (each repeats it `repeat` times), after `warm` untimed ones. */
function time(runner: ParallelRunner, calls: KernelCall[], repeat: number, rounds: number, warm = 2): number {
  const times: number[] = [];
  for (let r = -warm; r < rounds; r++) {
    const t0 = performance.now();
    for (let k = 0; k < repeat; k++) runner.run(calls);
    if (r >= 0) times.push((performance.now() - t0) / repeat);
  }
  return median(times);
}

/** Iterations per row of `work` so that `calls` calls of `rows` rows take about `ms` on one thread. */
async function calibrate(rows: number, calls: number, ms: number): Promise<number> {
  const runner = await open(1);
  const probe = 20_000;
  const t = time(runner, [{ fn: 'work', args: [probe, 0], rows }], 3, 5);
  runner.dispose();
  return Math.max(1, Math.round((probe * ms) / (t * calls)));
}

const fmt = (v: number, digits = 2) => v.toFixed(digits);

/**
 * Barrier cost (µs per call of a batch of 100 empty 8-row calls; µs per `run` of one such call) for 1 thread
 * and 2 threads with the default spin and none, then the 2-thread speed-up of a compute-bound toy kernel on one
 * big call and on MobileNet-like batches (30 calls of 14 rows, ~10 ms on one thread). 1 and 2 threads alternate,
 * so both see the same machine load.
 */
export async function timeThreadPool(rounds: number): Promise<TimingRow[]> {
  const rows: TimingRow[] = [];
  const empties: KernelCall[] = Array.from({ length: 100 }, () => ({ fn: 'empty', args: [], rows: 8 }));
  const single: KernelCall[] = [{ fn: 'empty', args: [], rows: 8 }];
  const configs: Array<[string, number, ParallelRunnerOptions]> = [
    ['1 thread (inline)', 1, {}],
    ['2 threads, spin 150 µs', 2, {}],
    ['2 threads, no spin', 2, { spinMicros: 0 }],
  ];
  for (const [label, threads, options] of configs) {
    const runner = await open(threads, options);
    // Long warm-up: the first thousands of calls run unoptimised JavaScript (and baseline wasm).
    const perCall = (time(runner, empties, 20, rounds, 10) * 1000) / empties.length;
    const perRun = time(runner, single, 200, rounds, 10) * 1000;
    rows.push([`empty calls, ${label}`, `${fmt(perCall)} µs/call`, `${fmt(perRun)} µs/run (1 call)`]);
    runner.dispose();
  }
  const big: KernelCall[] = [{ fn: 'work', args: [await calibrate(1000, 1, 50), 0], rows: 1000 }];
  const smallIterations = await calibrate(14, 30, 10);
  const mobileLike: KernelCall[] = Array.from({ length: 30 }, () => ({ fn: 'work', args: [smallIterations, 0], rows: 14 }));
  for (const [label, calls, repeat] of [
    ['1 call × 1000 rows (~50 ms)', big, 1],
    ['30 calls × 14 rows (~10 ms)', mobileLike, 3],
  ] as const) {
    const one = await open(1);
    const two = await open(2);
    const t1: number[] = [];
    const t2: number[] = [];
    for (let k = 0; k < 3; k++) {
      t1.push(time(one, calls, repeat, rounds));
      t2.push(time(two, calls, repeat, rounds));
    }
    rows.push([`work ${label}`, `1 thread ${fmt(median(t1))} ms, 2 threads ${fmt(median(t2))} ms`, `speed-up ×${fmt(median(t1) / median(t2))}`]);
    one.dispose();
    two.dispose();
  }
  return rows;
}
