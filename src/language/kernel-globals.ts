/**
 * The kernel's globals as TypeScript sees them in a cell: what
 * `kernels/runtime/runtime.ts` installs while a cell runs (`display`,
 * `progress`, `input`, `tf`, `Plot`, `signal`). Kept in step with the
 * runtime by `tests/unit/language-service.test.ts`, which compares these
 * names with the globals a real runtime defines.
 */

/** The names declared below, for the test that keeps them in step with the runtime. */
export const KERNEL_GLOBAL_NAMES = ['display', 'progress', 'input', 'tf', 'Plot', 'signal'] as const;

export const KERNEL_GLOBALS_PATH = '/tailor-kernel-globals.d.ts';

export const KERNEL_GLOBALS = `
interface TailorDisplayHandle {
  /** The display id; \`display(value, {id})\` with the same id addresses this output. */
  readonly id: string;
  /** Replaces the displayed output with \`value\` (chosen as by \`display\`). */
  update(value: unknown): void;
}
interface TailorDisplayOptions {
  /** The display id; reuse one to address an output from a later call. Default: a fresh id. */
  id?: string;
}
interface TailorDisplay {
  /** Shows a value in the cell's output: Plot figures and SVG as images, tables as HTML, image tensors as PNG, anything else as text. */
  (value: unknown, options?: TailorDisplayOptions): TailorDisplayHandle;
  /** An image tensor or ImageData as a PNG. */
  image(source: unknown, options?: TailorDisplayOptions): TailorDisplayHandle;
  /** HTML markup as is (sanitised by the page when untrusted). */
  html(markup: string, options?: TailorDisplayOptions): TailorDisplayHandle;
  /** Markdown text. */
  markdown(text: string, options?: TailorDisplayOptions): TailorDisplayHandle;
  /** Clears the cell's outputs; with \`wait\`, when the next output arrives. */
  clear(wait?: boolean): void;
}
interface TailorProgressOptions {
  /** Shown before the bar; default \`''\`. */
  label?: string;
  /** Display id; default a fresh one. */
  id?: string;
}
interface TailorProgressHandle {
  readonly id: string;
  readonly total: number;
  /** Items done so far. */
  readonly done: number;
  /** Adds \`n\` (default 1) to the count. */
  tick(n?: number): void;
  /** Sets the count: a number or a library progress report (\`{done, total}\`, \`{epoch, epochs}\`…). */
  set(progress: number | Record<string, unknown>): void;
  /** Marks the bar complete. */
  finish(): void;
}
interface TailorInputReply {
  value: string;
  payload?: unknown;
  error?: string;
}
interface TailorInput {
  /** Asks the person at the page for text; resolves with the answer. */
  (prompt?: string, options?: { password?: boolean }): Promise<string>;
  /** Sends an input request of any kind (files, frames) and resolves with the page's whole reply. */
  request(content: { prompt?: string; password?: boolean; kind?: string; options?: Record<string, unknown> }): Promise<TailorInputReply>;
}
/** Shows a value in the cell's output (see \`display.image\`, \`display.html\`, \`display.markdown\`, \`display.clear\`). */
declare var display: TailorDisplay;
/** A progress bar of \`total\` steps, updated in place (\`tick()\`, \`set(n)\`, \`finish()\`). */
declare var progress: (total: number, options?: TailorProgressOptions) => TailorProgressHandle;
/** Asks the person at the page for input (not available in \`tailor run\`). */
declare var input: TailorInput;
/** TensorFlow.js (\`@tensorflow/tfjs\`), on the kernel's backend. */
declare var tf: typeof import('@tensorflow/tfjs');
/** Observable Plot (\`@observablehq/plot\`); charts render as static SVG in the kernel. */
declare var Plot: typeof import('@observablehq/plot');
/** Aborted when the running cell is interrupted: pass it to long operations (\`{signal}\`). */
declare var signal: AbortSignal;
`;
