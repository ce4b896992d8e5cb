/**
 * Shared types of the SIMD engine (issue #9): the kernels module's plan for a
 * backbone chain (`ChainPlan`, a list of `KernelCall`s) and the runner that
 * splits each call over threads (`ParallelRunner`). Plain data so the thread
 * pool can post calls to workers unchanged.
 */

/** One kernel invocation over `rows` independent rows: called as `exports[fn](...args, rowStart, rowEnd, thread)`. */
export interface KernelCall {
  fn: string;
  /** i32 arguments (byte offsets into memory, sizes, activation code, and f32 alpha passed as an f32 param). */
  args: number[];
  /** Rows the call can be split into (e.g. n·outH output rows); any split [a, b) must give the same result. */
  rows: number;
  /**
   * Threads claim rows in multiples of this (default 1), except for the last chunk of the call; e.g. the GEMM's
   * tile height, so no chunk but the last ends in a short, slower tile.
   */
  grain?: number;
}

export interface ChainPlan {
  /** Bytes of memory the plan needs (weights + activations for maxBatch + per-thread scratch); 64 KiB pages = ceil(/65536). */
  memoryBytes: number;
  /** Copy each into memory at `offset` (bytes, 16-aligned) once, before running. */
  weights: Array<{ offset: number; data: Float32Array }>;
  /** Where the caller writes a preprocessed NHWC batch `[n, size, size, 3]` (bytes). */
  inputOffset: number;
  /** Where the feature rows `[n, featureDim]` are after `callsFor(n)` ran (bytes). */
  outputOffset: number;
  maxBatch: number;
  featureDim: number;
  /** The calls for a batch of n ≤ maxBatch images, in order; a barrier separates consecutive calls. */
  callsFor(n: number): KernelCall[];
}

export interface ParallelRunner {
  readonly threads: number;
  /** Thread 0's instance exports (the calling thread is thread 0 and does its share of every call). */
  readonly exports: WebAssembly.Exports;
  /**
   * Runs the calls in order, each split over the threads, all threads finished with call i before any starts
   * call i+1. Synchronous: the caller blocks (Atomics.wait) — allowed in workers and in Node, not on a page's
   * main thread (throw a clear error there when threads > 1). threads = 1 runs inline without workers.
   */
  run(calls: KernelCall[]): void;
  /** Stops the workers. */
  dispose(): void;
}
