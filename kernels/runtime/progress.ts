/**
 * `progress(total, {label})`: a progress bar output updated in place through
 * its `display_id`. Shows count, rate and ETA; updates are throttled to about
 * ten a second (the last one is always sent), so a tight loop calling
 * `tick()` costs next to nothing.
 */
import { MIME, type MimeBundle } from '../protocol/index.ts';
import { DISPLAY_HANDLE, newDisplayId, type DisplaySink } from './display.ts';

export interface ProgressOptions {
  /** Shown before the bar; default `''`. */
  label?: string;
  /** Display id; default a fresh one. */
  id?: string;
}

export interface ProgressHandle {
  readonly id: string;
  readonly total: number;
  /** Items done so far. */
  readonly done: number;
  /** Adds `n` (default 1) to the count. */
  tick(n?: number): void;
  /**
   * Sets the count. Accepts a number or a library progress report
   * (`{done, total}`, `{epoch, epochs}`, `{completed, total}`…).
   */
  set(progress: number | Record<string, unknown>): void;
  /** Marks the bar complete (sends the final state). */
  finish(): void;
  readonly [DISPLAY_HANDLE]: true;
}

/** Minimum milliseconds between two updates of the same bar. */
const THROTTLE_MS = 100;
const BAR_WIDTH = 30;

export function createProgress(sink: DisplaySink, now: () => number = () => performance.now()) {
  return function progress(total: number, options: ProgressOptions = {}): ProgressHandle {
    if (!(Number.isFinite(total) && total >= 0)) throw new RangeError(`progress(total): total must be a finite number ≥ 0, got ${total}`);
    const id = options.id ?? newDisplayId();
    const label = options.label ?? '';
    const started = now();
    let done = 0;
    let sentAt = -Infinity;
    let finished = false;
    const bundle = (): MimeBundle => {
      const elapsed = (now() - started) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const eta = rate > 0 ? Math.max(0, (total - done) / rate) : null;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(fraction * BAR_WIDTH);
      const text =
        `${label ? label + ' ' : ''}${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${done}/${total}` +
        ` [${formatSeconds(elapsed)}${eta !== null && done < total ? ` < ${formatSeconds(eta)}` : ''}, ${rate.toFixed(rate < 10 ? 2 : 1)}/s]`;
      return { [MIME.progress]: { done, total, label, rate, eta, elapsed }, [MIME.plain]: text };
    };
    const send = (force: boolean) => {
      const t = now();
      if (!force && t - sentAt < THROTTLE_MS) return;
      sentAt = t;
      sink.update({ data: bundle(), metadata: {}, transient: { display_id: id } });
    };
    sink.display({ data: bundle(), metadata: {}, transient: { display_id: id } });
    sentAt = now();
    const handle: ProgressHandle = {
      id,
      total,
      get done() {
        return done;
      },
      tick(n = 1) {
        handle.set(done + n);
      },
      set(progress) {
        const value = typeof progress === 'number' ? progress : countOf(progress);
        if (value === undefined || finished) return;
        done = Math.min(value, total);
        if (done >= total) handle.finish();
        else send(false);
      },
      finish() {
        if (finished) return;
        finished = true;
        send(true);
      },
      [DISPLAY_HANDLE]: true,
    };
    return handle;
  };
}

/** The count in a library progress report. */
function countOf(report: Record<string, unknown>): number | undefined {
  for (const key of ['done', 'completed', 'processed', 'epoch', 'step', 'batch']) {
    if (typeof report[key] === 'number') return report[key] as number;
  }
  return undefined;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
