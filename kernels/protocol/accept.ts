/**
 * The `accept` filter of `ask.files` (the same syntax as `<input accept>`):
 * shared by the page (dropped files) and the Node host (`tailor run
 * --files`), so both choose the same files.
 */

const TYPES_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp',
  tif: 'image/tiff', tiff: 'image/tiff', avif: 'image/avif', svg: 'image/svg+xml',
  txt: 'text/plain', csv: 'text/csv', tsv: 'text/tab-separated-values', json: 'application/json', md: 'text/markdown',
  bin: 'application/octet-stream', ipynb: 'application/x-ipynb+json',
  wav: 'audio/wav', mp3: 'audio/mpeg', mp4: 'video/mp4', webm: 'video/webm',
};

/** The MIME type of a file name by its extension; `''` when unknown (as a browser `File.type`). */
export function mimeTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : (TYPES_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? '');
}

/**
 * True when a file matches `accept`: a comma-separated list of extensions
 * (`.jpg`), MIME types (`image/png`) and wildcards (`image/*`). An empty or
 * missing `accept` matches everything. `type` defaults to the type guessed
 * from the name.
 */
export function matchesAccept(file: { name: string; type?: string }, accept: string | undefined): boolean {
  const tokens = (accept ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (tokens.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = (file.type || mimeTypeOf(file.name)).toLowerCase();
  return tokens.some((token) => {
    if (token.startsWith('.')) return name.endsWith(token);
    if (token.endsWith('/*')) return type.startsWith(token.slice(0, -1));
    return type === token;
  });
}
