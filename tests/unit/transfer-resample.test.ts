// The library's own crop + resize (`fitRaw`), which the page and Node both run on a full decode so that the
// same file gives the same network input on each side (tests/browser/transfer-page.test.ts checks the page).
import * as fs from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, type CropMode, type RawImage } from '../../kernels/transfer/index.ts';
import { fitRaw } from '../../kernels/transfer/images/resample.ts';
import { photo } from '../support/transfer-env.ts';

/** An image whose columns are coloured by `colour(x)`. */
function columns(width: number, height: number, colour: (x: number) => [number, number, number]): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x), (y * width + x) * 3);
  return { data, width, height };
}

const pixel = (im: RawImage, x: number, y: number) => Array.from(im.data.subarray((y * im.width + x) * 3, (y * im.width + x) * 3 + 3));

describe('fitRaw', () => {
  it('keeps a flat colour flat at every size and crop, and pads with white', () => {
    const flat = columns(37, 23, () => [10, 128, 250]);
    for (const crop of ['center', 'stretch', 'pad'] as CropMode[]) {
      for (const size of [8, 23, 50]) {
        const out = fitRaw(flat, { size, crop });
        expect([out.width, out.height, out.data.length]).toEqual([size, size, size * size * 3]);
        expect(pixel(out, size >> 1, size >> 1), `${crop} ${size}`).toEqual([10, 128, 250]);
      }
    }
    const padded = fitRaw(columns(40, 20, () => [0, 0, 0]), { size: 20, crop: 'pad' });
    expect([pixel(padded, 10, 0), pixel(padded, 10, 4), pixel(padded, 10, 5), pixel(padded, 10, 14), pixel(padded, 10, 15)]).toEqual([
      [255, 255, 255], [255, 255, 255], [0, 0, 0], [0, 0, 0], [255, 255, 255],
    ]);
  });

  it('crops the centre square, stretches the whole image, and returns an image of the right size as it is', () => {
    const thirds = columns(300, 100, (x) => (x < 100 ? [255, 0, 0] : x < 200 ? [0, 255, 0] : [0, 0, 255]));
    const centre = fitRaw(thirds, { size: 20, crop: 'center' });
    expect(pixel(centre, 10, 10)).toEqual([0, 255, 0]);
    expect(pixel(centre, 3, 3)).toEqual([0, 255, 0]);
    const stretched = fitRaw(thirds, { size: 30, crop: 'stretch' });
    expect([pixel(stretched, 2, 15), pixel(stretched, 15, 15), pixel(stretched, 27, 15)]).toEqual([[255, 0, 0], [0, 255, 0], [0, 0, 255]]);
    const same = columns(16, 16, (x) => [x, x, x]);
    expect(fitRaw(same, { size: 16, crop: 'center' })).toBe(same);
  });

  it('enlarges smoothly (bilinear between pixel centres)', () => {
    const ramp = fitRaw(columns(2, 2, (x) => (x === 0 ? [0, 0, 0] : [200, 200, 200])), { size: 4, crop: 'stretch' });
    expect([0, 1, 2, 3].map((x) => pixel(ramp, x, 1)[0])).toEqual([0, 50, 150, 200]);
  });

  it('says what is wrong with pixels of the wrong length', () => {
    expect(() => fitRaw({ data: new Uint8Array(10), width: 4, height: 4 }, { size: 2, crop: 'center' })).toThrow(
      'An RGB image of 4×4 needs 48 bytes (3 per pixel); got 10.',
    );
  });

  it('is what decodeImage fits with in Node, and agrees with libvips\' triangle (linear) resize', async () => {
    // Photos whose centre square starts on a whole pixel, so libvips' integer extract is the same crop.
    for (const name of ['pizza', 'dog', 'cat']) {
      const bytes = new Uint8Array(fs.readFileSync(photo(name)));
      const fitted = await decodeImage(bytes, { size: 224, crop: 'center' });
      expect(Buffer.from(fitted.data).equals(Buffer.from(fitRaw(await decodeImage(bytes), { size: 224, crop: 'center' }).data))).toBe(true);
      const { width = 0, height = 0 } = await sharp(bytes).metadata();
      const side = Math.min(width, height);
      const vips = await sharp(bytes)
        .extract({ left: (width - side) / 2, top: (height - side) / 2, width: side, height: side })
        .resize(224, 224, { kernel: 'linear' })
        .raw()
        .toBuffer();
      let sum = 0;
      for (let i = 0; i < vips.length; i++) sum += Math.abs(vips[i] - fitted.data[i]);
      // The same filter; only rounding differs.
      expect(sum / vips.length, name).toBeLessThan(0.5);
    }
  });
});
