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

/** A runner ready to time one batch size: `run(calls)` makes `calls` calls and returns the seconds they took. */
export interface Timed {
  run(calls: number): Promise<number>;
  release(): Promise<void> | void;
}

/** Wraps an awaited call as a Timed (timed here, in this process). */
export function timedCalls(call: () => unknown, release: () => void = () => {}): Timed {
  return {
    async run(calls) {
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) await call();
      return (performance.now() - t0) / 1000;
    },
    release,
  };
}

/**
 * Times several runners at one batch size, interleaved: after each has
 * warmed up, run r times every runner once (rotating who goes first), so
 * other load on the machine hits all of them alike and their ratios stay
 * meaningful. Each run makes ⌈imagesPerRun / batch⌉ calls.
 */
export async function measureInterleaved(runners: Array<{ key: string; prepare: () => Promise<Timed> }>, batch: number, plan: TimingPlan): Promise<Map<string, Throughput>> {
  const calls = Math.max(1, Math.ceil(plan.imagesPerRun / batch));
  const ready: Array<{ key: string; timed: Timed; rates: number[] }> = [];
  try {
    for (const r of runners) ready.push({ key: r.key, timed: await r.prepare(), rates: [] });
    for (const r of ready) if (plan.warmup > 0) await r.timed.run(plan.warmup);
    for (let run = 0; run < plan.runs; run++) {
      for (let k = 0; k < ready.length; k++) {
        const r = ready[(run + k) % ready.length];
        r.rates.push((calls * batch) / (await r.timed.run(calls)));
      }
    }
    return new Map(ready.map((r) => [r.key, summarise(batch, r.rates)]));
  } finally {
    for (const r of ready) await r.timed.release();
  }
}

/** Max abs difference of two equally long arrays (Infinity when lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return Number.isNaN(max) ? Infinity : max;
}
