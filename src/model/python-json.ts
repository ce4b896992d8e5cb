/**
 * JSON text exactly as Python's `json.dumps(value, indent=1, sort_keys=True,
 * separators=(',', ': '), ensure_ascii=False)` writes it, which is how
 * nbformat (and so Jupyter) saves notebooks. Differences from
 * `JSON.stringify` that matter: keys sorted by code point (JavaScript would
 * put integer-like keys first), and floats in Python's `repr` form (`1e-05`,
 * `1e+22`, `0.5`).
 */
import { isRecord } from './json.ts';

/** Serializes `value` like Python's json.dumps with sorted keys and the given indent (default 1). */
export function stringifyLikePython(value: unknown, indent = 1): string {
  return write(value, '', ' '.repeat(indent));
}

function write(value: unknown, pad: string, step: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  const inner = pad + step;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + write(item, inner, step)).join(',\n')}\n${pad}]`;
  }
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareCodePoints);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((key) => `${inner}${JSON.stringify(key)}: ${write(value[key], inner, step)}`).join(',\n')}\n${pad}}`;
  }
  throw new TypeError(`cannot write ${typeof value} as JSON`);
}

/** Orders strings by Unicode code point, as Python compares `str` (JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only surrogates (astral characters) sort differently by code point than by code unit.
    const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
    if (isSurrogate(x) !== isSurrogate(y)) return isSurrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * A number as Python writes it. Integral values below 1e16 are written as
 * integers (JSON loses the int/float distinction, and notebooks hold mostly ints);
 * others use Python's float repr: the shortest round-trip digits, fixed
 * notation for exponents -4…15, otherwise `d.ddde±XX`.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  // Python ints beyond 2^53 do not survive JSON.parse anyway; above 1e16 assume a float, as Python writes it.
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    // Fixed notation with the same digits; String() is fixed in this range except tiny exponents.
    const negative = mantissa.startsWith('-');
    const digits = mantissa.replace('-', '').replace('.', '');
    let text: string;
    if (exp < 0) text = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length > exp + 1) text = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    else text = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    return negative ? `-${text}` : text;
  }
  const sign = exp < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}
