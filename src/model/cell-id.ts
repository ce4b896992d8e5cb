/**
 * Cell ids, as nbformat 4.5 defines them: 1–64 characters of letters, digits,
 * `-` and `_`. They stay the same across edits, so the page can address a cell
 * while outputs for it arrive.
 */
export const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

/** True when `id` is a valid nbformat cell id. */
export function isValidCellId(id: unknown): id is string {
  return typeof id === 'string' && CELL_ID_PATTERN.test(id);
}

/**
 * A fresh random cell id: a UUID v4 (36 characters, within nbformat's
 * pattern), as JupyterLab makes them. 122 random bits make a clash between
 * two cells practically impossible.
 */
export function newCellId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // Fallback for old runtimes without randomUUID: 128 bits from getRandomValues or Math.random.
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
