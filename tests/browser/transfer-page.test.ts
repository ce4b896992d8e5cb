// The transfer library's page side, in the real kernel worker of the production build (real Chromium):
// decoding with createImageBitmap + OffscreenCanvas (grey PNG, PNG with alpha, CMYK JPEG, EXIF-rotated JPEG)
// against Node's sharp (same sizes, same pixels within a tolerance, fitted inputs identical), broken files
// skipped with a reason; MobileNet 0.25 classifying the shared photos; features cached in IndexedDB (all hits
// the second time, also after a kernel restart; computed by Tailor's SIMD kernels on every core) and equal to Node's within 1e-3; and weights downloaded from
// the publisher's URL cached as indexeddb:// so the next kernel loads them without a request for the shards.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page, Route } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CATALOG, decodeImage, extractFeatures, loadBackbone, loadImageFolder, type Backbone, type CropMode } from '../../kernels/transfer/index.ts';
import { assetsRoot, photo, setUpTransfer, tempDir } from '../support/transfer-env.ts';
import { useBuiltApp } from './built-app.ts';
import { launchChromium, type ChromiumSession } from './chromium.ts';
import { newNotebook, output, typeInto } from './notebook-page.ts';
import type { ServedApp } from './serve-build.ts';

const MODEL = 'mobilenet_v1_0.25_224';
const PHOTOS = ['ant', 'bee', 'cat', 'dog', 'pizza', 'teddy'];
/** Files the test serves to the page under /tailor-test/ (through Playwright routes, so the build folder is untouched). */
const served = new Map<string, { body: Buffer; type: string }>();

let app: ServedApp;
let browser: ChromiumSession;
let nodeNet: Backbone;

beforeAll(async () => {
  [app, browser] = await Promise.all([useBuiltApp(), launchChromium()]);
  await browser.context.route('**/tailor-test/**', (route: Route) => {
    const file = served.get(new URL(route.request().url()).pathname);
    return file
      ? route.fulfill({ status: 200, body: file.body, contentType: file.type, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } })
      : route.fulfill({ status: 404, body: 'not found' });
  });
  await setUpTransfer();
  nodeNet = await loadBackbone(MODEL);
});

afterAll(async () => {
  nodeNet?.dispose();
  await browser?.close();
  await app?.close();
});

/** Runs `code` as the next cell (cells are added with the toolbar) and returns what it printed after `RESULT `, parsed. */
async function runCell<T>(page: Page, n: number, code: string, timeout = 60_000): Promise<T> {
  if (n === 1) await typeInto(page, 1, code);
  else {
    await page.getByRole('button', { name: 'Add code cell', exact: true }).click();
    await page.keyboard.insertText(code);
  }
  await page.keyboard.press('Control+Enter');
  await expect
    .poll(async () => ((await output(page, n).count()) ? await output(page, n).innerText() : ''), { timeout, interval: 200 })
    .toMatch(/RESULT |Error/);
  const text = await output(page, n).innerText();
  const line = text.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`cell ${n} failed:\n${text}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

/** Cell code: bytes ↔ base64 in the worker (btoa/atob work on binary strings). */
const BASE64 =
  'const toB64 = (u8) => { let s = ""; for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode(...u8.subarray(i, i + 8192)); return btoa(s); };\n';

const fromB64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const floatsFromB64 = (text: string): Float32Array => {
  const bytes = fromB64(text);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

/** A smooth colour pattern (no sharp edges, so JPEG error stays small) with a marked top-left corner. */
function pattern(width: number, height: number, channels: 3 | 4): Buffer {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      data[o] = Math.round((255 * x) / (width - 1));
      data[o + 1] = Math.round((255 * y) / (height - 1));
      data[o + 2] = x < width / 4 && y < height / 4 ? 230 : 60;
      if (channels === 4) data[o + 3] = Math.round(255 * (0.25 + (0.75 * x) / (width - 1)));
    }
  }
  return data;
}

/** Colours mapped into 64–192, inside the CMYK gamut (saturated RGB has no exact CMYK equivalent, and each
 * colour manager maps it back differently). */
function muted(rgb: Buffer): Buffer {
  return Buffer.from(rgb.map((v) => 64 + Math.round(v / 2)));
}

/** The odd images the issue names, plus broken files; made with sharp so Node and the page decode the same bytes. */
async function makeOddImages(): Promise<Record<string, Buffer>> {
  const grey = Buffer.alloc(48 * 36);
  for (let i = 0; i < grey.length; i++) grey[i] = (i * 7) % 256;
  const good = {
    'grey.png': await sharp(grey, { raw: { width: 48, height: 36, channels: 1 } }).png().toBuffer(),
    'alpha.png': await sharp(pattern(48, 36, 4), { raw: { width: 48, height: 36, channels: 4 } }).png().toBuffer(),
    // CMYK as print workflows write it: with its ICC profile embedded.
    'cmyk.jpg': await sharp(muted(pattern(48, 36, 3)), { raw: { width: 48, height: 36, channels: 3 } })
      .withIccProfile('cmyk')
      .jpeg({ quality: 95 })
      .toBuffer(),
    // Stored 64×32, EXIF orientation 6 (rotate 90° clockwise to view): upright it is 32×64.
    'rotated.jpg': await sharp(pattern(64, 32, 3), { raw: { width: 64, height: 32, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  };
  const bee = fs.readFileSync(photo('bee'));
  const corrupt = Buffer.from(bee);
  corrupt.fill(0x5a, 200, corrupt.length); // header intact, image data garbage
  return {
    ...good,
    'empty.jpg': Buffer.alloc(0),
    'notes.jpg': Buffer.from('this is a text file with an image name\n'),
    'corrupt.jpg': corrupt,
    'truncated.jpg': bee.subarray(0, Math.floor(bee.length * 0.6)),
  };
}

test('page decoding (createImageBitmap + OffscreenCanvas in the worker) matches sharp; broken files are skipped with a reason', async () => {
  const files = await makeOddImages();
  for (const [name, body] of Object.entries(files)) served.set(`/tailor-test/odd/things/${name}`, { body, type: 'application/octet-stream' });
  served.set('/tailor-test/odd/index.json', { body: Buffer.from(JSON.stringify(Object.keys(files).map((n) => `things/${n}`))), type: 'application/json' });

  const page = await newNotebook(browser, app.url);
  const result = await runCell<{ decoded: Record<string, Decoded>; fits: Record<string, string>; skipped: Array<{ path: string; reason: string }>; kept: string[] }>(
    page,
    1,
    "import { decodeImage, loadImageFolder, readBytes } from 'tailor';\n" +
      BASE64 +
      `const names = ${JSON.stringify(Object.keys(files))};\n` +
      'const decoded = {};\n' +
      'for (const name of names) {\n' +
      '  try { const raw = await decodeImage(await readBytes(`/tailor-test/odd/things/${name}`)); decoded[name] = { width: raw.width, height: raw.height, data: toB64(raw.data) }; }\n' +
      '  catch (e) { decoded[name] = { error: e.message }; }\n' +
      '}\n' +
      'const fits = {};\n' +
      `for (const name of ${JSON.stringify(EXACT)}) for (const crop of ['center', 'stretch', 'pad'])\n` +
      '  fits[`${name} ${crop}`] = toB64((await decodeImage(await readBytes(`/tailor-test/odd/things/${name}`), { size: 20, crop })).data);\n' +
      "const ds = await loadImageFolder('/tailor-test/odd');\n" +
      'console.log("RESULT " + JSON.stringify({ decoded, fits, skipped: ds.skipped, kept: ds.all.items.map((it) => it.path) }));',
  );
  const { decoded } = result;
  // Mean |page − sharp| in levels: a grey PNG and an RGB JPEG (libjpeg-turbo on both sides) decode identically; alpha over
  // white rounds by a level here and there (Skia keeps premultiplied pixels); CMYK goes through each side's colour
  // management (skcms in Chromium, lcms in libvips), which differ by a few levels even inside the CMYK gamut.
  const tolerance: Record<string, number> = { 'grey.png': 0, 'rotated.jpg': 0, 'alpha.png': 1, 'cmyk.jpg': 8 };
  for (const [name, limit] of Object.entries(tolerance)) {
    const inPage = decoded[name];
    if ('error' in inPage) throw new Error(`the page could not decode ${name}: ${inPage.error}`);
    const node = await decodeImage(new Uint8Array(files[name]));
    expect([inPage.width, inPage.height], name).toEqual([node.width, node.height]);
    const pixels = fromB64(inPage.data);
    expect(pixels.length, name).toBe(node.width * node.height * 3);
    let sum = 0;
    for (let i = 0; i < pixels.length; i++) sum += Math.abs(pixels[i] - node.data[i]);
    expect(sum / pixels.length, `${name}: mean |page − sharp| in levels`).toBeLessThanOrEqual(limit);
  }
  // Fitted to a network input (every crop mode), the page's pixels are Node's exactly: the same full decode goes
  // through the library's own resampler on both sides.
  for (const [key, data] of Object.entries(result.fits)) {
    const [name, crop] = key.split(' ') as [string, CropMode];
    const node = await decodeImage(new Uint8Array(files[name]), { size: 20, crop });
    expect(Buffer.from(fromB64(data)).equals(Buffer.from(node.data)), key).toBe(true);
  }
  expect(Object.keys(result.fits)).toHaveLength(EXACT.length * 3);
  // EXIF orientation 6 was applied: stored 64×32, upright 32×64, and the marked corner (stored top-left) is now top-right.
  const rotated = decoded['rotated.jpg'] as { width: number; height: number; data: string };
  expect([rotated.width, rotated.height]).toEqual([32, 64]);
  const rgb = fromB64(rotated.data);
  const blueAt = (x: number, y: number) => rgb[(y * 32 + x) * 3 + 2];
  expect(blueAt(30, 2)).toBeGreaterThan(180);
  expect(blueAt(1, 2)).toBeLessThan(110);
  // Grey and alpha became RGB: grey has equal channels; alpha was flattened onto white (the left edge is 25 % opaque).
  const grey = fromB64((decoded['grey.png'] as { data: string }).data);
  expect(grey[30 * 3]).toBe(grey[30 * 3 + 1]);
  expect(grey[30 * 3 + 1]).toBe(grey[30 * 3 + 2]);
  const alpha = fromB64((decoded['alpha.png'] as { data: string }).data);
  expect(alpha[(20 * 48) * 3 + 1]).toBeGreaterThan(200);

  const reasons = Object.fromEntries(BROKEN.map((name) => [name, 'error' in decoded[name] ? (decoded[name] as { error: string }).error : 'decoded']));
  expect(reasons['empty.jpg']).toBe('empty file (0 bytes)');
  expect(reasons['notes.jpg']).toBe('a text file, not an image');
  expect(reasons['corrupt.jpg']).toMatch(/^not a decodable image \(.+\)$/);
  expect(reasons['truncated.jpg']).toMatch(/^not a decodable image \(.+\)$/);
  // The dataset keeps the good ones and lists each broken one with its reason — the same files Node skips.
  expect(result.kept.map((p) => p.split('/').pop()).sort()).toEqual(Object.keys(tolerance).sort());
  expect(Object.fromEntries(result.skipped.map((s) => [s.path.split('/').pop(), s.reason]))).toEqual(reasons);
  const folder = path.join(tempDir('tailor-odd-'), 'odd', 'things');
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), body);
  const inNode = await loadImageFolder(path.dirname(folder));
  expect(inNode.skipped.map((s) => path.basename(s.path)).sort()).toEqual([...BROKEN].sort());
  expect(browser.errorsOf(page)).toEqual([]);
});

test('in the page: MobileNet 0.25 classifies the shared photos; features are cached in IndexedDB (also across a kernel restart) and equal Node\'s', async () => {
  const page = await newNotebook(browser, app.url);
  const classified = await runCell<{ source: { kind: string; location: string }; top: Record<string, number[]>; fused: boolean; engine: string; cores: number }>(
    page,
    1,
    "import { defaultFeatureStore, extractFeatures, loadBackbone } from 'tailor';\n" +
      BASE64 +
      `const net = await loadBackbone('${MODEL}');\n` +
      `const names = ${JSON.stringify(PHOTOS)};\n` +
      'const top = {};\n' +
      'for (const n of names) top[n] = (await net.classify(`/data/photos/${n}.jpg`, { topK: 5 })).map((p) => p.index);\n' +
      'console.log("RESULT " + JSON.stringify({ source: net.info.source, top, fused: net.info.fused, engine: net.info.engine, cores: navigator.hardwareConcurrency }));',
  );
  expect(classified.source.kind).toBe('public');
  expect(classified.fused).toBe(true);
  // The kernel worker is cross-origin isolated: features run on Tailor's SIMD kernels (Relaxed SIMD FMA in Chromium) on every core.
  expect(classified.engine).toBe(`Tailor wasm SIMD (relaxed FMA), ${classified.cores} thread${classified.cores === 1 ? '' : 's'}`);
  // README of data/photos: pizza, teddy, ant and bee are top-1 for every backbone; a dog class (248–250) is in the dog's top-5.
  expect(Object.fromEntries(['pizza', 'teddy', 'ant', 'bee'].map((n) => [n, classified.top[n][0]]))).toEqual({ pizza: 963, teddy: 850, ant: 310, bee: 309 });
  expect(classified.top.dog.some((i) => i >= 248 && i <= 250)).toBe(true);

  type Extracted = { first: { hits: number; misses: number }; second: { hits: number; misses: number }; same: boolean; x: string; leaked: number; store: string };
  const extracted = await runCell<Extracted>(
    page,
    2,
    "const set = { classes: ['photo'], items: names.map((n) => ({ path: `/data/photos/${n}.jpg`, label: 0 })) };\n" +
      'const before = tf.memory().numTensors;\n' +
      'const first = await extractFeatures(net, set, { batchSize: 4 });\n' +
      'const second = await extractFeatures(net, set, { batchSize: 4 });\n' +
      'const same = first.x.length === second.x.length && first.x.every((v, i) => v === second.x[i]);\n' +
      'console.log("RESULT " + JSON.stringify({ first: first.cache, second: second.cache, same, leaked: tf.memory().numTensors - before,\n' +
      '  store: (await defaultFeatureStore()).location, x: toB64(new Uint8Array(second.x.buffer)) }));',
  );
  expect(extracted.store).toBe('indexeddb:tailor-features');
  expect(extracted.first).toEqual({ hits: 0, misses: PHOTOS.length });
  expect(extracted.second).toEqual({ hits: PHOTOS.length, misses: 0 });
  expect(extracted.same).toBe(true);
  expect(extracted.leaked).toBe(0);

  // Node, in this process, through the library: the same photos give the same features. Both sides fit the full
  // decode (bit-identical: libjpeg-turbo in both) with the library's own resampler, so only float rounding differs.
  const inNode = await extractFeatures(nodeNet, { classes: ['photo'], items: PHOTOS.map((n) => ({ path: photo(n), label: 0 })) }, { cache: false });
  const inPage = floatsFromB64(extracted.x);
  expect(inPage.length).toBe(inNode.x.length);
  console.log(`page vs Node features of ${PHOTOS.length} photos (${MODEL}): max |Δ| ${maxAbsDiff(inPage, inNode.x).toExponential(2)}`);
  expect(maxAbsDiff(inPage, inNode.x)).toBeLessThan(1e-3);

  // A fresh kernel (a new notebook: a new worker) finds every vector in IndexedDB.
  const fresh = await newNotebook(browser, app.url);
  const again = await runCell<{ cache: { hits: number; misses: number }; x: string }>(
    fresh,
    1,
    "import { extractFeatures, loadBackbone } from 'tailor';\n" +
      BASE64 +
      `const net = await loadBackbone('${MODEL}');\n` +
      `const items = ${JSON.stringify(PHOTOS)}.map((n) => ({ path: \`/data/photos/\${n}.jpg\`, label: 0 }));\n` +
      "const f = await extractFeatures(net, { classes: ['photo'], items }, { batchSize: 4 });\n" +
      'console.log("RESULT " + JSON.stringify({ cache: f.cache, x: toB64(new Uint8Array(f.x.buffer)) }));',
  );
  expect(again.cache).toEqual({ hits: PHOTOS.length, misses: 0 });
  expect(again.x).toBe(extracted.x);
  expect(browser.errorsOf(page)).toEqual([]);
  expect(browser.errorsOf(fresh)).toEqual([]);
});

test('weights downloaded from the publisher are cached as indexeddb://: the next kernel loads them with no request for the shards', async () => {
  const entry = CATALOG[MODEL];
  const publisherBase = entry.url.replace(/model\.json$/, '');
  const modelDir = path.join(assetsRoot(), 'models', MODEL);
  const publisherRequests: string[] = [];
  // No copy in public/ (as before `npm run assets`): the page must go to the publisher (served here from the shared copy,
  // with the CORS header the real bucket sends — the page is cross-origin isolated).
  const hidePublicCopy = (route: Route) => route.fulfill({ status: 404, body: 'not found' });
  const publisher = (route: Route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.split('/').pop() ?? '');
    publisherRequests.push(name);
    const file = path.join(modelDir, name);
    return fs.existsSync(file)
      ? route.fulfill({ status: 200, body: fs.readFileSync(file), headers: { 'Access-Control-Allow-Origin': '*' } })
      : route.fulfill({ status: 404, body: 'not found', headers: { 'Access-Control-Allow-Origin': '*' } });
  };
  const seen: string[] = [];
  const record = (request: { url(): string }) => seen.push(request.url());
  // A browser of its own: the app's service worker keeps what it fetched from /models/ (cache first), so in the
  // shared one the earlier tests' copy would answer before the routes below could hide it.
  const own = await launchChromium();
  await own.context.route(`**/models/${MODEL}/**`, hidePublicCopy);
  await own.context.route(`${publisherBase}**`, publisher);
  own.context.on('request', record);
  try {
    const load =
      "import { loadBackbone } from 'tailor';\n" +
      `const net = await loadBackbone('${MODEL}');\n` +
      "const top = (await net.classify('/data/photos/pizza.jpg', { topK: 1 }))[0].index;\n" +
      'console.log("RESULT " + JSON.stringify({ source: net.info.source, hash: net.info.weightsHash, top }));';
    type Loaded = { source: { kind: string; location: string }; hash: string; top: number };
    const page = await newNotebook(own, app.url);
    const first = await runCell<Loaded>(page, 1, load);
    expect(first.source).toEqual({ kind: 'download', location: entry.url });
    const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as { weightsManifest: Array<{ paths: string[] }> };
    const shards = manifest.weightsManifest.flatMap((group) => group.paths);
    expect(publisherRequests.sort()).toEqual(['model.json', ...shards].sort());
    expect(first.top).toBe(963);
    // The request log sees the kernel worker's fetches (so its silence below means something).
    const isShard = (url: string) => shards.some((shard) => url.endsWith(`/${shard}`));
    expect(seen.filter(isShard)).toHaveLength(shards.length);

    publisherRequests.length = 0;
    seen.length = 0;
    const fresh = await newNotebook(own, app.url);
    const second = await runCell<Loaded>(fresh, 1, load);
    expect(second.source).toEqual({ kind: 'cache', location: `indexeddb://tailor-model-${MODEL}` });
    expect(second.hash).toBe(first.hash);
    expect(second.top).toBe(963);
    expect(publisherRequests).toEqual([]);
    expect(seen.filter(isShard)).toEqual([]);
    expect(own.errorsOf(fresh)).toEqual([]);
  } finally {
    await own.close();
  }
});

type Decoded = { width: number; height: number; data: string } | { error: string };
/** Files whose full decode is bit-identical in Chromium and sharp (lossless grey PNG; JPEG through libjpeg-turbo). */
const EXACT = ['grey.png', 'rotated.jpg'];
const BROKEN = ['empty.jpg', 'notes.jpg', 'corrupt.jpg', 'truncated.jpg'];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
