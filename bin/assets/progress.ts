/**
 * Progress output for `tailor assets`: one line per asset when it finishes
 * ("files, bytes, how many were already complete"); on a terminal the line is
 * also redrawn in place while bytes arrive (at most ten times a second), so a
 * log file gets one line per asset rather than a flood.
 */

/** Formats a byte count as B, kB, MB or GB (decimal units, one decimal). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

/** Counts files and bytes for one asset and prints its line. */
export class AssetProgress {
  private files = 0;
  private skipped = 0;
  private bytes = 0;
  private lastDraw = 0;

  /**
   * @param label what the user sees, e.g. `models/mobilenet_v1_0.25_224`
   * @param out the stream to print to (stdout by default)
   */
  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  /** Files counted so far (fetched and already complete). */
  get fileCount(): number {
    return this.files;
  }

  /** Bytes counted so far (fetched and already complete). */
  get byteCount(): number {
    return this.bytes;
  }

  /** Adds streamed bytes and redraws the live line on a terminal. */
  addBytes(n: number): void {
    this.bytes += n;
    const now = Date.now();
    if (this.out.isTTY && now - this.lastDraw > 100) {
      this.lastDraw = now;
      this.out.write(`\r\x1b[K  ${this.label}  ${this.summary()}`);
    }
  }

  /** Records a finished file; `skipped` files were already complete and their bytes count as present. */
  addFile(skipped: boolean, bytes = 0): void {
    this.files += 1;
    if (skipped) {
      this.skipped += 1;
      this.bytes += bytes;
    }
  }

  /** Prints the final line for the asset, with `verb` saying what happened to the fetched files. */
  finish(verb: string): void {
    const clear = this.out.isTTY ? '\r\x1b[K' : '';
    this.out.write(`${clear}  ${this.label}  ${this.summary()}${this.fetchedNote(verb)}\n`);
  }

  private summary(): string {
    return `${this.files} file${this.files === 1 ? '' : 's'}, ${formatBytes(this.bytes)}`;
  }

  private fetchedNote(verb: string): string {
    const fetched = this.files - this.skipped;
    if (fetched === 0) return '  (already complete)';
    return this.skipped === 0 ? `  (${verb})` : `  (${verb} ${fetched}, ${this.skipped} already complete)`;
  }
}
