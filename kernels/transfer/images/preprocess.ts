import * as tf from '@tensorflow/tfjs';
import { isNode, nodeModules } from '../env.ts';
import type { InputRange } from '../types.ts';
import { decodeImage, decoderName } from './decode.ts';
import { drawToRaw } from './decode-browser.ts';
import type { CropMode, FitSpec, RawImage } from './raw-image.ts';
import { fitRaw, RESAMPLER } from './resample.ts';

/**
 * Anything `classify` and friends accept as one image: encoded bytes
 * (`Uint8Array`, `ArrayBuffer`, `Blob`/`File`), a path (Node) or URL, decoded
 * RGB pixels (`RawImage`), a `[h, w, 3]` tensor of pixel values 0–255, or, in
 * the page, an `ImageBitmap`, `ImageData`, canvas, `<img>` or `<video>`.
 */
export type ImageInput =
  | Uint8Array
  | ArrayBuffer
  | Blob
  | string
  | RawImage
  | tf.Tensor3D
  | ImageBitmap
  | ImageData
  | OffscreenCanvas
  | HTMLCanvasElement
  | HTMLImageElement
  | HTMLVideoElement;

/** Maps pixel values [0, 255] linearly onto `range` (float32). Caller disposes. */
export function scalePixels(pixels: tf.Tensor, range: InputRange): tf.Tensor {
  return tf.tidy(() => {
    const [lo, hi] = range;
    return tf.cast(pixels, 'float32').mul((hi - lo) / 255).add(lo);
  });
}

/** Stacks same-size RGB images into a `[n, h, w, 3]` batch scaled to `range`. Caller disposes. */
export function rawImagesToBatch(images: RawImage[], range: InputRange): tf.Tensor4D {
  if (images.length === 0) throw new Error('rawImagesToBatch needs at least one image.');
  const { width, height } = images[0];
  const all = new Uint8Array(images.length * width * height * 3);
  images.forEach((img, i) => {
    if (img.width !== width || img.height !== height) {
      throw new Error(`Image ${i} is ${img.width}×${img.height}; every image of a batch must be ${width}×${height}.`);
    }
    all.set(img.data, i * width * height * 3);
  });
  return tf.tidy(() => scalePixels(tf.tensor4d(all, [images.length, height, width, 3], 'int32'), range)) as tf.Tensor4D;
}

/** A stable text naming the preprocessing (part of the feature-cache key). */
export function preprocessingKey(fit: FitSpec, range: InputRange): string {
  return `${decoderName()}+${RESAMPLER}:${fit.crop}:${fit.size}:[${range[0]},${range[1]}]`;
}

/** Validates a crop mode, listing the valid ones in the error. */
export function checkCrop(crop: string): CropMode {
  if (crop === 'center' || crop === 'stretch' || crop === 'pad') return crop;
  throw new Error(`Invalid crop '${crop}'. Valid crops: 'center' (default), 'stretch', 'pad'.`);
}

/** Reads the bytes of a path (Node) or URL. */
export async function readBytes(pathOrUrl: string): Promise<Uint8Array> {
  if (isNode() && !/^(https?|data|blob):/.test(pathOrUrl)) {
    const { fs } = await nodeModules();
    return new Uint8Array(await fs.readFile(pathOrUrl.startsWith('file:') ? new URL(pathOrUrl) : pathOrUrl));
  }
  const response = await fetch(pathOrUrl);
  if (!response.ok) throw new Error(`fetching ${pathOrUrl} answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Decodes any `ImageInput` to RGB fitted to `fit`. */
export async function imageInputToRaw(image: ImageInput, fit: FitSpec): Promise<RawImage> {
  if (image instanceof Uint8Array) return decodeImage(image, fit);
  if (image instanceof ArrayBuffer) return decodeImage(new Uint8Array(image), fit);
  if (typeof image === 'string') return decodeImage(await readBytes(image), fit);
  if (typeof Blob !== 'undefined' && image instanceof Blob) return decodeImage(new Uint8Array(await image.arrayBuffer()), fit);
  if (image instanceof tf.Tensor) return tensorToRaw(image, fit);
  if (isRawImage(image)) return fitRaw(image, fit);
  const source = image as CanvasImageSource & { width: number; height: number; naturalWidth?: number; videoWidth?: number };
  if (typeof ImageData !== 'undefined' && image instanceof ImageData) {
    const t = tf.browser.fromPixels(image);
    try {
      return await tensorToRaw(t, fit);
    } finally {
      t.dispose();
    }
  }
  const width = source.naturalWidth || source.videoWidth || source.width;
  const height = (source as { naturalHeight?: number }).naturalHeight || (source as { videoHeight?: number }).videoHeight || source.height;
  return drawToRaw(source, width, height, fit);
}

function isRawImage(v: unknown): v is RawImage {
  const r = v as RawImage;
  return typeof r === 'object' && r !== null && r.data instanceof Uint8Array && typeof r.width === 'number' && typeof r.height === 'number';
}

/** Crops/resizes a `[h, w, 3]` pixel tensor (0–255) with bilinear sampling. */
async function tensorToRaw(image: tf.Tensor, fit: FitSpec): Promise<RawImage> {
  if (image.rank !== 3 || image.shape[2] !== 3) {
    throw new Error(`An image tensor must have shape [height, width, 3] with values 0–255; got [${image.shape.join(', ')}].`);
  }
  const [h, w] = image.shape as number[];
  const out = tf.tidy(() => {
    const x = tf.cast(image, 'float32').expandDims(0) as tf.Tensor4D;
    const s = fit.size;
    if (fit.crop === 'pad') {
      const scale = s / Math.max(w, h);
      const dw = Math.round(w * scale);
      const dh = Math.round(h * scale);
      const resized = tf.image.resizeBilinear(x, [dh, dw], false, true);
      const top = Math.floor((s - dh) / 2);
      const left = Math.floor((s - dw) / 2);
      return resized.pad([[0, 0], [top, s - dh - top], [left, s - dw - left], [0, 0]], 255);
    }
    let box = [0, 0, 1, 1];
    if (fit.crop === 'center') {
      const side = Math.min(w, h);
      const y0 = (h - side) / 2 / h;
      const x0 = (w - side) / 2 / w;
      box = [y0, x0, y0 + side / h, x0 + side / w];
    }
    return tf.image.cropAndResize(x, [box], [0], [s, s], 'bilinear');
  });
  const values = await out.data();
  out.dispose();
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(values[i])));
  return { data, width: fit.size, height: fit.size };
}
