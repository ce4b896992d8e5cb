/**
 * Where the language worker's time goes, as User Timing measures
 * (`performance.measure`) named `tailor-ts:<phase>`: loading the worker's
 * script (TypeScript and the declarations), creating the service, and per
 * request building the program, binding it (the first checker), and the
 * answer itself. Read them with `performance.getEntriesByType('measure')` in
 * the worker (the completion-latency bench does, through Playwright).
 * Measuring is cheap (a few entries per request) and keeps only the latest
 * `MAX_ENTRIES`.
 */

/** Prefix of every measure's name. */
export const TIMING_PREFIX = 'tailor-ts:';

const MAX_ENTRIES = 400;
let count = 0;

/** Records `[start, now]` as the measure `tailor-ts:<phase>` (with optional detail, e.g. the request kind). */
export function recordPhase(phase: string, start: number, detail?: string): void {
  if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
  if (++count > MAX_ENTRIES) {
    performance.clearMeasures();
    count = 0;
  }
  try {
    performance.measure(TIMING_PREFIX + phase, { start, end: performance.now(), detail });
  } catch {
    // A runtime without measure options (none we target) just goes unmeasured.
  }
}

/** Runs `work`, recording its duration as `phase`. */
export function timePhase<T>(phase: string, work: () => T, detail?: string): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    recordPhase(phase, start, detail);
  }
}
