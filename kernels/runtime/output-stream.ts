/**
 * A cell's stdout/stderr: text is coalesced into few `stream` messages
 * (flushed when the stream name changes, before any other output, after a
 * short delay and at 64 KB) and capped per cell, so a loop printing 100,000
 * lines neither floods the page nor bloats the notebook.
 */
import type { StreamName } from '../protocol/index.ts';

export interface OutputLimits {
  /** Lines kept per cell; default 10,000. */
  lines: number;
  /** Characters kept per cell; default 1,000,000. */
  bytes: number;
}

export const DEFAULT_LIMITS: OutputLimits = { lines: 10_000, bytes: 1_000_000 };

/** Buffered text is sent after this many characters even if the cell is still writing. */
const FLUSH_SIZE = 64 * 1024;
/** …or after this many milliseconds. */
const FLUSH_DELAY_MS = 50;

export class OutputStream {
  private pending: { name: StreamName; text: string } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lines = 0;
  private bytes = 0;
  /** True once the cap was reached; later text is dropped. */
  truncated = false;

  constructor(
    private readonly emit: (name: StreamName, text: string) => void,
    private readonly limits: OutputLimits = DEFAULT_LIMITS,
  ) {}

  write(name: StreamName, text: string): void {
    if (this.truncated || text === '') return;
    let kept = this.lines >= this.limits.lines ? '' : text;
    let newlines = 0;
    for (let i = 0; i < kept.length; i++) {
      if (kept.charCodeAt(i) === 10 && ++newlines >= this.limits.lines - this.lines) {
        kept = kept.slice(0, i + 1);
        break;
      }
    }
    if (this.bytes + kept.length > this.limits.bytes) kept = kept.slice(0, Math.max(0, this.limits.bytes - this.bytes));
    this.lines += newlines;
    this.bytes += kept.length;
    if (kept) this.append(name, kept);
    if (kept.length === text.length) return;
    this.truncated = true;
    if (kept && !kept.endsWith('\n')) this.append(name, '\n');
    const limit = `${this.limits.lines.toLocaleString('en')} lines or ${(this.limits.bytes / 1e6).toLocaleString('en')} MB`;
    this.append('stderr', `[output truncated: this cell wrote more than ${limit}; the rest is not shown]\n`);
    this.flush();
  }

  /** Sends buffered text now (before another output, or at the end of the cell). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.emit(pending.name, pending.text);
  }

  private append(name: StreamName, text: string): void {
    if (this.pending && this.pending.name !== name) this.flush();
    this.pending = this.pending ? { name, text: this.pending.text + text } : { name, text };
    if (this.pending.text.length >= FLUSH_SIZE) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }
}
