/**
 * The timing half of the SIMD kernels bench, as one self-contained function
 * (no imports, no closures) so the same code runs in Node and, through
 * `page.evaluate`, in Chromium. Binary inputs travel as base64.
 */

/** One module variant with its jobs: each job is a list of kernel calls timed together. */
export interface TimingPayload {
  pages: number;
  weights: Array<{ offset: number; b64: string }>;
  inputOffset: number;
  inputFloats: number;
  variants: Array<{ name: string; module: string }>;
  jobs: Array<{ name: string; calls: Array<{ fn: string; args: number[]; rows: number }>; runs: number; warm: number }>;
  /** 12-chain multiply-add loops importing a 1-page `env.memory`, `run(iterations)`; GFLOP/s = 96·iterations / s / 1e9. */
  peaks: Array<{ name: string; module: string }>;
  peakIterations: number;
}

export interface TimingResult {
  /** Median seconds per job, per variant. */
  seconds: Record<string, Record<string, number>>;
  /** Fastest run in seconds per job, per variant (less sensitive to other load on the machine). */
  best: Record<string, Record<string, number>>;
  /** Milliseconds of the very first whole-chain run per variant (baseline compiler, cold caches). */
  firstMs: Record<string, number>;
  /** Best GFLOP/s per peak loop (undefined when the runtime rejects the module). */
  peaks: Record<string, number | undefined>;
}

/** Runs everything in `p`; must stay free of outer references (it is serialised into a page). */
export async function timeKernels(p: TimingPayload): Promise<TimingResult> {
  const bytesOf = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  const out: TimingResult = { seconds: {}, best: {}, firstMs: {}, peaks: {} };
  for (const peak of p.peaks) {
    try {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
      const inst = (await WebAssembly.instantiate(bytesOf(peak.module), { env: { memory } })).instance;
      const run = inst.exports.run as (n: number) => number;
      run(p.peakIterations / 10);
      let best = 0;
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        run(p.peakIterations);
        best = Math.max(best, (96 * p.peakIterations) / ((performance.now() - t0) / 1000) / 1e9);
      }
      out.peaks[peak.name] = best;
    } catch {
      out.peaks[peak.name] = undefined;
    }
  }
  for (const variant of p.variants) {
    const memory = new WebAssembly.Memory({ initial: p.pages, maximum: p.pages });
    let instance: WebAssembly.Instance;
    try {
      instance = (await WebAssembly.instantiate(bytesOf(variant.module), { env: { memory } })).instance;
    } catch {
      continue;
    }
    const ex = instance.exports as Record<string, (...a: number[]) => void>;
    for (const w of p.weights) new Uint8Array(memory.buffer, w.offset).set(bytesOf(w.b64));
    const input = new Float32Array(memory.buffer, p.inputOffset, p.inputFloats);
    for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.001);
    const runCalls = (calls: TimingPayload['jobs'][number]['calls']) => {
      for (const c of calls) ex[c.fn](...c.args, 0, c.rows, 0);
    };
    const seconds: Record<string, number> = {};
    const best: Record<string, number> = {};
    p.jobs.forEach((job, j) => {
      const t0 = performance.now();
      runCalls(job.calls);
      if (j === 0) out.firstMs[variant.name] = performance.now() - t0;
      for (let i = 1; i < job.warm; i++) runCalls(job.calls);
      const t: number[] = [];
      for (let i = 0; i < job.runs; i++) {
        const s = performance.now();
        runCalls(job.calls);
        t.push((performance.now() - s) / 1000);
      }
      t.sort((a, b) => a - b);
      seconds[job.name] = t[Math.floor(t.length / 2)];
      best[job.name] = t[0];
    });
    out.seconds[variant.name] = seconds;
    out.best[variant.name] = best;
  }
  return out;
}
