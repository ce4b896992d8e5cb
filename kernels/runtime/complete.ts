/**
 * Completion for `complete_request`: names in the notebook scope, or the
 * properties of `a.b.` when the text before the cursor is a plain property
 * path. Only reads properties (never calls a function); getters may run.
 */

const PATH = /((?:[A-Za-z_$][\w$]*\.)*)([A-Za-z_$][\w$]*)?$/;

export function completeCode(code: string, cursorPos: number): { matches: string[]; cursor_start: number; cursor_end: number } {
  const before = code.slice(0, cursorPos);
  const m = PATH.exec(before)!;
  const path = m[1] ? m[1].slice(0, -1).split('.') : [];
  const prefix = m[2] ?? '';
  let target: unknown = globalThis;
  for (const key of path) {
    try {
      target = target == null ? undefined : (target as Record<string, unknown>)[key];
    } catch {
      target = undefined;
    }
  }
  const names = new Set<string>();
  for (let o = target; o != null && names.size < 2000; o = Object.getPrototypeOf(o)) {
    if (typeof o !== 'object' && typeof o !== 'function') break;
    for (const k of Object.getOwnPropertyNames(o)) if (k.startsWith(prefix) && !k.startsWith('__')) names.add(k);
    if (o === Object.prototype) break;
  }
  return { matches: [...names].sort(), cursor_start: cursorPos - prefix.length, cursor_end: cursorPos };
}
