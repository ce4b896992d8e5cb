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
 */
export function resampleRgb(image: RawImage, sx: number, sy: number, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const { data, width } = image;
  const h = axisTaps(sx, sw, image.width, dw);
  const v = axisTaps(sy, sh, image.height, dh);
  const hFirst = h.first;
  const hCount = h.count;
  const hWeights = h.weights;
  const hStride = h.stride;
  // Only the source rows some output row reads are filtered horizontally.
  const rowLo = v.first[0];
  const rowHi = v.first[dh - 1] + v.count[dh - 1];
  const row = dw * 3;
  const tmp = new Float64Array((rowHi - rowLo) * row);
  for (let y = rowLo; y < rowHi; y++) {
    const src = y * width * 3;
    let o = (y - rowLo) * row;
    for (let x = 0; x < dw; x++, o += 3) {
      let r = 0;
      let g = 0;
      let b = 0;
      const base = x * hStride;
      const n = hCount[x];
      let p = src + hFirst[x] * 3;
      for (let k = 0; k < n; k++, p += 3) {
        const w = hWeights[base + k];
        r += data[p] * w;
        g += data[p + 1] * w;
        b += data[p + 2] * w;
      }
      tmp[o] = r;
      tmp[o + 1] = g;
      tmp[o + 2] = b;
    }
  }
  const out = new Uint8Array(dw * dh * 3);
  const acc = new Float64Array(row);
  const vFirst = v.first;
  const vCount = v.count;
  const vWeights = v.weights;
  const vStride = v.stride;
  for (let y = 0; y < dh; y++) {
    acc.fill(0);
    const base = y * vStride;
    const n = vCount[y];
    let p = (vFirst[y] - rowLo) * row;
    // Tap-major: each tap adds one contiguous source row, in the same order for every pixel.
    for (let k = 0; k < n; k++, p += row) {
      const w = vWeights[base + k];
      for (let i = 0; i < row; i++) acc[i] += tmp[p + i] * w;
    }
    const o = y * row;
    for (let i = 0; i < row; i++) {
      const s = acc[i];
      out[o + i] = s <= 0 ? 0 : s >= 255 ? 255 : Math.round(s);
    }
  }
  return out;
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
