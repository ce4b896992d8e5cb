/**
 * A small `util.inspect` for the kernel (which also runs in a browser worker,
 * where Node's is not available): values print the way Node prints them —
 * `[ 2, 4, 6 ]`, `{ a: 1, b: 'x' }`, `Map(1) { 'k' => 1 }` — with depth,
 * item and string limits so a huge value never floods the output.
 */

export interface InspectOptions {
  /** Nesting levels shown before `[Object]`; default 2 (as Node). */
  depth?: number;
  /** Array/Map/Set items shown before `... N more items`; default 100. */
  maxItems?: number;
  /** String characters shown inside containers before `...`; default 10,000. */
  maxStringLength?: number;
  /** Width after which a container breaks over lines; default 72 (as Node's 80 minus indent). */
  breakLength?: number;
}

const DEFAULTS: Required<InspectOptions> = { depth: 2, maxItems: 100, maxStringLength: 10_000, breakLength: 72 };

/** Formats any value as Node's `util.inspect` would (strings quoted). */
export function inspect(value: unknown, options: InspectOptions = {}): string {
  return formatValue(value, { ...DEFAULTS, ...options }, 0, new Set());
}

/**
 * Formats `console.log` arguments: strings as they are, other values
 * inspected, separated by spaces; `%s %d %i %f %o %O %j %%` in a leading
 * string are substituted as in Node.
 */
export function formatLogArgs(args: unknown[]): string {
  if (args.length === 0) return '';
  const rest = [...args];
  let first = '';
  if (typeof rest[0] === 'string') {
    const template = rest.shift() as string;
    first = template.replace(/%([sdifoOjc%])/g, (match, kind: string) => {
      if (kind === '%') return '%';
      if (rest.length === 0) return match;
      const v = rest.shift();
      switch (kind) {
        case 's':
          return typeof v === 'string' ? v : inspect(v, { depth: 1 });
        case 'd':
        case 'i':
          return typeof v === 'object' ? 'NaN' : String(kind === 'i' ? Math.trunc(Number(v)) : Number(v));
        case 'f':
          return String(Number(v));
        case 'j':
          try {
            return JSON.stringify(v);
          } catch {
            return '[Circular]';
          }
        case 'c':
          return '';
        default:
          return inspect(v, { depth: 4 });
      }
    });
  } else {
    first = inspect(rest.shift());
  }
  return [first, ...rest.map((v) => (typeof v === 'string' ? v : inspect(v)))].join(' ');
}

function quote(s: string, max: number): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  const q = cut.includes("'") && !cut.includes('"') ? '"' : "'";
  const body = cut
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(q, 'g'), `\\${q}`);
  return `${q}${body}${q}${s.length > max ? `... ${s.length - max} more characters` : ''}`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return IDENTIFIER.test(key) ? key : quote(key, Infinity);
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function formatValue(value: unknown, o: Required<InspectOptions>, level: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return quote(value, o.maxStringLength);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    case 'function':
      return formatFunction(value);
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) return '[Circular *]';
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  if (obj instanceof Error) return obj.stack ?? `${obj.name}: ${obj.message}`;
  if (obj instanceof Promise) return 'Promise { <pending> }';
  if (obj instanceof WeakMap || obj instanceof WeakSet) return `${obj.constructor.name} { <items unknown> }`;
  const custom = customInspect(obj);
  if (custom !== undefined) return custom;
  if (level > o.depth) return Array.isArray(obj) ? '[Array]' : `[${constructorName(obj) ?? 'Object'}]`;

  seen.add(obj);
  try {
    let prefix = '';
    let items: string[];
    let open = '{';
    let close = '}';
    if (Array.isArray(obj)) {
      prefix = '';
      open = '[';
      close = ']';
      items = listItems(obj, obj.length, (i) => formatValue(obj[i], o, level + 1, seen), o.maxItems);
    } else if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      const arr = obj as unknown as ArrayLike<number | bigint>;
      prefix = `${obj.constructor.name}(${arr.length}) `;
      open = '[';
      close = ']';
      items = listItems(obj, arr.length, (i) => (typeof arr[i] === 'bigint' ? `${arr[i]}n` : formatNumber(arr[i] as number)), o.maxItems);
    } else if (obj instanceof Map) {
      prefix = `Map(${obj.size}) `;
      const entries = [...obj.entries()];
      items = listItems(entries, entries.length, (i) => `${formatValue(entries[i][0], o, level + 1, seen)} => ${formatValue(entries[i][1], o, level + 1, seen)}`, o.maxItems);
    } else if (obj instanceof Set) {
      prefix = `Set(${obj.size}) `;
      const values = [...obj.values()];
      items = listItems(values, values.length, (i) => formatValue(values[i], o, level + 1, seen), o.maxItems);
    } else if (obj instanceof ArrayBuffer) {
      return `ArrayBuffer { byteLength: ${obj.byteLength} }`;
    } else {
      const name = constructorName(obj);
      prefix = name === 'Object' ? '' : name === undefined ? '[Object: null prototype] ' : `${name} `;
      const keys: (string | symbol)[] = [...Object.keys(obj), ...Object.getOwnPropertySymbols(obj).filter((s) => Object.prototype.propertyIsEnumerable.call(obj, s))];
      items = keys.map((k) => {
        const desc = Object.getOwnPropertyDescriptor(obj, k)!;
        const shown = desc.get ? (desc.set ? '[Getter/Setter]' : '[Getter]') : formatValue((obj as Record<string | symbol, unknown>)[k], o, level + 1, seen);
        return `${formatKey(k)}: ${shown}`;
      });
    }
    if (items.length === 0) return `${prefix}${open}${close}`;
    const oneLine = `${prefix}${open} ${items.join(', ')} ${close}`;
    if (oneLine.length <= o.breakLength && !oneLine.includes('\n')) return oneLine;
    const indent = '  ';
    return `${prefix}${open}\n${items.map((s) => indent + s.replace(/\n/g, '\n' + indent)).join(',\n')}\n${close}`;
  } finally {
    seen.delete(obj);
  }
}

function listItems(_: unknown, length: number, item: (i: number) => string, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(length, max); i++) out.push(item(i));
  if (length > max) out.push(`... ${length - max} more item${length - max === 1 ? '' : 's'}`);
  return out;
}

function constructorName(obj: object): string | undefined {
  const proto = Object.getPrototypeOf(obj);
  if (proto === null) return undefined;
  const name = proto.constructor?.name;
  return typeof name === 'string' && name ? name : 'Object';
}

function formatFunction(fn: Function): string {
  const source = Function.prototype.toString.call(fn);
  if (source.startsWith('class')) return `[class ${fn.name || '(anonymous)'}]`;
  return fn.name ? `[Function: ${fn.name}]` : '[Function (anonymous)]';
}

/** Objects may print themselves with `[Symbol.for('nodejs.util.inspect.custom')]` or a non-default `toString` (tensors do). */
function customInspect(obj: object): string | undefined {
  const hook = (obj as Record<symbol, unknown>)[Symbol.for('nodejs.util.inspect.custom')];
  if (typeof hook === 'function') {
    try {
      const out = hook.call(obj, 2, {}, inspect);
      if (typeof out === 'string') return out;
    } catch {
      // Fall through to the structural view.
    }
  }
  return undefined;
}
