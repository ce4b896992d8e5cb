/**
 * The kernel's globals as TypeScript sees them in a cell: what
 * `kernels/runtime/runtime.ts` installs while a cell runs (`display`,
 * `progress`, `input`, `ask`, `tf`, `Plot`, `signal`). `ask`'s option and
 * result types are the runtime's own (`kernels/runtime/ask-types.ts`, bundled
 * as text with the other declarations). Kept in step with the
 * runtime by `tests/unit/language-service.test.ts`, which compares these
 * names with the globals a real runtime defines.
 */

/** The names declared below, for the test that keeps them in step with the runtime. */
export const KERNEL_GLOBAL_NAMES = ['display', 'progress', 'input', 'ask', 'tf', 'Plot', 'signal'] as const;

export const KERNEL_GLOBALS_PATH = '/tailor-kernel-globals.d.ts';

export const KERNEL_GLOBALS = `
// The kernel runs in a Web Worker (lib.webworker), where there is no page DOM. Plot and the
// library still name a few page types in their signatures (Plot draws on a virtual document);
// these minimal shapes keep those signatures typed without offering \`document\` to cells.
interface Node { readonly nodeName: string; textContent: string | null; }
interface Element extends Node {
  readonly tagName: string;
  outerHTML: string;
  innerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelector(selectors: string): Element | null;
  querySelectorAll(selectors: string): ArrayLike<Element>;
  append(...nodes: (Node | string)[]): void;
}
interface CSSStyleDeclaration { [property: string]: any; }
interface HTMLElement extends Element { style: CSSStyleDeclaration; }
interface SVGElement extends Element {}
interface SVGSVGElement extends SVGElement {}
interface SVGMarkerElement extends SVGElement {}
interface HTMLImageElement extends HTMLElement { src: string; width: number; height: number; naturalWidth: number; naturalHeight: number; }
interface HTMLCanvasElement extends HTMLElement { width: number; height: number; }
interface HTMLVideoElement extends HTMLElement { videoWidth: number; videoHeight: number; }
interface DocumentFragment extends Node {}
interface Document extends Node { createElement(tagName: string): HTMLElement; createElementNS(namespace: string | null, qualifiedName: string): Element; }
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
interface TailorAsk {
  /**
   * Shows a drop zone and a file (or folder) picker in the cell's output and resolves with the chosen files.
   * Each is a \`File\` with \`path\` and \`bytes\`: \`loadImageFolder(await ask.files({accept: 'image/*', directory: true}))\`.
   */
  files(options?: import('/kernels/runtime/ask-types.ts').AskFilesOptions): Promise<import('/kernels/runtime/ask-types.ts').AskedFile[]>;
  /**
   * Shows the camera with a hold-to-record button per class and resolves with the frames:
   * \`fromCaptures(await ask.webcam({classes: ['left', 'right']}))\`. Throws when there is no camera or permission is refused.
   */
  webcam(options: import('/kernels/runtime/ask-types.ts').AskWebcamOptions): Promise<import('/kernels/runtime/ask-types.ts').WebcamFrame[]>;
}
/** Asks the page for data only it can give: files (\`ask.files\`) or camera frames (\`ask.webcam\`). */
declare var ask: TailorAsk;
/** Observable Plot (\`@observablehq/plot\`); charts render as static SVG in the kernel. */
declare var Plot: typeof import('@observablehq/plot');
/** Aborted when the running cell is interrupted: pass it to long operations (\`{signal}\`). */
declare var signal: AbortSignal;
`;
