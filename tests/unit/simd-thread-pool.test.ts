// The SIMD engine's thread pool in Node (kernels/transfer/simd/thread-pool.ts), driven with a toy wasm module
// of its own: same results on 1, 2 and 3 threads, every row done exactly once, barriers between calls, traps
// in any thread surfacing as errors, clear errors for bad calls, and workers that never keep the process alive.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { createParallelRunner, type ParallelRunnerOptions } from '../../kernels/transfer/simd/thread-pool.ts';
import type { KernelCall, ParallelRunner } from '../../kernels/transfer/simd/types.ts';
import { buildToyModule, expectedToyBatch, runToyBatch, TOY_AREA, TOY_PAGES, toyMemory } from './simd-toy-module.ts';

const PAGES = TOY_PAGES;
const { dst: DST, count: COUNT, owner: OWNER, flag: FLAG, scale: SCALE } = TOY_AREA;

interface Toy {
  runner: ParallelRunner;
  memory: WebAssembly.Memory;
  i32: Int32Array;
}

const opened: ParallelRunner[] = [];
afterAll(() => opened.forEach((r) => r.dispose()));

async function openToy(threads: number, options: ParallelRunnerOptions = {}): Promise<Toy> {
  const shape = { shared: threads > 1, pages: PAGES };
  const memory = toyMemory(shape);
  const runner = await createParallelRunner(buildToyModule(shape), memory, threads, options);
  opened.push(runner);
  return { runner, memory, i32: new Int32Array(memory.buffer) };
}

const runBatch = (toy: Toy, count: number, seed: number) => runToyBatch((calls) => toy.runner.run(calls), toy.memory, count, seed);

describe.each([1, 2, 3])('%i thread(s)', (threads) => {
  test('consecutive calls of 0 to 1000 rows give the reference results, each row once, barriers holding', async () => {
    const toy = await openToy(threads);
    expect(toy.runner.threads).toBe(threads);
    // 24 calls fit the first control block; 150 make it grow (and the workers reload it) mid-way.
    for (const [count, seed] of [[12, 0], [75, 5], [12, 3], [75, 1], [3, 2]]) {
      for (let repeat = 0; repeat < 3; repeat++) {
        const got = runBatch(toy, count, seed);
        const want = expectedToyBatch(count, seed);
        expect(got.sums).toEqual(want.sums);
        expect(got.counts).toEqual(want.counts);
        expect(got.owners.every((t) => t >= 0 && t < threads)).toBe(true);
        expect(got.scaled).toEqual(want.scaled);
      }
    }
  });

  test.each([150, 0])('hundreds of short batches back to back stay right (spin %i µs: workers spinning or asleep at a batch start)', async (spinMicros) => {
    const toy = await openToy(threads, { spinMicros });
    for (let k = 0; k < 300; k++) {
      const [count, seed] = [1 + (k % 3), k % 12];
      const got = runBatch(toy, count, seed);
      const want = expectedToyBatch(count, seed);
      expect(got.sums).toEqual(want.sums);
      expect(got.counts).toEqual(want.counts);
    }
  });

  test("claims rows in multiples of a call's grain (the last chunk excepted), each row once", async () => {
    const toy = await openToy(threads);
    for (const [rows, grain] of [[1000, 6], [997, 7], [5, 6], [64, 64]]) {
      const i32 = toy.i32;
      i32.fill(0, COUNT / 4, COUNT / 4 + 1000);
      i32.fill(-1, OWNER / 4, OWNER / 4 + 1000);
      toy.runner.run([{ fn: 'fill', args: [DST, COUNT, OWNER, 3, 1, 200], rows, grain }]);
      expect(Array.from(i32.subarray(COUNT / 4, COUNT / 4 + rows)).every((c) => c === 1)).toBe(true);
      const owners = Array.from(i32.subarray(OWNER / 4, OWNER / 4 + rows));
      // A different thread can only take over at a chunk boundary, and chunks start at multiples of the grain.
      const changes = owners.flatMap((t, i) => (i > 0 && t !== owners[i - 1] ? [i] : []));
      expect(changes.filter((i) => i % grain !== 0)).toEqual([]);
    }
  });

  test('a trap in a call surfaces as an error naming it; later calls do not run; the runner keeps working', async () => {
    const toy = await openToy(threads);
    toy.i32.fill(0, DST / 4, DST / 4 + 1000);
    const calls: KernelCall[] = [
      { fn: 'empty', args: [], rows: 10 },
      { fn: 'trapRow', args: [613], rows: 1000 },
      { fn: 'fill', args: [DST, COUNT, OWNER, 1, 1, 0], rows: 1000 },
    ];
    expect(() => toy.runner.run(calls)).toThrow(/^run: call 1 \('trapRow', rows \[\d+, \d+\)\) failed on thread \d: RuntimeError: memory access out of bounds/);
    expect(toy.i32.subarray(DST / 4, DST / 4 + 1000).every((v) => v === 0)).toBe(true);
    const got = runBatch(toy, 12, 4);
    expect(got.sums).toEqual(expectedToyBatch(12, 4).sums);
  });
});

describe('workers', () => {
  test('take rows of a call on every thread count, and a trap in a worker (not thread 0) surfaces in the caller', async () => {
    for (const threads of [2, 3]) {
      const toy = await openToy(threads);
      // Thread 0 and a worker each wait in their first chunk until the other has entered the call.
      toy.i32.fill(0, FLAG / 4, FLAG / 4 + 2);
      toy.i32.fill(-1, OWNER / 4, OWNER / 4 + 64);
      toy.runner.run([{ fn: 'meet', args: [FLAG, OWNER], rows: 64 }]);
      const owners = Array.from(toy.i32.subarray(OWNER / 4, OWNER / 4 + 64));
      expect(owners.every((t) => t >= 0 && t < threads)).toBe(true);
      expect(new Set(owners).size).toBeGreaterThan(1);
      // Thread 0 waits in its chunk until a worker has entered the call; workers trap.
      toy.i32[FLAG / 4] = 0;
      expect(() => toy.runner.run([{ fn: 'trapInWorker', args: [FLAG], rows: 10 }])).toThrow(
        /^run: call 0 \('trapInWorker', rows \[\d+, \d+\)\) failed on thread [12]: RuntimeError: unreachable/,
      );
      toy.runner.run([{ fn: 'scale', args: [SCALE, 2], rows: 5 }]);
      expect(Array.from(new Float32Array(toy.memory.buffer, SCALE, 5))).toEqual([0, 2, 4, 6, 8]);
    }
  });

  test('a worker that fails to start rejects createParallelRunner with its reason', async () => {
    const shape = { shared: true, pages: PAGES, trapAfterFirstAt: FLAG };
    const memory = toyMemory(shape);
    await expect(createParallelRunner(buildToyModule(shape), memory, 2)).rejects.toThrow(
      /^createParallelRunner: a kernel thread could not start: RuntimeError: unreachable/,
    );
    expect(new Int32Array(memory.buffer)[FLAG / 4]).toBe(2); // thread 0's instance, then the worker's
  });

  test('dispose stops the runner; a runner left running does not keep the process alive', async () => {
    const toy = await openToy(2);
    toy.runner.dispose();
    expect(() => toy.runner.run([])).toThrow('run: this ParallelRunner was disposed.');
    const dir = mkdtempSync(join(tmpdir(), 'tailor-thread-pool-'));
    try {
      const script = join(dir, 'forgotten.mts');
      const url = (file: string) => pathToFileURL(join(import.meta.dirname, file)).href;
      writeFileSync(
        script,
        [
          `import { createParallelRunner } from ${JSON.stringify(url('../../kernels/transfer/simd/thread-pool.ts'))};`,
          `import { buildToyModule, toyMemory } from ${JSON.stringify(url('./simd-toy-module.ts'))};`,
          `const shape = { shared: true, pages: 16 };`,
          `const memory = toyMemory(shape);`,
          `const runner = await createParallelRunner(buildToyModule(shape), memory, 3);`,
          `runner.run([{ fn: 'scale', args: [0, 3], rows: 100 }]);`,
          `console.log('ran', new Float32Array(memory.buffer)[99]);`,
        ].join('\n'),
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8', timeout: 60_000 });
      expect(child.stderr).toBe('');
      expect(child.signal).toBe(null); // not killed by the timeout
      expect(child.status).toBe(0);
      expect(child.stdout.trim()).toBe('ran 297');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bad input', () => {
  test('gets errors that say what was wrong', async () => {
    const shape = { shared: false, pages: PAGES };
    const bytes = buildToyModule(shape);
    await expect(createParallelRunner(bytes, toyMemory(shape), 0)).rejects.toThrow('threads must be a whole number ≥ 1; got 0');
    await expect(createParallelRunner(bytes, toyMemory(shape), 2)).rejects.toThrow(/2 threads need a shared WebAssembly.Memory/);
    for (const threads of [1, 2]) {
      const toy = await openToy(threads);
      expect(() => toy.runner.run([{ fn: 'fil', args: [], rows: 1 }])).toThrow(
        "run: call 0 names 'fil', which the module does not export; it exports 'fill', 'sum', 'scale', 'trapRow', 'trapInWorker', 'meet', 'empty', 'work'.",
      );
      expect(() => toy.runner.run([{ fn: 'empty', args: [], rows: 1 }, { fn: 'scale', args: [0], rows: 1 }])).toThrow(
        "run: call 1 ('scale') has 1 args, but the function takes 5 parameters: args + (rowStart, rowEnd, thread).",
      );
      expect(() => toy.runner.run([{ fn: 'empty', args: [], rows: 1.5 }])).toThrow("run: call 0 ('empty') has rows 1.5; rows must be a whole number ≥ 0.");
      expect(() => toy.runner.run([{ fn: 'empty', args: [], rows: 4, grain: 0 }])).toThrow(
        "run: call 0 ('empty') has grain 0; grain must be a whole number ≥ 1 (or left out).",
      );
      // Nothing half-started: the runner still works.
      toy.runner.run([{ fn: 'scale', args: [SCALE, 1], rows: 3 }]);
      expect(Array.from(new Float32Array(toy.memory.buffer, SCALE, 3))).toEqual([0, 1, 2]);
    }
  });
});
