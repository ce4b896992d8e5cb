/**
 * Hardening — images: every odd file a classroom produces, through the real
 * decoder (sharp in Node) and the real dataset loader. Each case asserts
 * what the learner sees: the image decodes to RGB, or it is listed in
 * `dataset.skipped` with a reason, or `dataset.warnings` says what to fix.
 * All files are generated here (nothing committed). docs/robustness.md lists
 * the same cases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, loadImageFolder, trainHead, type ImageDataset, type RawImage } from '../../kernels/transfer/index.ts';
import { setUpTransfer, tempDir } from '../support/transfer-env.ts';

const solid = (r: number, g: number, b: number, w = 32, h = 24) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } });

/** A PNG whose header claims `width × height` with one tiny row of data: what a decompression bomb looks like to a decoder. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

/** Peak growth of this process's resident memory while `work` runs, in MB. */
async function peakRssGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T; mb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, mb: (peak - base) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

let jpeg: Buffer;
beforeAll(async () => {
  await setUpTransfer();
  jpeg = await solid(200, 30, 30, 64, 48).jpeg().toBuffer();
});

const red = (image: RawImage) => Array.from(image.data.subarray(0, 3));

interface DecodeCase {
  name: string;
  bytes: () => Promise<Uint8Array>;
  /** What the learner sees: the reason the file is skipped, or a check of the decoded pixels. */
  sees: RegExp | ((image: RawImage) => void);
}

const decodeCases: DecodeCase[] = [
  { name: 'truncated JPEG', bytes: async () => jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), sees: /^not a decodable image \(.*(truncated|premature|end)/i },
  {
    name: 'corrupt header',
    bytes: async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(200, 0x5a)]),
    sees: /^not a decodable image \(/,
  },
  { name: 'zero bytes', bytes: async () => new Uint8Array(0), sees: /^empty file \(0 bytes\)$/ },
  { name: 'a text file named .jpg', bytes: async () => Buffer.from('Homework notes, not a photo.\n'), sees: /^a text file, not an image$/ },
  { name: 'a PDF named .jpg', bytes: async () => Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), sees: /^a PDF document, not an image$/ },
  {
    name: 'an SVG named .jpg',
    bytes: async () => Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'),
    sees: /^an SVG drawing, not a photo \(save it as PNG or JPEG\)$/,
  },
  {
    name: 'a header claiming 20000×20000 pixels (decompression bomb)',
    bytes: async () => pngHeaderOnly(20000, 20000),
    sees: /^not a decodable image \(too many pixels to decode safely \(more than 268 megapixels\); shrink it first\)$/,
  },
  {
    name: 'CMYK JPEG → RGB',
    bytes: () => solid(255, 0, 0).toColourspace('cmyk').jpeg().toBuffer(),
    sees: (im) => {
      expect(im.data.length).toBe(im.width * im.height * 3);
      expect(im.data[0]).toBeGreaterThan(200);
      expect(im.data[1]).toBeLessThan(60);
    },
  },
  {
    name: '16-bit PNG → 8-bit RGB',
    bytes: () => solid(0, 128, 255).toColourspace('rgb16').png().toBuffer(),
    sees: (im) => {
      expect(im.data).toBeInstanceOf(Uint8Array);
      expect(red(im)[0]).toBeLessThan(5);
      expect(Math.abs(red(im)[1] - 128)).toBeLessThan(3);
      expect(red(im)[2]).toBeGreaterThan(250);
    },
  },
  { name: 'greyscale PNG → 3 equal channels', bytes: () => solid(90, 90, 90).greyscale().toColourspace('b-w').png().toBuffer(), sees: (im) => expect(red(im)).toEqual([90, 90, 90]) },
  {
    name: 'transparent PNG → flattened onto white',
    bytes: () => sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer(),
    sees: (im) => expect(red(im)).toEqual([255, 255, 255]),
  },
  {
    name: 'animated GIF → its first frame',
    bytes: async () => sharp([await solid(0, 0, 255, 16, 16).png().toBuffer(), await solid(255, 255, 0, 16, 16).png().toBuffer()], { join: { animated: true } }).gif().toBuffer(),
    sees: (im) => {
      expect([im.width, im.height]).toEqual([16, 16]);
      expect(im.data[2]).toBeGreaterThan(200);
      expect(im.data[0]).toBeLessThan(60);
    },
  },
  { name: '1×1 image → a whole 224×224 input', bytes: () => solid(10, 20, 30, 1, 1).png().toBuffer(), sees: (im) => expect(im.width).toBe(1) },
  {
    name: 'EXIF orientation 6 → rotated upright',
    bytes: () => solid(10, 200, 10, 40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    sees: (im) => expect([im.width, im.height]).toEqual([20, 40]),
  },
];

/** Decodes like the dataset loader does; a thrown message is what `skipped[].reason` shows. */
async function decodeOrReason(bytes: Uint8Array): Promise<RawImage | string> {
  try {
    return await decodeImage(bytes);
  } catch (error) {
    return (error as Error).message;
  }
}

describe('hardening: images', () => {
  for (const c of decodeCases) {
    it(c.name, async () => {
      const bytes = await c.bytes();
      const outcome = await decodeOrReason(bytes);
      if (c.sees instanceof RegExp) {
        expect(outcome).toEqual(expect.stringMatching(c.sees));
      } else {
        expect(typeof outcome, String(outcome)).toBe('object');
        c.sees(outcome as RawImage);
        // Every decodable image also fits the network's input.
        const fitted = await decodeImage(bytes, { size: 224, crop: 'center' });
        expect([fitted.width, fitted.height, fitted.data.length]).toEqual([224, 224, 224 * 224 * 3]);
      }
    });
  }

  it('10000×10000 JPEG: decoded to 224×224 with bounded memory (shrink-on-load)', async () => {
    const big = await sharp({ create: { width: 10000, height: 10000, channels: 3, background: { r: 40, g: 90, b: 160 } } }).jpeg({ quality: 60 }).toBuffer();
    const { result, mb } = await peakRssGrowthMb(() => decodeImage(big, { size: 224, crop: 'center' }));
    console.log(`10000×10000 JPEG (${(big.length / 2 ** 20).toFixed(1)} MB file) → 224×224: peak RSS growth ${mb.toFixed(0)} MB (full decode would be 286 MB)`);
    expect([result.width, result.height]).toEqual([224, 224]);
    expect(Math.abs(result.data[2] - 160)).toBeLessThan(6);
    expect(mb).toBeLessThan(250);
  });

  describe('folders', () => {
    const write = (root: string, rel: string, bytes: Uint8Array | string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), bytes);
    };
    const twoClasses = async (root: string) => {
      for (let i = 0; i < 5; i++) {
        write(root, `cats/c${i}.jpg`, await solid(200, 10 * i, 10, 32, 24).jpeg().toBuffer());
        write(root, `dogs/d${i}.jpg`, await solid(10, 10 * i, 200, 32, 24).jpeg().toBuffer());
      }
    };

    interface FolderCase {
      name: string;
      make(root: string): Promise<void>;
      /** What the learner sees in the dataset (warnings, skipped, classes). */
      check(ds: ImageDataset, root: string): Promise<void> | void;
    }

    const folderCases: FolderCase[] = [
      {
        name: 'unicode and space-containing file and folder names load',
        make: async (root) => {
          await twoClasses(root);
          write(root, 'cats/Фото кота 🐱 (1).jpg', jpeg);
          write(root, 'chats été/mon chat.JPG', jpeg);
        },
        check: (ds) => {
          expect(ds.classes).toEqual(['cats', 'chats été', 'dogs']);
          expect(ds.all.items.map((it) => path.basename(it.path))).toContain('Фото кота 🐱 (1).jpg');
          expect(ds.skipped).toEqual([]);
        },
      },
      {
        name: 'a class folder with no images: warned by name, not a class',
        make: async (root) => {
          await twoClasses(root);
          fs.mkdirSync(path.join(root, 'birds'));
        },
        check: (ds) => {
          expect(ds.classes).toEqual(['cats', 'dogs']);
          expect(ds.warnings).toContain("Folder 'birds' holds no images.");
        },
      },
      {
        name: 'a single class: warned, and training says a classifier needs two',
        make: async (root) => {
          for (let i = 0; i < 5; i++) write(root, `cats/c${i}.jpg`, await solid(200, 10 * i, 10).jpeg().toBuffer());
        },
        check: async (ds) => {
          expect(ds.warnings).toContain("Only one class ('cats'): a classifier needs at least two.");
          const rows = { x: new Float32Array(5 * 2), dim: 2, labels: new Int32Array(5), classes: ds.classes, items: ds.all.items };
          await expect(trainHead(rows)).rejects.toThrow('A classifier needs at least 2 classes; the training set has 1.');
        },
      },
      {
        name: 'duplicate files: named in a warning, copies in two classes called a labelling mistake',
        make: async (root) => {
          await twoClasses(root);
          fs.copyFileSync(path.join(root, 'cats/c1.jpg'), path.join(root, 'cats/c1 copy.jpg'));
          fs.copyFileSync(path.join(root, 'cats/c2.jpg'), path.join(root, 'dogs/c2.jpg'));
        },
        check: (ds) => {
          expect(ds.warnings).toContain("Duplicate images (identical files) 'cats/c1 copy.jpg', 'cats/c1.jpg': the copies count twice in training. Delete all but one.");
          expect(ds.warnings).toContain("Duplicate images (identical files) 'cats/c2.jpg', 'dogs/c2.jpg': in different classes (cats, dogs): one label is wrong. Delete all but one.");
          expect(ds.all.items).toHaveLength(12); // nothing is dropped silently
        },
      },
      {
        name: 'symlink loops (Node): the walk ends, linked folders are not followed, linked files are',
        make: async (root) => {
          await twoClasses(root);
          fs.symlinkSync(root, path.join(root, 'cats', 'loop'));
          fs.symlinkSync(path.join(root, 'dogs'), path.join(root, 'dogs', 'self'));
          fs.symlinkSync(path.join(root, 'cats', 'c0.jpg'), path.join(root, 'dogs', 'linked.jpg'));
          fs.symlinkSync(path.join(root, 'dogs', 'ring-b.jpg'), path.join(root, 'dogs', 'ring-a.jpg'));
          fs.symlinkSync(path.join(root, 'dogs', 'ring-a.jpg'), path.join(root, 'dogs', 'ring-b.jpg'));
        },
        check: (ds) => {
          expect(ds.classes).toEqual(['cats', 'dogs']);
          expect(ds.counts.all).toEqual({ cats: 5, dogs: 6 });
        },
      },
      {
        name: 'bad files among good ones: the good are kept, the bad listed with reasons',
        make: async (root) => {
          await twoClasses(root);
          write(root, 'cats/broken.jpg', jpeg.subarray(0, 100));
          write(root, 'cats/scan.jpg', '%PDF-1.4\n');
          write(root, 'dogs/notes.txt', 'notes');
          write(root, 'stray.jpg', jpeg);
        },
        check: (ds) => {
          expect(ds.counts.all).toEqual({ cats: 5, dogs: 5 });
          const reasons = Object.fromEntries(ds.skipped.map((s) => [path.basename(s.path), s.reason]));
          expect(reasons).toEqual({
            'broken.jpg': expect.stringMatching(/^not a decodable image/),
            'scan.jpg': 'a PDF document, not an image',
            'notes.txt': 'not an image file name (expected .jpg, .png, .webp, .gif, …)',
            'stray.jpg': 'not inside a class folder',
          });
        },
      },
    ];

    for (const c of folderCases) {
      it(c.name, async () => {
        const root = tempDir('tailor-hardening-images-');
        await c.make(root);
        await c.check(await loadImageFolder(root), root);
      });
    }
  });
});
