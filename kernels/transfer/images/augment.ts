import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../random.ts';
import type { InputRange } from '../types.ts';

/**
 * Options of `augment`. Every transform is drawn independently per image
 * from a PRNG seeded with `seed`: the same seed and batch give the same
 * result on every platform.
 */
export interface AugmentOptions {
  /** Seed of this call's randomness (vary it per batch/epoch, e.g. `epoch * 1000 + batch`). */
  seed: number;
  /** Value range of the images (e.g. `net.info.inputRange`, or [0, 255] for raw pixels); results are clipped to it. */
  range: InputRange;
  /** Mirror left–right with probability 0.5 (default true). */
  flip?: boolean;
  /**
   * Random resized crop: keep a random box covering `scale` of the area with
   * aspect ratio in `ratio`, resized back to the input size. Default
   * `{scale: [0.6, 1], ratio: [3/4, 4/3]}`; `false` turns it off.
   */
  crop?: { scale?: [number, number]; ratio?: [number, number] } | false;
  /** Largest rotation in degrees, either way (default 10; 0 turns it off). Corners fill with the range's midpoint. */
  rotate?: number;
  /** Colour jitter as fractions: brightness, contrast, saturation (default 0.2 each; `false` turns it off). */
  jitter?: { brightness?: number; contrast?: number; saturation?: number } | false;
}

/**
 * A randomly transformed copy of a batch `[n, h, w, 3]` for training
 * (flip, random resized crop, small rotation, colour jitter). Deterministic
 * for a seed. The input is not disposed; the caller disposes the result.
 */
export function augment(images: tf.Tensor4D, options: AugmentOptions): tf.Tensor4D {
  const { seed, range } = options;
  if (!Number.isFinite(seed)) throw new Error(`augment needs a numeric seed; got ${seed}.`);
  if (!Array.isArray(range) || range.length !== 2 || !(range[1] > range[0])) {
    throw new Error(`augment needs range: [min, max] with max > min (e.g. net.info.inputRange); got ${JSON.stringify(range)}.`);
  }
  const random = seededRandom(Math.floor(seed) ^ 0x5eed);
  const [n, h, w] = images.shape;
  const uniform = (a: number, b: number) => a + (b - a) * random();
  return tf.tidy(() => {
    let x: tf.Tensor4D = images.toFloat();
    const crop = options.crop === false ? undefined : { scale: options.crop?.scale ?? [0.6, 1], ratio: options.crop?.ratio ?? [3 / 4, 4 / 3] };
    const flip = options.flip ?? true;
    if (crop || flip) {
      const boxes: number[][] = [];
      for (let i = 0; i < n; i++) {
        let [y1, x1, y2, x2] = [0, 0, 1, 1];
        if (crop) {
          const area = uniform(crop.scale[0], crop.scale[1]);
          const ratio = Math.exp(uniform(Math.log(crop.ratio[0]), Math.log(crop.ratio[1])));
          const bw = Math.min(1, Math.sqrt(area * ratio));
          const bh = Math.min(1, Math.sqrt(area / ratio));
          y1 = uniform(0, 1 - bh);
          x1 = uniform(0, 1 - bw);
          [y2, x2] = [y1 + bh, x1 + bw];
        }
        // A box with x1 > x2 samples right to left: crop and mirror in one op.
        if (flip && random() < 0.5) [x1, x2] = [x2, x1];
        boxes.push([y1, x1, y2, x2]);
      }
      x = tf.image.cropAndResize(x, boxes, Array.from({ length: n }, (_, i) => i), [h, w], 'bilinear');
    }
    const maxDegrees = options.rotate ?? 10;
    if (maxDegrees > 0) {
      const mid = (range[0] + range[1]) / 2;
      const rotated = tf.unstack(x).map((img) =>
        tf.image.rotateWithOffset(img.expandDims(0) as tf.Tensor4D, (uniform(-maxDegrees, maxDegrees) * Math.PI) / 180, mid).squeeze([0]),
      );
      x = tf.stack(rotated) as tf.Tensor4D;
    }
    if (options.jitter !== false) {
      const j = { brightness: 0.2, contrast: 0.2, saturation: 0.2, ...(options.jitter || {}) };
      const span = range[1] - range[0];
      const perImage = (f: () => number) => tf.tensor4d(Array.from({ length: n }, f), [n, 1, 1, 1]);
      const brightness = perImage(() => uniform(-j.brightness, j.brightness) * span);
      const contrast = perImage(() => uniform(1 - j.contrast, 1 + j.contrast));
      const saturation = perImage(() => uniform(1 - j.saturation, 1 + j.saturation));
      const grey = x.mean(3, true);
      x = x.sub(grey).mul(saturation).add(grey);
      const mean = x.mean([1, 2, 3], true);
      x = x.sub(mean).mul(contrast).add(mean).add(brightness);
    }
    return x.clipByValue(range[0], range[1]) as tf.Tensor4D;
  });
}
