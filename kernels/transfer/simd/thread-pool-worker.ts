/**
 * The thread pool's worker, as plain JavaScript source: one text serves the
 * page (a Blob-URL Web Worker) and Node (`worker_threads` with `eval: true`),
 * with no bundler or TypeScript loader in between.
 *
 * A worker instantiates the kernels module on the shared memory, says
 * `ready`, then lives in a synchronous loop on the control block (layout
 * below, shared with `thread-pool.ts`): it blocks in `Atomics.wait` until the
 * batch generation changes, counts itself in (or stays out when thread 0 has
 * already finished that batch without it), runs its share of the batch — for each call,
 * chunks of rows claimed from a shared row counter (guided: each claim takes
 * ⌈rows left / parts⌉ rows, rounded up to a multiple of the call's grain), then a barrier until every row
 * of that call is done — and counts itself out. A `RELOAD` command sends it
 * back to its event loop for a bigger control block (posted just before);
 * `STOP` ends it.
 */

/** Int32 slots of the control block's header. */
export const SLOT = {
  /** Batch generation: bumped by thread 0 to start a batch (workers wait on it). */
  gen: 0,
  /** Calls in the current batch, or a command (`RELOAD`, `STOP`). */
  calls: 1,
  /** Workers inside a batch right now (thread 0 waits for none before it rewrites the call table). */
  active: 2,
  /** 1 once a chunk failed in this batch; the first failure's details follow. */
  fail: 3,
  failThread: 4,
  failCall: 5,
  failStart: 6,
  failEnd: 7,
  /** Characters of the failure message (UTF-16 code units in the text area). */
  failLength: 8,
  /** Microseconds a waiting thread spins before blocking in `Atomics.wait`. */
  spinMicros: 9,
  /** The last generation thread 0 finished: a worker waking up for it (or earlier) stays out. */
  closed: 10,
} as const;
export const HEADER_INTS = 16;
export const COMMAND = { reload: -1, stop: -2 } as const;
/**
 * Float64 slots per call in the call table: function index, rows, parts (a claim takes ⌈rows left / parts⌉ rows,
 * rounded up to a multiple of the grain), first argument, argument count, grain.
 */
export const CALL_F64 = 6;
/** UTF-16 code units kept of a failure message. */
export const TEXT_CHARS = 1024;

/** Where each area of a control block starts (in units of its own view); computed by thread 0, posted to workers. */
export interface ControlLayout {
  maxCalls: number;
  maxArgs: number;
  /** Int32 index of the per-call next-row counters, and of the per-call rows-done counters. */
  claimed: number;
  done: number;
  /** Uint16 index of the failure text. */
  text: number;
  /** Float64 index of the call table, then of the arguments. */
  table: number;
  args: number;
  bytes: number;
}

export const WORKER_SOURCE = `'use strict';
const GEN = ${SLOT.gen}, CALLS = ${SLOT.calls}, ACTIVE = ${SLOT.active}, CLOSED = ${SLOT.closed}, FAIL = ${SLOT.fail};
const FAIL_THREAD = ${SLOT.failThread}, FAIL_CALL = ${SLOT.failCall}, FAIL_START = ${SLOT.failStart}, FAIL_END = ${SLOT.failEnd};
const FAIL_LENGTH = ${SLOT.failLength}, SPIN = ${SLOT.spinMicros};
const RELOAD = ${COMMAND.reload}, STOP = ${COMMAND.stop}, CALL_F64 = ${CALL_F64}, TEXT_CHARS = ${TEXT_CHARS};
let ctl, f64, text, layout, fns, thread, seen = 0;
let post;
const web = typeof WorkerGlobalScope !== 'undefined';
if (!web) {
  const { parentPort } = require('node:worker_threads');
  post = (m) => parentPort.postMessage(m);
  parentPort.on('message', receive);
} else {
  post = (m) => self.postMessage(m);
  self.onmessage = (e) => receive(e.data);
}

function receive(m) {
  if (m.type === 'init') {
    thread = m.thread;
    WebAssembly.instantiate(m.module, { env: { memory: m.memory } }).then((instance) => {
      const names = WebAssembly.Module.exports(m.module).filter((e) => e.kind === 'function').map((e) => e.name);
      fns = names.map((n) => instance.exports[n]);
      install(m.control, m.layout);
      post({ type: 'ready' });
      loop();
    }).catch((e) => post({ type: 'error', message: describe(e) }));
  } else if (m.type === 'control') {
    install(m.control, m.layout);
    loop();
  }
}

function install(buffer, l) {
  ctl = new Int32Array(buffer);
  f64 = new Float64Array(buffer);
  text = new Uint16Array(buffer);
  layout = l;
  seen = 0;
}

function describe(e) {
  return e instanceof Error ? e.name + ': ' + e.message : String(e);
}

/** Blocks until ctl[i] is no longer \`value\`: spins for the configured time first (a batch or call starts soon). */
function waitChange(i, value) {
  if (Atomics.load(ctl, i) !== value) return;
  const until = performance.now() + Atomics.load(ctl, SPIN) / 1000;
  for (let k = 1; ; k++) {
    if (Atomics.load(ctl, i) !== value) return;
    if ((k & 63) === 0 && performance.now() > until) break;
  }
  while (Atomics.load(ctl, i) === value) Atomics.wait(ctl, i, value);
}

/** Blocks until ctl[i] ≥ target (a counter that only grows during a batch). */
function waitReach(i, target) {
  let v = Atomics.load(ctl, i);
  if (v >= target) return;
  const until = performance.now() + Atomics.load(ctl, SPIN) / 1000;
  for (let k = 1; ; k++) {
    if (Atomics.load(ctl, i) >= target) return;
    if ((k & 63) === 0 && performance.now() > until) break;
  }
  while ((v = Atomics.load(ctl, i)) < target) Atomics.wait(ctl, i, v);
}

function loop() {
  for (;;) {
    waitChange(GEN, seen);
    // Count in before looking at the batch: thread 0 rewrites the table only when no worker is in.
    Atomics.add(ctl, ACTIVE, 1);
    const gen = (seen = Atomics.load(ctl, GEN));
    const n = Atomics.load(ctl, CALLS);
    if (Atomics.load(ctl, CLOSED) >= gen) {
      leave(); // too late: thread 0 (and any other worker) did this batch already
    } else if (n === RELOAD || n === STOP) {
      leave();
      if (n === STOP && web) self.close();
      return; // for RELOAD, the new control block is the next message
    } else {
      runBatch(n);
      leave();
    }
  }
}

function leave() {
  if (Atomics.sub(ctl, ACTIVE, 1) === 1) Atomics.notify(ctl, ACTIVE);
}

function runBatch(n) {
  for (let i = 0; i < n; i++) {
    const c = layout.table + i * CALL_F64;
    const rows = f64[c + 1];
    if (rows === 0) continue;
    const fn = fns[f64[c]], parts = f64[c + 2], first = layout.args + f64[c + 3], argc = f64[c + 4], grain = f64[c + 5];
    const args = new Array(argc + 3);
    for (let k = 0; k < argc; k++) args[k] = f64[first + k];
    args[argc + 2] = thread;
    for (;;) {
      const start = Atomics.load(ctl, layout.claimed + i);
      if (start >= rows) break;
      const end = Math.min(rows, start + Math.ceil((rows - start) / (parts * grain)) * grain);
      if (Atomics.compareExchange(ctl, layout.claimed + i, start, end) !== start) continue; // another thread took them
      if (Atomics.load(ctl, FAIL) === 0) {
        args[argc] = start;
        args[argc + 1] = end;
        try {
          fn.apply(null, args);
        } catch (e) {
          fail(i, start, end, e);
        }
      }
      if (Atomics.add(ctl, layout.done + i, end - start) + end - start === rows) Atomics.notify(ctl, layout.done + i);
    }
    // Barrier: call i+1 may read any row call i wrote. Thread 0 waits for the last call itself.
    if (i < n - 1) waitReach(layout.done + i, rows);
  }
}

function fail(call, start, end, e) {
  if (Atomics.compareExchange(ctl, FAIL, 0, 1) !== 0) return;
  const message = describe(e).slice(0, TEXT_CHARS);
  for (let k = 0; k < message.length; k++) text[layout.text + k] = message.charCodeAt(k);
  ctl[FAIL_THREAD] = thread;
  ctl[FAIL_CALL] = call;
  ctl[FAIL_START] = start;
  ctl[FAIL_END] = end;
  Atomics.store(ctl, FAIL_LENGTH, message.length);
}
`;
