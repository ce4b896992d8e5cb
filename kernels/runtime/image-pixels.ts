/**
 * Turns what `display.image(...)` accepts into 8-bit pixels: an image tensor
 * (`[h, w]`, `[h, w, c]` or `[1, h, w, c]`, c = 1, 3 or 4) or an `ImageData`.
 * Value ranges follow `tf.browser.toPixels`: int tensors are 0–255; float
 * tensors are 0–1, except that a float tensor with values above 1 is read as
 * 0–255 and one with negatives as −1–1 (MobileNet-style inputs) — so a
 * preprocessed batch shows as the picture it came from.
 */
import type { Pixels } from '../transfer/index.ts';
import { isTensorLike, type TensorLike } from './tensor-summary.ts';

interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

function isImageData(value: unknown): value is ImageDataLike {
  const v = value as ImageDataLike | null;
  return typeof v === 'object' && v !== null && typeof v.width === 'number' && typeof v.height === 'number' && v.data instanceof Uint8ClampedArray;
}

export function toPixels(source: unknown): Pixels {
  if (isImageData(source)) return { width: source.width, height: source.height, channels: 4, data: source.data };
  if (isTensorLike(source)) return tensorPixels(source);
  throw new TypeError('display.image expects an image tensor ([h, w], [h, w, c] or [1, h, w, c]) or an ImageData');
}

function tensorPixels(tensor: TensorLike): Pixels {
  if (tensor.isDisposed) throw new Error('display.image: the tensor is disposed');
  let shape = tensor.shape;
  if (shape.length === 4 && shape[0] === 1) shape = shape.slice(1);
  if (shape.length === 2) shape = [...shape, 1];
  const [height, width, channels] = shape;
  if (shape.length !== 3 || ![1, 3, 4].includes(channels)) {
    throw new RangeError(`display.image expects [h, w], [h, w, c] or [1, h, w, c] with c = 1, 3 or 4; got shape [${tensor.shape.join(', ')}]`);
  }
  const values = tensor.dataSync() as ArrayLike<number>;
  let scale = 1;
  let shift = 0;
  if (tensor.dtype === 'float32') {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      if (values[i] < min) min = values[i];
      if (values[i] > max) max = values[i];
    }
    if (min < 0) [scale, shift] = [127.5, 1];
    else if (max <= 1) scale = 255;
  }
  const data = new Uint8ClampedArray(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.round((values[i] + shift) * scale);
  return { width, height, channels: channels as 1 | 3 | 4, data };
}
