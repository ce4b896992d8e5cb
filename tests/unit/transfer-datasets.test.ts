import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augment, decodeImage, fromCaptures, loadImageFolder, splitStratified } from '../../kernels/transfer/index.ts';
import { serveFolder, setUpTransfer, tempDir } from '../support/transfer-env.ts';

const solid = (r: number, g: number, b: number, w = 32, h = 24) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } });

/** A class folder tree full of odd files, generated here (nothing committed). */
async function makeOddFolder(): Promise<string> {
  const root = tempDir('tailor-odd-');
  for (const d of ['a', 'b', 'empty']) fs.mkdirSync(path.join(root, d));
  const jpeg = await solid(200, 30, 30, 64, 48).jpeg().toBuffer();
  fs.writeFileSync(path.join(root, 'a', 'good.jpg'), jpeg);
  fs.writeFileSync(path.join(root, 'a', 'corrupt.jpg'), jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
  fs.writeFileSync(path.join(root, 'a', 'empty.jpg'), new Uint8Array(0));
  fs.writeFileSync(path.join(root, 'a', 'notes.jpg'), 'These are my notes, not a photo.\n');
  fs.writeFileSync(path.join(root, 'a', 'cmyk.jpg'), await solid(255, 0, 0).toColourspace('cmyk').jpeg().toBuffer());
  fs.writeFileSync(path.join(root, 'b', 'grey.png'), await solid(128, 128, 128).greyscale().toColourspace('b-w').png().toBuffer());
  fs.writeFileSync(
    path.join(root, 'b', 'alpha.png'),
    await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer(),
  );
  fs.writeFileSync(path.join(root, 'b', 'rotated.jpg'), await solid(10, 200, 10, 40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer());
  fs.writeFileSync(path.join(root, 'b', 'frames.gif'), await solid(0, 0, 255).gif().toBuffer());
  fs.writeFileSync(path.join(root, 'b', 'doc.pdf'), '%PDF-1.4\n');
  fs.writeFileSync(path.join(root, 'stray.jpg'), jpeg);
  return root;
}

beforeAll(async () => {
  await setUpTransfer();
});

describe('loadImageFolder', () => {
  it('loads hymenoptera with its own train/val split', async () => {
    const ds = await loadImageFolder('hymenoptera_data');
    expect(ds.classes).toEqual(['ants', 'bees']);
    expect(ds.counts.train).toEqual({ ants: 123, bees: 121 });
    expect(ds.counts.val).toEqual({ ants: 70, bees: 83 });
    expect(ds.all.items).toHaveLength(397);
    expect(ds.skipped).toEqual([]);
    expect(ds.warnings).toEqual([]);
    expect(ds.train.items.some((it) => it.path.endsWith('ant photos.jpg'))).toBe(true);
    expect(ds.train.items.some((it) => it.path.endsWith('formica.jpeg'))).toBe(true);
  });

  it('keeps the good images of an odd folder and lists the bad ones with reasons', async () => {
    const root = await makeOddFolder();
    const ds = await loadImageFolder(root);
    expect(ds.classes).toEqual(['a', 'b']);
    const names = (set: { items: { path: string }[] }) => set.items.map((it) => path.basename(it.path)).sort();
    expect(names(ds.all)).toEqual(['alpha.png', 'cmyk.jpg', 'frames.gif', 'good.jpg', 'grey.png', 'rotated.jpg']);
    const reasons = Object.fromEntries(ds.skipped.map((s) => [path.basename(s.path), s.reason]));
    expect(reasons['corrupt.jpg']).toMatch(/not a decodable image/);
    expect(reasons['empty.jpg']).toBe('empty file (0 bytes)');
    expect(reasons['notes.jpg']).toBe('a text file, not an image');
    expect(reasons['doc.pdf']).toMatch(/not an image file name/);
    expect(reasons['stray.jpg']).toBe('not inside a class folder');
    expect(ds.warnings).toContain("Folder 'empty' holds no images.");
    expect(ds.warnings.some((w) => /Class 'a' has only 2 images/.test(w))).toBe(true);
  });

  it('decodes CMYK, grey, alpha, EXIF-rotated and GIF images to RGB', async () => {
    const root = await makeOddFolder();
    const read = (f: string) => decodeImage(new Uint8Array(fs.readFileSync(path.join(root, f))));
    const cmyk = await read('a/cmyk.jpg');
    expect(cmyk.data.length).toBe(cmyk.width * cmyk.height * 3);
    expect(cmyk.data[0]).toBeGreaterThan(200);
    expect(cmyk.data[1]).toBeLessThan(60);
    const grey = await read('b/grey.png');
    expect(Array.from(grey.data.subarray(0, 3))).toEqual([128, 128, 128]);
    const alpha = await read('b/alpha.png');
    expect(Array.from(alpha.data.subarray(0, 3))).toEqual([255, 255, 255]);
    const rotated = await read('b/rotated.jpg');
    expect([rotated.width, rotated.height]).toEqual([20, 40]);
    const gif = await read('b/frames.gif');
    expect(gif.data[2]).toBeGreaterThan(200);
    const fitted = await decodeImage(new Uint8Array(fs.readFileSync(path.join(root, 'a/good.jpg'))), { size: 16, crop: 'pad' });
    expect([fitted.width, fitted.height, fitted.data.length]).toEqual([16, 16, 16 * 16 * 3]);
    expect(Array.from(fitted.data.subarray(0, 3))).toEqual([255, 255, 255]); // padding is white
  });

  it('makes deterministic stratified splits', async () => {
    const ds = await loadImageFolder('hymenoptera_data');
    const a = splitStratified(ds.train, { val: 0.2, seed: 1 });
    const b = splitStratified(ds.train, { val: 0.2, seed: 1 });
    const c = splitStratified(ds.train, { val: 0.2, seed: 2 });
    expect(a.val.items.map((i) => i.path)).toEqual(b.val.items.map((i) => i.path));
    expect(a.val.items.map((i) => i.path)).not.toEqual(c.val.items.map((i) => i.path));
    expect(a.val.items.filter((i) => i.label === 0)).toHaveLength(25);
    expect(a.val.items.filter((i) => i.label === 1)).toHaveLength(24);
    const all = new Set([...a.train.items, ...a.val.items].map((i) => i.path));
    expect(all.size).toBe(244);
    const flat = await loadImageFolder(path.join(process.env.TAILOR_PUBLIC_DIR!, 'data/hymenoptera_data/train'), { split: { val: 0.2, seed: 1 }, verify: false });
    expect(flat.counts.val).toEqual({ ants: 25, bees: 24 });
    expect(() => splitStratified(ds.train, { val: 1.5 })).toThrow(/between 0 and 1/);
  });

  it('loads a URL manifest, page Files and captured frames', async () => {
    const root = await makeOddFolder();
    const files = ['a/good.jpg', 'a/cmyk.jpg', 'a/notes.jpg', 'b/grey.png', 'b/alpha.png'];
    fs.writeFileSync(path.join(root, 'index.json'), JSON.stringify({ files }));
    const server = await serveFolder(root);
    try {
      const ds = await loadImageFolder(`${server.url}/index.json`);
      expect(ds.counts.all).toEqual({ a: 2, b: 2 });
      expect(ds.skipped.map((s) => s.path)).toEqual([`${server.url}/a/notes.jpg`]);
    } finally {
      await server.close();
    }
    const picked = files.map((f) => {
      const file = new File([fs.readFileSync(path.join(root, f))], path.basename(f));
      Object.defineProperty(file, 'webkitRelativePath', { value: `my-photos/${f}` });
      return file;
    });
    const fromPicker = await loadImageFolder(picked);
    expect(fromPicker.counts.all).toEqual({ a: 2, b: 2 });
    expect(fromPicker.all.items[0].blob).toBeDefined();
    const png = await solid(1, 2, 3).png().toBuffer();
    const frames = await fromCaptures(
      [...Array(6)].map((_, i) => ({ label: i % 2 ? 'thumbs-up' : 'thumbs-down', image: new Uint8Array(png) })),
      { split: { val: 0.34, seed: 3 } },
    );
    expect(frames.classes).toEqual(['thumbs-down', 'thumbs-up']);
    expect(frames.train.items).toHaveLength(4);
    expect(frames.val?.items).toHaveLength(2);
  });

  it('says what to do for a missing dataset', async () => {
    await expect(loadImageFolder('no_such_dataset')).rejects.toThrow(/No dataset 'no_such_dataset'.*npm run assets/);
  });
});

describe('augment', () => {
  it('is deterministic per seed, keeps shape and range, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const images = tf.randomUniform([4, 32, 32, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    const a = augment(images, { seed: 1, range: [-1, 1] });
    const b = augment(images, { seed: 1, range: [-1, 1] });
    const c = augment(images, { seed: 2, range: [-1, 1] });
    expect(a.shape).toEqual([4, 32, 32, 3]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    const values = a.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const flipOnly = augment(images, { seed: 5, range: [-1, 1], crop: false, rotate: 0, jitter: false });
    const mirrored = tf.reverse(images, 2);
    const diffs = tf.tidy(() => {
      const same = flipOnly.sub(images).abs().max([1, 2, 3]).dataSync();
      const flipped = flipOnly.sub(mirrored).abs().max([1, 2, 3]).dataSync();
      return Array.from(same, (s, i) => Math.min(s, flipped[i]));
    });
    expect(Math.max(...diffs)).toBeLessThan(1e-4); // every image is either itself or its mirror
    expect(() => augment(images, { seed: 1, range: [1, -1] })).toThrow(/range/);
    tf.dispose([images, a, b, c, flipOnly, mirrored]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
