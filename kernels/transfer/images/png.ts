/**
 * PNG encoding in plain TypeScript, for `display.image(...)` and image-grid
 * thumbnails, in a worker, a page or Node. Compression is pluggable: the Node host passes `zlib.deflateSync`;
 * without one the image data is stored in uncompressed deflate blocks, which
 * every PNG decoder reads (larger files, no library needed).
 */

export type Deflate = (bytes: Uint8Array) => Uint8Array;

/** Pixels in row-major order, `channels` per pixel (1 grey, 3 RGB, 4 RGBA), 8 bits each. */
export interface Pixels {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array | Uint8ClampedArray;
}

const COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/** Encodes pixels as a PNG file. */
export function encodePng(pixels: Pixels, deflate: Deflate = deflateStored): Uint8Array {
  return pngFile(pixels, deflate(pngScanlines(pixels)));
}

/**
 * Encodes pixels as a PNG file with an asynchronous compressor: the
 * platform's `CompressionStream('deflate')` by default (Node ≥ 18, pages,
 * workers), so no library is needed.
 */
export async function encodePngAsync(pixels: Pixels, deflate: (bytes: Uint8Array) => Promise<Uint8Array> = deflateStream): Promise<Uint8Array> {
  return pngFile(pixels, await deflate(pngScanlines(pixels)));
}

async function deflateStream(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The image data PNG compresses: each scanline starts with filter type 0 (none). */
function pngScanlines({ width, height, channels, data }: Pixels): Uint8Array {
  if (data.length !== width * height * channels) {
    throw new RangeError(`encodePng: expected ${width}×${height}×${channels} = ${width * height * channels} bytes, got ${data.length}`);
  }
  const row = width * channels;
  const raw = new Uint8Array((row + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  return raw;
}

/** The PNG file around already-compressed image data. */
function pngFile({ width, height, channels }: Pixels, compressed: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = COLOR_TYPE[channels];
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', compressed),
    chunk('IEND', new Uint8Array(0)),
  ];
  return concat(parts);
}

/** A zlib stream made of stored (uncompressed) blocks. */
export function deflateStored(bytes: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [new Uint8Array([0x78, 0x01])];
  const max = 0xffff;
  for (let at = 0; at < bytes.length || at === 0; at += max) {
    const part = bytes.subarray(at, Math.min(at + max, bytes.length));
    const last = at + max >= bytes.length;
    const head = new Uint8Array([last ? 1 : 0, part.length & 0xff, part.length >> 8, ~part.length & 0xff, (~part.length >> 8) & 0xff]);
    blocks.push(head, part);
    if (bytes.length === 0) break;
  }
  const sum = new Uint8Array(4);
  new DataView(sum.buffer).setUint32(0, adler32(bytes));
  blocks.push(sum);
  return concat(blocks);
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Base64 of bytes, without Node's Buffer (works in workers). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
