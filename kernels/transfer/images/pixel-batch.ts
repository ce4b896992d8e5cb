import type { InputRange } from '../types.ts';
import type { RawImage } from './raw-image.ts';

const tables = new Map<string, Float32Array>();

/**
 * The float32 value of each pixel level 0–255 mapped onto `range`, computed
 * as TF.js's `cast → mul((hi − lo) / 255) → add(lo)` does in float32
 * (each step rounded to float32; a double product or sum of two float32
 * values rounded once to float32 is exactly the float32 operation).
 */
function levelTable(range: InputRange): Float32Array {
  const key = `${range[0]},${range[1]}`;
  let table = tables.get(key);
  if (!table) {
    const [lo, hi] = range;
    const scale = Math.fround((hi - lo) / 255);
    const offset = Math.fround(lo);
    table = new Float32Array(256);
    for (let v = 0; v < 256; v++) table[v] = Math.fround(Math.fround(v * scale) + offset);
    tables.set(key, table);
  }
  return table;
}

/** Looks each byte up in `table`, copying the float32 values as their 32-bit patterns (no float conversions: faster in V8). */
function scaleInto(src: Uint8Array, table: Float32Array, out: Float32Array, base: number): void {
  const n = src.length;
  const bits = new Uint32Array(table.buffer, table.byteOffset, table.length);
  const dst = new Uint32Array(out.buffer, out.byteOffset + base * 4, n);
  for (let k = 0; k < n; k++) dst[k] = bits[src[k]];
}

/**
 * Same-size RGB images as one float32 NHWC batch `[n, h, w, 3]` scaled onto
 * `range` — the values `rawImagesToBatch` gives, built in plain JavaScript
 * (a table lookup per byte: no tensors, no backend round trip), ready for
 * ONNX Runtime or `tf.tensor4d`. Writes into `into` when given (at least
 * `n·h·w·3` long).
 */
export function rawImagesToPixels(images: RawImage[], range: InputRange, into?: Float32Array): Float32Array {
  if (images.length === 0) throw new Error('rawImagesToPixels needs at least one image.');
  const { width, height } = images[0];
  const per = width * height * 3;
  const out = into ?? new Float32Array(images.length * per);
  if (out.length < images.length * per) throw new Error(`rawImagesToPixels: the output holds ${out.length} values; ${images.length * per} needed.`);
  const table = levelTable(range);
  for (let i = 0; i < images.length; i++) {
    const img = images[i];
    if (img.width !== width || img.height !== height || img.data.length !== per) {
      throw new Error(`Image ${i} is ${img.width}×${img.height}; every image of a batch must be ${width}×${height} RGB.`);
    }
    scaleInto(img.data, table, out, i * per);
  }
  return out;
}

/** Mirrors every image of an NHWC float32 batch left–right (a new array). */
export function mirrorPixels(pixels: Float32Array, n: number, height: number, width: number): Float32Array {
  const out = new Float32Array(pixels.length);
  const row = width * 3;
  for (let r = 0; r < n * height; r++) {
    const o = r * row;
    for (let x = 0; x < width; x++) {
      const s = o + x * 3;
      const d = o + (width - 1 - x) * 3;
      out[d] = pixels[s];
      out[d + 1] = pixels[s + 1];
      out[d + 2] = pixels[s + 2];
    }
  }
  return out;
}
