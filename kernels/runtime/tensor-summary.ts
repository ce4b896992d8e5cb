/**
 * A readable text summary of a tensor — dtype, shape, values with the middle
 * of long axes elided (`…`, as NumPy prints) — read without creating tensors,
 * so showing one never leaks memory. Never the raw buffer.
 */

/** The parts of a `tf.Tensor` the kernel reads; duck-typed so any tfjs copy works. */
export interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed: boolean;
  dataSync(): ArrayLike<number | string | boolean> | string[];
}

export function isTensorLike(value: unknown): value is TensorLike {
  const v = value as TensorLike | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.shape) &&
    typeof v.dtype === 'string' &&
    typeof v.dataSync === 'function' &&
    typeof v.size === 'number'
  );
}

/** Items shown at each end of an axis longer than `2 * EDGE_ITEMS`. */
const EDGE_ITEMS = 3;

/** `Tensor float32 [2, 3]` plus the (elided) values. */
export function summarizeTensor(tensor: TensorLike): string {
  const head = `Tensor ${tensor.dtype} [${tensor.shape.join(', ')}]`;
  if (tensor.isDisposed) return `${head} (disposed)`;
  if (tensor.dtype === 'complex64') return `${head} (${tensor.size} complex values)`;
  const data = tensor.dataSync() as ArrayLike<number | string | boolean>;
  const format = (v: number | string | boolean) =>
    typeof v === 'string' ? JSON.stringify(v) : tensor.dtype === 'bool' ? String(Boolean(v)) : formatNumber(Number(v), tensor.dtype);
  return `${head}\n${formatAxis(data, tensor.shape, 0, 0, format, '')}`;
}

function formatNumber(v: number, dtype: string): string {
  if (dtype !== 'float32' || !Number.isFinite(v) || Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-4 || abs >= 1e6) ? v.toExponential(3) : String(Number(v.toFixed(4)));
}

function formatAxis(
  data: ArrayLike<number | string | boolean>,
  shape: number[],
  axis: number,
  offset: number,
  format: (v: number | string | boolean) => string,
  indent: string,
): string {
  if (shape.length === 0) return format(data[0]);
  const n = shape[axis];
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const indices = n > 2 * EDGE_ITEMS ? [...range(0, EDGE_ITEMS), -1, ...range(n - EDGE_ITEMS, n)] : range(0, n);
  if (axis === shape.length - 1) {
    return `[${indices.map((i) => (i < 0 ? '…' : format(data[offset + i]))).join(', ')}]`;
  }
  const inner = indices.map((i) => (i < 0 ? `${indent} …` : formatAxis(data, shape, axis + 1, offset + i * stride, format, indent + ' ')));
  const separator = ',' + '\n'.repeat(Math.max(1, shape.length - axis - 1)) + indent + ' ';
  return `[${inner.map((s, k) => (k === 0 ? s : s.trimStart())).join(separator)}]`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
