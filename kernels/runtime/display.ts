/**
 * `display(value, {id?})` and its helpers, as cells see them. Each display
 * gets a `display_id`, so the returned handle can replace it in place
 * (`handle.update(value)` → `update_display_data`).
 */
import { MIME, type ContentMap, type MimeBundle } from '../protocol/index.ts';
import { toMimeBundle } from './mime-bundle.ts';
import { toPixels } from './image-pixels.ts';
import { encodePng, toBase64, type Deflate } from '../transfer/index.ts';

/** Marks values that are display handles, so a cell ending in `display(x)` shows x once, not the handle too. */
export const DISPLAY_HANDLE = Symbol('tailor.displayHandle');

export interface DisplayHandle {
  readonly id: string;
  /** Replaces the displayed output with `value` (chosen as by `display`). */
  update(value: unknown): void;
  readonly [DISPLAY_HANDLE]: true;
}

export interface DisplayOptions {
  /** The display id; reuse one to address an output from a later call. Default: a fresh id. */
  id?: string;
}

export interface Display {
  (value: unknown, options?: DisplayOptions): DisplayHandle;
  /** An image tensor or ImageData as a PNG. */
  image(source: unknown, options?: DisplayOptions): DisplayHandle;
  /** HTML markup as is (sanitised by the page when untrusted). */
  html(markup: string, options?: DisplayOptions): DisplayHandle;
  /** Markdown text. */
  markdown(text: string, options?: DisplayOptions): DisplayHandle;
  /** Clears the cell's outputs; with `wait`, when the next output arrives. */
  clear(wait?: boolean): void;
}

export interface DisplaySink {
  display(content: ContentMap['display_data']): void;
  update(content: ContentMap['update_display_data']): void;
  clear(wait: boolean): void;
}

let displayCounter = 0;

/** A fresh display id. */
export function newDisplayId(): string {
  return `tailor-${Date.now().toString(36)}-${++displayCounter}`;
}

/** Builds `display` over a sink; `deflate` compresses PNGs when given. */
export function createDisplay(sink: DisplaySink, deflate?: Deflate): Display {
  const show = (bundle: () => MimeBundle, metadata: () => Record<string, unknown>, options: DisplayOptions = {}): DisplayHandle => {
    const id = options.id ?? newDisplayId();
    sink.display({ data: bundle(), metadata: metadata(), transient: { display_id: id } });
    return {
      id,
      update: (value: unknown) => sink.update({ data: toMimeBundle(value), metadata: {}, transient: { display_id: id } }),
      [DISPLAY_HANDLE]: true,
    };
  };
  const display = ((value: unknown, options?: DisplayOptions) => show(() => toMimeBundle(value), () => ({}), options)) as Display;
  display.image = (source, options) => {
    const pixels = toPixels(source);
    const png = toBase64(encodePng(pixels, deflate));
    return show(
      () => ({ [MIME.png]: png, [MIME.plain]: `<image ${pixels.width}×${pixels.height}>` }),
      () => ({ [MIME.png]: { width: pixels.width, height: pixels.height } }),
      options,
    );
  };
  display.html = (markup, options) => show(() => ({ [MIME.html]: String(markup), [MIME.plain]: String(markup) }), () => ({}), options);
  display.markdown = (text, options) => show(() => ({ [MIME.markdown]: String(text), [MIME.plain]: String(text) }), () => ({}), options);
  display.clear = (wait = false) => sink.clear(wait);
  return display;
}

export function isDisplayHandle(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [DISPLAY_HANDLE]?: unknown })[DISPLAY_HANDLE] === true;
}
