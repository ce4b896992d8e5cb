/**
 * MIME bundles: the `data` of display_data / execute_result, as in `.ipynb`.
 * Values are strings (text, SVG, HTML, base64 for binary images) or JSON
 * values for `application/json`-like types.
 */
export type MimeBundle = { [mimeType: string]: unknown };

export const MIME = {
  plain: 'text/plain',
  html: 'text/html',
  markdown: 'text/markdown',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  json: 'application/json',
  /** Tailor's progress bar: `{done, total, label, rate, eta}`, always with a text/plain fallback. */
  progress: 'application/vnd.tailor.progress+json',
  /** Tailor's input widgets (file drop zone, webcam) shown for an `input_request`. */
  input: 'application/vnd.tailor.input+json',
  /** An exercise check's result `{name, passed, hint?}` (`check()` in `tailor`; read by `tailor run --grade`). */
  check: 'application/vnd.tailor.check+json',
} as const;

/** True for MIME types whose payload is base64 text rather than markup or JSON. */
export function isBinaryMime(mimeType: string): boolean {
  return mimeType.startsWith('image/') && mimeType !== MIME.svg;
}

/** True when every bundle carries the `text/plain` fallback Jupyter expects. */
export function hasPlainText(bundle: MimeBundle): boolean {
  return typeof bundle[MIME.plain] === 'string';
}
