/**
 * Multi-line strings as `.ipynb` stores them. nbformat's writer splits text
 * with Python's `str.splitlines(keepends=True)`, which breaks at more than
 * `\n`; matching it exactly keeps Tailor's files byte-identical to Jupyter's.
 */

// Python's line boundaries: \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, U+2028, U+2029.
const LINE_END = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Splits `text` into lines that keep their line endings; `''` gives `[]` (as Python does). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (const match of text.matchAll(LINE_END)) {
    const end = match.index + match[0].length;
    lines.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Joins a `.ipynb` multi-line string (a string, or an array of lines) into one string. */
export function joinLines(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value.join('');
}
