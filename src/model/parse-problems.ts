/**
 * Shared pieces of the `.ipynb` reader: the result type and the collector of
 * errors and warnings.
 */
import type { JsonObject } from './json.ts';
import type { Notebook } from './notebook.ts';

/** What `parseIpynb` returns: a notebook with warnings, or the errors that stopped it. */
export type ParseResult =
  | { readonly ok: true; readonly notebook: Notebook; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Collects parse problems; `error` returns undefined so callers can `return problems.error(…)`. */
export class Problems {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  error(message: string): undefined {
    this.errors.push(message);
    return undefined;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}

/** True for a `.ipynb` multi-line string: a string or an array of strings. */
export function isMultiline(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((line) => typeof line === 'string'));
}

/** `object` without `keys` (the same object when it has none of them). */
export function omitKeys(object: JsonObject, keys: readonly string[]): JsonObject {
  if (!keys.some((key) => Object.hasOwn(object, key))) return object;
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}
