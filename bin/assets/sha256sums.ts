/**
 * `SHA256SUMS` files as written by `sha256sum`: one `<hex>  <path>` per line
 * (a `*` before the path marks binary mode and is ignored). Paths are relative
 * to the folder holding the file.
 */
import { readFile } from 'node:fs/promises';

/** Parses SHA256SUMS text into a map from relative path to lowercase hex hash. Blank and `#` lines are skipped. */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new Error(`SHA256SUMS line ${index + 1} is not '<sha256>  <path>': ${JSON.stringify(raw)}`);
    sums.set(match[2]!.replace(/^\.\//, ''), match[1]!.toLowerCase());
  }
  return sums;
}

/** Reads and parses a SHA256SUMS file; an absent file gives an empty map. */
export async function readSha256Sums(path: string | URL): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new Map();
  }
  return parseSha256Sums(text);
}

/**
 * The hashes Tailor ships for the model files (same content as
 * shared/models/SHA256SUMS), used to check downloads.
 */
export const SHIPPED_MODEL_SUMS = new URL('./models.SHA256SUMS', import.meta.url);
