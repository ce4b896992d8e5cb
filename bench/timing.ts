/** How a throughput is measured: warm-up calls, then `runs` timed runs of `calls` calls each. */
export interface TimingPlan {
  runs: number;
  warmup: number;
  /** Each run does ⌈imagesPerRun / batch⌉ calls, so small batches are not timed on one call. */
  imagesPerRun: number;
}

/** Images per second of one measured configuration: every run, and its median/min/max. */
export interface Throughput {
  batch: number;
  runs: number[];
  median: number;
  min: number;
  max: number;
}

/** Median, min and max of the per-run rates. */
export function summarise(batch: number, runs: number[]): Throughput {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { batch, runs, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Times `call` (one batch of `batch` images, awaited) under `plan`. */
export async function measure(batch: number, plan: TimingPlan, call: () => unknown): Promise<Throughput> {
  const calls = Math.max(1, Math.ceil(plan.imagesPerRun / batch));
  for (let i = 0; i < plan.warmup; i++) await call();
  const runs: number[] = [];
  for (let r = 0; r < plan.runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await call();
    runs.push((calls * batch) / ((performance.now() - t0) / 1000));
  }
  return summarise(batch, runs);
}

/** Max abs difference of two equally long arrays (Infinity when lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return Number.isNaN(max) ? Infinity : max;
}
