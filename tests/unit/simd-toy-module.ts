/**
 * A tiny wasm module, assembled byte by byte, for testing and timing the SIMD
 * engine's thread pool (kernels/transfer/simd/thread-pool.ts) without the
 * real kernels. Every function takes `(…args, rowStart, rowEnd, thread)` like
 * a kernel and imports only `env.memory`. Memory addresses are byte offsets.
 */

import { F32, I32, sleb, uleb } from '../../kernels/transfer/simd/wasm-emitter.ts';

/** Exported functions, in export order. */
export const TOY_FUNCTIONS = {
  /** `fill(dst, count, owner, mul, add, spin)`: for each row i, `spin` idle iterations, then dst[i] = i·mul + add, atomically count[i] += 1, owner[i] = thread. */
  fill: 9,
  /** `sum(src, n, dst)`: for each row i, dst[i] = i + Σ_{j<n} src[j] (reads every row the previous call wrote). */
  sum: 6,
  /** `scale(dst, x: f32)`: for each row i, f32 dst[i] = f32(i) · x. */
  scale: 5,
  /** `trapRow(bad)`: an out-of-bounds load when row `bad` is in [rowStart, rowEnd). */
  trapRow: 4,
  /** `trapInWorker(flag)`: thread 0 waits until the i32 at `flag` is non-zero; any other thread sets it and traps (unreachable). */
  trapInWorker: 4,
  /**
   * `meet(flags, owner)`: thread 0 sets the i32 at `flags` and waits for the one after it, any other thread the
   * reverse (so thread 0 and a worker each take at least one chunk); then owner[i] = thread for each row.
   */
  meet: 5,
  /** `empty()`: does nothing (barrier cost). */
  empty: 3,
  /** `work(iterations, dst)`: for each row i, an f32 recurrence of `iterations` steps stored at f32 dst[i] (compute-bound). */
  work: 5,
} as const;

// The engine's own LEB128 encoders (the toy module is assembled the same way).
const leb = uleb;

const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = (v: number) => [0x41, ...sleb(v)];
const f32 = (v: number) => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
const ADD = 0x6a;
const SUB = 0x6b;
const MUL = 0x6c;
const SHL = 0x74;
const EQ = 0x46;
const EQZ = 0x45;
const GE_S = 0x4e;
const END = 0x0b;
const load = [0x28, 0x02, 0x00];
const store = [0x36, 0x02, 0x00];
const f32Store = [0x38, 0x02, 0x00];
const atomicLoad = [0xfe, 0x10, 0x02, 0x00];
const atomicStore = [0xfe, 0x17, 0x02, 0x00];
const atomicAdd = [0xfe, 0x1e, 0x02, 0x00];
/** `base + 4·i` for locals base and i. */
const addr = (base: number, i: number) => [...get(base), ...get(i), ...i32(2), SHL, ADD];

/** for (i = start; i < end; i++) body — i, start, end are locals. */
function forRows(i: number, start: number, end: number, body: number[]): number[] {
  return [...get(start), ...set(i), 0x02, 0x40, 0x03, 0x40, ...get(i), ...get(end), GE_S, 0x0d, 1, ...body, ...get(i), ...i32(1), ADD, ...set(i), 0x0c, 0, END, END];
}

interface Fn {
  params: number[];
  locals: number[];
  body: number[];
}

function functions(): Record<keyof typeof TOY_FUNCTIONS, Fn> {
  // fill: params 0 dst, 1 count, 2 owner, 3 mul, 4 add, 5 spin, 6 a, 7 b, 8 thread; locals 9 i, 10 s
  const spin = [...get(5), ...set(10), 0x02, 0x40, 0x03, 0x40, ...get(10), EQZ, 0x0d, 1, ...get(10), ...i32(1), SUB, ...set(10), 0x0c, 0, END, END];
  const fill = forRows(9, 6, 7, [
    ...spin,
    ...addr(0, 9), ...get(9), ...get(3), MUL, ...get(4), ADD, ...store,
    ...addr(1, 9), ...i32(1), ...atomicAdd, 0x1a,
    ...addr(2, 9), ...get(8), ...store,
  ]);
  // sum: params 0 src, 1 n, 2 dst, 3 a, 4 b, 5 thread; locals 6 i, 7 j, 8 s
  const zero = 9; // local 9: constant 0 start for the inner loop
  const sum = forRows(6, 3, 4, [
    ...get(6), ...set(8),
    ...forRows(7, zero, 1, [...get(8), ...addr(0, 7), ...load, ADD, ...set(8)]),
    ...addr(2, 6), ...get(8), ...store,
  ]);
  // scale: params 0 dst, 1 x (f32), 2 a, 3 b, 4 thread; local 5 i
  const scale = forRows(5, 2, 3, [...addr(0, 5), ...get(5), 0xb2, ...get(1), 0x94, ...f32Store]);
  // trapRow: params 0 bad, 1 a, 2 b, 3 thread; local 4 i
  const trapRow = forRows(4, 1, 2, [...get(4), ...get(0), EQ, 0x04, 0x40, ...i32(-16), ...load, 0x1a, END]);
  // trapInWorker: params 0 flag, 1 a, 2 b, 3 thread
  const trapInWorker = [
    ...get(3), EQZ, 0x04, 0x40,
    0x02, 0x40, 0x03, 0x40, ...get(0), ...atomicLoad, 0x0d, 1, 0x0c, 0, END, END,
    0x05, ...get(0), ...i32(1), ...atomicStore, 0x00, END,
  ];
  // meet: params 0 flags, 1 owner, 2 a, 3 b, 4 thread; locals 5 i, 6 mine, 7 theirs
  const meet = [
    ...get(0), ...get(0), ...i32(4), ADD, ...get(4), EQZ, 0x1b, ...set(6),
    ...get(0), ...i32(4), ADD, ...get(0), ...get(4), EQZ, 0x1b, ...set(7),
    ...get(6), ...i32(1), ...atomicStore,
    0x02, 0x40, 0x03, 0x40, ...get(7), ...atomicLoad, 0x0d, 1, 0x0c, 0, END, END,
    ...forRows(5, 2, 3, [...addr(1, 5), ...get(4), ...store]),
  ];
  // work: params 0 iterations, 1 dst, 2 a, 3 b, 4 thread; locals 5 i, 6 k, 7 acc (f32)
  const work = forRows(5, 2, 3, [
    ...get(5), 0xb2, ...set(7), ...get(0), ...set(6),
    0x02, 0x40, 0x03, 0x40, ...get(6), EQZ, 0x0d, 1,
    ...get(7), ...f32(0.999), 0x94, ...f32(0.5), 0x92, ...set(7),
    ...get(6), ...i32(1), SUB, ...set(6), 0x0c, 0, END, END,
    ...addr(1, 5), ...get(7), ...f32Store,
  ]);
  return {
    fill: { params: Array(9).fill(I32), locals: [I32, I32], body: fill },
    sum: { params: Array(6).fill(I32), locals: [I32, I32, I32, I32], body: sum },
    scale: { params: [I32, F32, I32, I32, I32], locals: [I32], body: scale },
    trapRow: { params: Array(4).fill(I32), locals: [I32], body: trapRow },
    trapInWorker: { params: Array(4).fill(I32), locals: [], body: trapInWorker },
    meet: { params: Array(5).fill(I32), locals: [I32, I32, I32], body: meet },
    empty: { params: Array(3).fill(I32), locals: [], body: [] },
    work: { params: Array(5).fill(I32), locals: [I32, I32, F32], body: work },
  };
}

const text = (s: string) => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];

/**
 * The toy module importing `env.memory` of exactly `pages` 64 KiB pages, shared or not. With `trapAfterFirstAt`,
 * a start function atomically increments the i32 at that address and traps in every instance but the first
 * (a thread pool whose workers fail to start).
 */
export function buildToyModule(options: { shared: boolean; pages: number; trapAfterFirstAt?: number }): Uint8Array {
  const fns: Array<[string, Fn]> = Object.entries(functions());
  const exported = fns.length;
  if (options.trapAfterFirstAt !== undefined) {
    const body = [...i32(options.trapAfterFirstAt), ...i32(1), ...atomicAdd, 0x04, 0x40, 0x00, END];
    fns.push(['start', { params: [], locals: [], body }]);
  }
  const types = fns.map(([, f]) => [0x60, ...vec(f.params.map((p) => [p])), 0x00]);
  const memory = [options.shared ? 0x03 : 0x01, ...leb(options.pages), ...leb(options.pages)];
  const imports = [[...text('env'), ...text('memory'), 0x02, ...memory]];
  const exports = fns.slice(0, exported).map(([name], i) => [...text(name), 0x00, ...leb(i)]);
  const bodies = fns.map(([, f]) => {
    const code = [...vec(f.locals.map((t) => [1, t])), ...f.body, END];
    return [...leb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(fns.map((_, i) => leb(i)))),
    ...section(7, vec(exports)),
    ...(options.trapAfterFirstAt !== undefined ? section(8, leb(exported)) : []),
    ...section(10, vec(bodies)),
  ]);
}

/** A memory for the toy module: shared when `shared` (needed for more than one thread). */
export function toyMemory(options: { shared: boolean; pages: number }): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: options.pages, maximum: options.pages, shared: options.shared });
}

/** The toy workload's memory size and areas (byte offsets). */
export const TOY_PAGES = 64;
export const TOY_AREA = {
  dst: 0,
  count: 0x10000,
  owner: 0x20000,
  flag: 0x30000,
  scale: 0x40000,
  /** One 4 KiB area per sum call. */
  sums: 0x80000,
} as const;
const ROWS = [0, 1, 2, 3, 5, 7, 8, 13, 64, 100, 257, 1000];

/** What a toy batch leaves in memory: each sum call's rows, the per-row fill counts, the threads that filled the rows last, the scaled floats. */
export interface ToyResult {
  sums: number[][];
  counts: number[];
  owners: number[];
  scaled: number[];
}

interface KernelCallLike {
  fn: string;
  args: number[];
  rows: number;
}

const shapeOf = (k: number, seed: number) => ({ rows: ROWS[(k + seed) % ROWS.length], mul: 3 + ((k * 7 + seed) % 11), add: (k * 131 + seed) % 97 });

/**
 * `count` fill → sum pairs with 0 to 1000 rows (each sum reads every row the fill before it wrote, and the next
 * fill overwrites them: a missing barrier either way changes the sums), then two scales with f32 arguments.
 */
export function toyBatch(count: number, seed: number): KernelCallLike[] {
  const calls: KernelCallLike[] = [];
  for (let k = 0; k < count; k++) {
    const { rows, mul, add } = shapeOf(k, seed);
    calls.push({ fn: 'fill', args: [TOY_AREA.dst, TOY_AREA.count, TOY_AREA.owner, mul, add, 200], rows });
    calls.push({ fn: 'sum', args: [TOY_AREA.dst, rows, TOY_AREA.sums + k * 4096], rows });
  }
  calls.push({ fn: 'scale', args: [TOY_AREA.scale, 0.1 + seed], rows: 37 }, { fn: 'scale', args: [TOY_AREA.scale + 4 * 37, -2.7], rows: 1 });
  return calls;
}

/** What `toyBatch(count, seed)` must leave (owners: empty, they depend on scheduling). */
export function expectedToyBatch(count: number, seed: number): ToyResult {
  const sums: number[][] = [];
  const counts = new Array<number>(1000).fill(0);
  for (let k = 0; k < count; k++) {
    const { rows, mul, add } = shapeOf(k, seed);
    let total = 0;
    for (let j = 0; j < rows; j++) {
      total = (total + Math.imul(j, mul) + add) | 0;
      counts[j]++;
    }
    sums.push(Array.from({ length: rows }, (_, i) => (total + i) | 0));
  }
  const scaled = Array.from({ length: 37 }, (_, i) => Math.fround(Math.fround(i) * Math.fround(0.1 + seed)));
  return { sums, counts, owners: [], scaled: [...scaled, -0] };
}

/** Clears the counts, runs `toyBatch(count, seed)` with `run`, and reads what it left. */
export function runToyBatch(run: (calls: KernelCallLike[]) => void, memory: WebAssembly.Memory, count: number, seed: number): ToyResult {
  const i32 = new Int32Array(memory.buffer);
  const rowsOf = (area: number, n: number) => Array.from(i32.subarray(area / 4, area / 4 + n));
  i32.fill(0, TOY_AREA.count / 4, TOY_AREA.count / 4 + 1000);
  run(toyBatch(count, seed));
  return {
    sums: Array.from({ length: count }, (_, k) => rowsOf(TOY_AREA.sums + k * 4096, shapeOf(k, seed).rows)),
    counts: rowsOf(TOY_AREA.count, 1000),
    owners: rowsOf(TOY_AREA.owner, 1000),
    scaled: Array.from(new Float32Array(memory.buffer, TOY_AREA.scale, 38)),
  };
}
