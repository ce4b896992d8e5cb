/**
 * Image decoding on worker threads (Node only): `decodeImage` — sharp, then
 * the shared resampler — runs in a small pool of worker_threads, so the
 * JavaScript resampling of one batch overlaps the network's work on
 * another (ONNX Runtime in Node runs its inference on the main thread and
 * blocks it). Pixels are exactly what `decodeImage` gives in-thread.
 *
 * The pool starts on first use, keeps its threads unreferenced while idle
 * (they never keep a process alive) and stops them after `IDLE_MS` without
 * work. `TAILOR_DECODE_THREADS` sets its size (default: every core; `0`
 * decodes in the calling thread). When the threads cannot start (no Node,
 * no TypeScript loader for the worker file), `decodePool()` resolves
 * `undefined` and callers decode in-thread.
 */
import type { Worker as NodeWorker } from 'node:worker_threads';
import { envVar, importNode, isNode, nodeModules } from '../env.ts';
import type { InputRange } from '../types.ts';
import type { FitSpec, RawImage } from './raw-image.ts';

/** A pool of decoding threads. */
export interface DecodePool {
  /** Worker threads. */
  readonly threads: number;
  /** `decodeImage(bytes, fit)` on a pool thread; rejects with the decoder's message. */
  decode(bytes: Uint8Array, fit?: FitSpec): Promise<RawImage>;
  /**
   * `decodeImage(bytes, fit)` scaled onto `range` as float32 NHWC (what
   * `rawImagesToPixels` gives), so the calling thread only copies it into a
   * batch.
   */
  pixels(bytes: Uint8Array, fit: FitSpec, range: InputRange): Promise<Float32Array>;
  /** Stops the threads (the pool restarts them on the next `decode`). */
  close(): Promise<void>;
}

/** Threads stop after this long without work (restarting costs about half a second). */
export const IDLE_MS = 15_000;
/** Tasks a thread holds at once: sharp decodes one on libuv's pool while the thread resamples another. */
const IN_FLIGHT = 3;
// Not a literal inside `new URL(…)`: bundlers would treat the worker as a page asset.
const WORKER_FILE = './decode-pool-worker.ts';

interface Pending {
  resolve(result: RawImage | Float32Array): void;
  reject(error: Error): void;
}
interface Slot {
  worker: NodeWorker;
  busy: number;
}

/** The worker's first code: tsx's loader for this thread (loader hooks are per thread), then the worker file. */
async function bootstrap(): Promise<string> {
  const { createRequire } = await importNode<typeof import('node:module')>('node:module');
  const { pathToFileURL } = await importNode<typeof import('node:url')>('node:url');
  const { path } = await nodeModules();
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const file = new URL(WORKER_FILE, import.meta.url).href;
  return `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`;
}

/** Starts `threads` workers and resolves once each has said it is ready. */
async function startPool(threads: number): Promise<DecodePool> {
  const { Worker } = await importNode<typeof import('node:worker_threads')>('node:worker_threads');
  const code = await bootstrap();
  const pending = new Map<number, Pending>();
  const queue: Array<{ id: number; bytes: Uint8Array; fit?: FitSpec; range?: InputRange }> = [];
  let nextId = 0;
  let slots: Slot[] = [];
  let starting: Promise<void> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    queue.length = 0;
  };

  const spawn = (): Promise<Slot> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(code, { eval: true, stdout: false, stderr: false });
      const slot: Slot = { worker, busy: 0 };
      let ready = false;
      worker.on('message', (m: { ready?: true; id?: number; raw?: RawImage; pixels?: Float32Array; error?: string }) => {
        if (m.ready) {
          ready = true;
          worker.unref();
          resolve(slot);
          return;
        }
        const task = pending.get(m.id!);
        pending.delete(m.id!);
        slot.busy--;
        if (m.error !== undefined) task?.reject(new Error(m.error));
        else if (m.pixels) task?.resolve(m.pixels);
        else task?.resolve({ data: new Uint8Array(m.raw!.data), width: m.raw!.width, height: m.raw!.height });
        pump();
      });
      worker.on('error', (error) => {
        if (!ready) reject(error);
        else {
          slots = slots.filter((s) => s !== slot);
          failAll(new Error(`an image-decoding thread crashed (${error.message})`));
        }
      });
      worker.on('exit', (exitCode) => {
        if (!ready) reject(new Error(`an image-decoding thread exited with code ${exitCode} while starting`));
        else if (slots.includes(slot) && slot.busy > 0) failAll(new Error(`an image-decoding thread exited with code ${exitCode}`));
        slots = slots.filter((s) => s !== slot);
      });
    });

  const ensureStarted = (): Promise<void> => {
    starting ??= Promise.all(Array.from({ length: threads }, spawn)).then(
      (started) => void (slots = started),
      (error) => {
        starting = undefined;
        throw error;
      },
    );
    return starting;
  };

  /** Hands queued tasks to the least busy threads; references threads while they work. */
  function pump(): void {
    while (queue.length > 0) {
      const slot = slots.reduce<Slot | undefined>((best, s) => (s.busy < IN_FLIGHT && (!best || s.busy < best.busy) ? s : best), undefined);
      if (!slot) break;
      const task = queue.shift()!;
      if (slot.busy++ === 0) slot.worker.ref();
      slot.worker.postMessage(task);
    }
    for (const s of slots) if (s.busy === 0) s.worker.unref();
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (pending.size === 0 && slots.length > 0) {
      idleTimer = setTimeout(() => void close(), IDLE_MS);
      (idleTimer as { unref?: () => void }).unref?.();
    }
  }

  async function close(): Promise<void> {
    const all = slots;
    slots = [];
    starting = undefined;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    failAll(new Error('the image-decoding pool was closed'));
    await Promise.all(all.map((s) => s.worker.terminate()));
  }

  const submit = async (bytes: Uint8Array, fit?: FitSpec, range?: InputRange): Promise<RawImage | Float32Array> => {
    await ensureStarted();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      queue.push({ id, bytes, fit, range });
      pump();
    });
  };

  await ensureStarted();
  pump();
  return {
    threads,
    decode: (bytes, fit) => submit(bytes, fit) as Promise<RawImage>,
    pixels: (bytes, fit, range) => submit(bytes, fit, range) as Promise<Float32Array>,
    close,
  };
}

let shared: Promise<DecodePool | undefined> | undefined;

/** Pool size: `TAILOR_DECODE_THREADS`, else every core. */
async function poolThreads(): Promise<number> {
  const set = envVar('TAILOR_DECODE_THREADS');
  if (set !== undefined) {
    const n = Number(set);
    if (!Number.isInteger(n) || n < 0) throw new Error(`TAILOR_DECODE_THREADS must be a whole number ≥ 0 (0: decode in the calling thread); got '${set}'.`);
    return n;
  }
  const { os } = await nodeModules();
  return os.availableParallelism();
}

/**
 * The process's shared decode pool, started on first call, or `undefined`
 * outside Node, with `TAILOR_DECODE_THREADS=0`, or when its threads cannot
 * start (then callers decode in-thread; the reason is not retried).
 */
export function decodePool(): Promise<DecodePool | undefined> {
  shared ??= (async () => {
    if (!isNode()) return undefined;
    const threads = await poolThreads();
    if (threads === 0) return undefined;
    return startPool(threads).catch(() => undefined);
  })();
  return shared;
}

/** Stops the shared pool's threads (they restart on the next decode). For tests and clean shutdowns. */
export async function closeDecodePool(): Promise<void> {
  const pool = await shared;
  await pool?.close();
}
