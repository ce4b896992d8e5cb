/**
 * The notebook scope: the kernel's global object. A cell's top-level
 * declarations become writable global properties (see `compile-cell.ts`), so
 * every later cell — and every closure made by an earlier one — reads the
 * current value.
 */

/** Globals a cell cannot declare: the kernel and its libraries rely on them. */
const RESERVED = new Set([
  'globalThis', 'self', 'window', 'global', 'console', 'process', 'postMessage', 'onmessage', 'close',
  'importScripts', 'eval', 'Function', 'Object', 'Array', 'Promise', 'Error', 'Symbol', 'Reflect', 'JSON', 'Math',
  'undefined', 'NaN', 'Infinity', '__tailor',
]);

const scope = globalThis as unknown as Record<string, unknown>;

/**
 * Makes sure each name is a writable global (keeping its value when it
 * already is one, as re-running `var x;` does) and sets hoisted functions.
 * Throws a SyntaxError naming a reserved or non-configurable name.
 */
export function declareNames(names: string[], functions: Record<string, unknown> = {}): void {
  for (const name of names) {
    if (RESERVED.has(name)) {
      throw new SyntaxError(`'${name}' cannot be declared in a notebook cell: the kernel needs the global of that name. Choose another name.`);
    }
    const own = Object.getOwnPropertyDescriptor(scope, name);
    if (own && 'value' in own && own.writable) continue;
    if (own && !own.configurable) throw new SyntaxError(`'${name}' is a built-in global and cannot be declared; choose another name.`);
    Object.defineProperty(scope, name, { value: undefined, writable: true, configurable: true, enumerable: true });
  }
  for (const [name, fn] of Object.entries(functions)) {
    // The declaration was renamed (`__tailor_fn_f`) to live in the scope; give it back its name.
    Object.defineProperty(fn, 'name', { value: name, configurable: true });
    scope[name] = fn;
  }
}

/**
 * Defines the kernel's builtins (`display`, `tf`, …) as writable globals —
 * a cell may shadow them — and getters for per-execution values (`signal`).
 * Returns a function that removes them again.
 */
export function installGlobals(values: Record<string, unknown>, getters: Record<string, () => unknown> = {}): () => void {
  const previous = new Map<string, PropertyDescriptor | undefined>();
  for (const name of [...Object.keys(values), ...Object.keys(getters)]) previous.set(name, Object.getOwnPropertyDescriptor(scope, name));
  for (const [name, value] of Object.entries(values)) {
    Object.defineProperty(scope, name, { value, writable: true, configurable: true, enumerable: false });
  }
  for (const [name, get] of Object.entries(getters)) {
    // A setter turns the getter into a plain value when a cell assigns it (declares its own `signal`).
    Object.defineProperty(scope, name, {
      get,
      set: (value: unknown) => Object.defineProperty(scope, name, { value, writable: true, configurable: true, enumerable: true }),
      configurable: true,
      enumerable: false,
    });
  }
  return () => {
    for (const [name, descriptor] of previous) {
      if (descriptor) Object.defineProperty(scope, name, descriptor);
      else delete scope[name];
    }
  };
}
