import { fitRects, type FitSpec, type RawImage } from './raw-image.ts';

/**
 * The resampler's name, part of the preprocessing key (features made with
 * another resizer must not be served from the cache).
 */
export const RESAMPLER = 'aa-bilinear';

/**
 * Images up to this many pixels are fitted by {@link fitRaw} from their full
 * decode, so the page and Node give the same pixels (and features) for the
 * same file. Larger ones are shrunk by the platform while decoding (JPEG
 * shrink-on-load in Node, the canvas in the page): bounded memory and time,
 * but slightly different pixels on each side. 16 MP covers datasets, web
 * images, webcams and 12 MP phone photos; the full decode costs Node more
 * than shrink-on-load would (tests/bench/decoders.ts measures it).
 */
export const EXACT_FIT_MAX_PIXELS = 16_000_000;

/** Source taps of one output row or column: where they start, how many, and their weights. */
interface AxisTaps {
  first: Int32Array;
  count: Int32Array;
  /** `stride` weights per output position (the unused tail is zero). */
  weights: Float64Array;
  stride: number;
}

/**
 * Triangle-filter taps mapping `length` source pixels from `start` onto
 * `out` pixels (pixel centres aligned). When shrinking, the filter widens with
 * the scale, so every source pixel contributes (antialiased, like PIL's and
 * torchvision's antialiased bilinear); when enlarging it is plain bilinear.
 */
function axisTaps(start: number, length: number, size: number, out: number): AxisTaps {
  const scale = length / out;
  const support = Math.max(1, scale);
  const stride = Math.ceil(2 * support) + 1;
  const first = new Int32Array(out);
  const count = new Int32Array(out);
  const weights = new Float64Array(out * stride);
  for (let i = 0; i < out; i++) {
    const center = start + (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - support + 0.5));
    const hi = Math.min(size, Math.floor(center + support + 0.5));
    let sum = 0;
    for (let j = lo; j < hi; j++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - center) / support));
      weights[i * stride + (j - lo)] = w;
      sum += w;
    }
    // A window entirely off the image cannot happen for valid rects; fall back to the nearest pixel.
    if (sum === 0) {
      first[i] = Math.min(size - 1, Math.max(0, Math.floor(center)));
      count[i] = 1;
      weights[i * stride] = 1;
      continue;
    }
    for (let j = 0; j < hi - lo; j++) weights[i * stride + j] /= sum;
    first[i] = lo;
    count[i] = hi - lo;
  }
  return { first, count, weights, stride };
}

/**
 * Resamples the rectangle (`sx`, `sy`, `sw`, `sh`, fractional allowed) of an
 * RGB image to `dw × dh`, in plain JavaScript arithmetic — the same numbers in
 * every JavaScript engine, so the page and Node agree to the bit.
 *
 * Each output value is a sum over the taps in ascending order, starting from
 * the first product (the loops below are unrolled for the usual tap counts;
 * the order of the additions, and so every bit, is that of the plain loop).
 * Values are rounded half up and clamped to 0–255 as `Math.round` does, but
 * computed as `Math.floor(s + 0.5)` for `s ≥ 0.5` (a third of the cost in
 * V8): from 0.5 up, the double sum `s + 0.5` never rounds across an integer,
 * so both agree; below, both give 0.
 */
export function resampleRgb(image: RawImage, sx: number, sy: number, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const h = axisTaps(sx, sw, image.width, dw);
  const v = axisTaps(sy, sh, image.height, dh);
  // Only the source rows some output row reads are filtered horizontally.
  const rowLo = v.first[0];
  const rowHi = v.first[dh - 1] + v.count[dh - 1];
  const row = dw * 3;
  const tmp = scratch((rowHi - rowLo) * row);
  for (let y = rowLo; y < rowHi; y++) filterRow(image.data, y * image.width * 3, h, tmp, (y - rowLo) * row, dw);
  const out = new Uint8Array(dw * dh * 3);
  for (let y = 0; y < dh; y++) {
    const n = v.count[y];
    const base = y * v.stride;
    filterColumns(tmp, (v.first[y] - rowLo) * row, row, n, v.weights, base, out, y * row);
  }
  return out;
}

let kept = new Float64Array(0);
/** Rows filtered horizontally are kept up to this many values (4 MB), so a typical photo allocates nothing. */
const KEEP_MAX = 1 << 19;

/** A Float64Array of at least `n` values (contents undefined: every value is written before it is read). */
function scratch(n: number): Float64Array {
  if (n > KEEP_MAX) return new Float64Array(n);
  if (kept.length < n) kept = new Float64Array(Math.max(n, Math.min(KEEP_MAX, kept.length * 2)));
  return kept;
}

/** One source row (from byte `src`) filtered horizontally into `dw` RGB doubles at `tmp[o]`. */
function filterRow(data: Uint8Array, src: number, taps: AxisTaps, tmp: Float64Array, o: number, dw: number): void {
  const { first, count, weights, stride } = taps;
  for (let x = 0, base = 0; x < dw; x++, o += 3, base += stride) {
    const n = count[x];
    let p = src + first[x] * 3;
    let w = weights[base];
    let r = data[p] * w;
    let g = data[p + 1] * w;
    let b = data[p + 2] * w;
    if (n === 3 || n === 4) {
      const w1 = weights[base + 1];
      const w2 = weights[base + 2];
      r += data[p + 3] * w1;
      g += data[p + 4] * w1;
      b += data[p + 5] * w1;
      r += data[p + 6] * w2;
      g += data[p + 7] * w2;
      b += data[p + 8] * w2;
      if (n === 4) {
        const w3 = weights[base + 3];
        r += data[p + 9] * w3;
        g += data[p + 10] * w3;
        b += data[p + 11] * w3;
      }
      tmp[o] = r;
      tmp[o + 1] = g;
      tmp[o + 2] = b;
      continue;
    }
    for (let k = 1; k < n; k++) {
      p += 3;
      w = weights[base + k];
      r += data[p] * w;
      g += data[p + 1] * w;
      b += data[p + 2] * w;
    }
    tmp[o] = r;
    tmp[o + 1] = g;
    tmp[o + 2] = b;
  }
}

/**
 * One output row: `n` rows of `tmp` (the first at `p`, `row` apart) weighted
 * by `weights[base…]` and summed per value, rounded and clamped into `out[o…]`.
 */
function filterColumns(tmp: Float64Array, p: number, row: number, n: number, weights: Float64Array, base: number, out: Uint8Array, o: number): void {
  const w0 = weights[base];
  if (n === 4) {
    const w1 = weights[base + 1];
    const w2 = weights[base + 2];
    const w3 = weights[base + 3];
    const p1 = p + row;
    const p2 = p1 + row;
    const p3 = p2 + row;
    for (let i = 0; i < row; i++) {
      const s = tmp[p + i] * w0 + tmp[p1 + i] * w1 + tmp[p2 + i] * w2 + tmp[p3 + i] * w3;
      out[o + i] = s < 0.5 ? 0 : s >= 255 ? 255 : Math.floor(s + 0.5);
    }
    return;
  }
  if (n === 3) {
    const w1 = weights[base + 1];
    const w2 = weights[base + 2];
    const p1 = p + row;
    const p2 = p1 + row;
    for (let i = 0; i < row; i++) {
      const s = tmp[p + i] * w0 + tmp[p1 + i] * w1 + tmp[p2 + i] * w2;
      out[o + i] = s < 0.5 ? 0 : s >= 255 ? 255 : Math.floor(s + 0.5);
    }
    return;
  }
  if (n === 2) {
    const w1 = weights[base + 1];
    const p1 = p + row;
    for (let i = 0; i < row; i++) {
      const s = tmp[p + i] * w0 + tmp[p1 + i] * w1;
      out[o + i] = s < 0.5 ? 0 : s >= 255 ? 255 : Math.floor(s + 0.5);
    }
    return;
  }
  for (let i = 0; i < row; i++) {
    let s = tmp[p + i] * w0;
    for (let k = 1, q = p + row + i; k < n; k++, q += row) s += tmp[q] * weights[base + k];
    out[o + i] = s < 0.5 ? 0 : s >= 255 ? 255 : Math.floor(s + 0.5);
  }
}

/**
 * Fits a decoded RGB image to `fit` (centre crop, stretch or pad onto white)
 * with {@link resampleRgb}. An image already at the target size and shape is
 * returned as it is.
 */
export function fitRaw(image: RawImage, fit: FitSpec): RawImage {
  if (image.data.length !== image.width * image.height * 3) {
    throw new Error(
      `An RGB image of ${image.width}×${image.height} needs ${image.width * image.height * 3} bytes (3 per pixel); got ${image.data.length}.`,
    );
  }
  const r = fitRects(image.width, image.height, fit);
  const s = fit.size;
  // A very thin image padded to a square still keeps one pixel of itself.
  r.dw = Math.max(1, r.dw);
  r.dh = Math.max(1, r.dh);
  if (r.dw === s && r.dh === s && r.sw === s && r.sh === s && r.sx === 0 && r.sy === 0) return image;
  const pixels = resampleRgb(image, r.sx, r.sy, r.sw, r.sh, r.dw, r.dh);
  if (r.dw === s && r.dh === s) return { data: pixels, width: s, height: s };
  const out = new Uint8Array(s * s * 3).fill(255);
  for (let y = 0; y < r.dh; y++) out.set(pixels.subarray(y * r.dw * 3, (y + 1) * r.dw * 3), ((r.dy + y) * s + r.dx) * 3);
  return { data: out, width: s, height: s };
}
