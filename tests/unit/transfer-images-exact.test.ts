// The fast paths of Node decoding keep every pixel: `resampleRgb`'s unrolled loops and cheaper rounding give the bytes
// of the plain antialiased-bilinear loop (which the feature-cache key 'aa-bilinear' names), and the JPEG/PNG header
// read that replaced libvips' second parse gives libvips' own size.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { headerSize } from '../../kernels/transfer/images/decode-node.ts';
import type { RawImage } from '../../kernels/transfer/images/raw-image.ts';
import { fitRaw, RESAMPLER, resampleRgb } from '../../kernels/transfer/images/resample.ts';
import { assetsRoot, photo } from '../support/transfer-env.ts';

/** The resampler as first written: plain loops, tap-major accumulation, `Math.round` — the reference for every bit. */
function plainResample(image: RawImage, sx: number, sy: number, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const taps = (start: number, length: number, size: number, out: number) => {
    const scale = length / out;
    const support = Math.max(1, scale);
    const list: Array<{ first: number; weights: number[] }> = [];
    for (let i = 0; i < out; i++) {
      const center = start + (i + 0.5) * scale;
      const lo = Math.max(0, Math.floor(center - support + 0.5));
      const hi = Math.min(size, Math.floor(center + support + 0.5));
      const weights: number[] = [];
      let sum = 0;
      for (let j = lo; j < hi; j++) {
        weights.push(Math.max(0, 1 - Math.abs((j + 0.5 - center) / support)));
        sum += weights[j - lo];
      }
      if (sum === 0) list.push({ first: Math.min(size - 1, Math.max(0, Math.floor(center))), weights: [1] });
      else list.push({ first: lo, weights: weights.map((w) => w / sum) });
    }
    return list;
  };
  const h = taps(sx, sw, image.width, dw);
  const v = taps(sy, sh, image.height, dh);
  const tmp = new Float64Array(image.height * dw * 3);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < dw; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        h[x].weights.forEach((w, k) => (s += image.data[(y * image.width + h[x].first + k) * 3 + c] * w));
        tmp[(y * dw + x) * 3 + c] = s;
      }
    }
  }
  const out = new Uint8Array(dw * dh * 3);
  for (let y = 0; y < dh; y++) {
    for (let i = 0; i < dw * 3; i++) {
      let s = 0;
      v[y].weights.forEach((w, k) => (s += tmp[(v[y].first + k) * dw * 3 + i] * w));
      out[y * dw * 3 + i] = s <= 0 ? 0 : s >= 255 ? 255 : Math.round(s);
    }
  }
  return out;
}

function randomImage(width: number, height: number, levels: number, next: () => number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(next() * levels);
  return { data, width, height };
}

describe('resampleRgb', () => {
  it('gives the bytes of the plain loop for every tap count, crop, enlargement and level (so RESAMPLER stays aa-bilinear)', () => {
    expect(RESAMPLER).toBe('aa-bilinear');
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    let compared = 0;
    for (let i = 0; i < 40; i++) {
      const w = 1 + Math.floor(next() * 160);
      const h = 1 + Math.floor(next() * 160);
      // Two levels put many sums right at the rounding boundary (0.5); 256 cover the range and the clamps.
      const image = randomImage(w, h, i % 2 ? 2 : 256, next);
      for (const [dw, dh] of [[1 + Math.floor(next() * 120), 1 + Math.floor(next() * 120)], [17, 9], [w * 3, h * 2]]) {
        const sx = next() * w * 0.3;
        const sy = next() * h * 0.3;
        const args = [sx, sy, Math.max(1, (w - sx) * next()), Math.max(1, (h - sy) * next()), dw, dh] as const;
        expect(Buffer.from(resampleRgb(image, ...args)).equals(Buffer.from(plainResample(image, ...args))), `${w}×${h} → ${dw}×${dh}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBe(120);
  });

  it('gives the bytes of the plain loop on real photos at 224 (centre crop) and when enlarging', async () => {
    for (const name of ['bee', 'teddy']) {
      const { data, info } = await sharp(photo(name)).resize(150).raw().toBuffer({ resolveWithObject: true });
      const image = { data: new Uint8Array(data), width: info.width, height: info.height };
      const side = Math.min(image.width, image.height);
      const args = [(image.width - side) / 2, (image.height - side) / 2, side, side, 224, 224] as const;
      expect(Buffer.from(fitRaw(image, { size: 224, crop: 'center' }).data).equals(Buffer.from(plainResample(image, ...args))), name).toBe(true);
      expect(Buffer.from(resampleRgb(image, 3.5, 1, 40, 30, 97, 61)).equals(Buffer.from(plainResample(image, 3.5, 1, 40, 30, 97, 61)))).toBe(true);
    }
  });
});

describe('headerSize', () => {
  it("reads libvips' own width and height from JPEG and PNG headers, and leaves other bytes to libvips", async () => {
    const dir = path.join(assetsRoot(), 'data', 'hymenoptera_data', 'val', 'bees');
    const files = [...['ant', 'bee', 'cat', 'dog', 'pizza', 'teddy'].map(photo), ...fs.readdirSync(dir).slice(0, 20).map((f) => path.join(dir, f))];
    for (const file of files) {
      const bytes = new Uint8Array(fs.readFileSync(file));
      const meta = await sharp(bytes).metadata();
      expect(headerSize(bytes), file).toEqual({ width: meta.width, height: meta.height });
      const png = new Uint8Array(await sharp(bytes).resize(33, 21, { fit: 'fill' }).png().toBuffer());
      expect(headerSize(png)).toEqual({ width: 33, height: 21 });
    }
    const webp = new Uint8Array(await sharp(photo('cat')).webp().toBuffer());
    expect(headerSize(webp)).toBeUndefined();
    const jpeg = new Uint8Array(fs.readFileSync(photo('cat')));
    // Cut before the frame header, or not a marker where one belongs: not read here.
    expect(headerSize(jpeg.subarray(0, 20))).toBeUndefined();
    expect(headerSize(Uint8Array.of(0xff, 0xd8, 0x12, 0x34, ...new Uint8Array(20)))).toBeUndefined();
  });
});
