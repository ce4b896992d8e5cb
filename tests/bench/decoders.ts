/**
 * Node image decoders for the transfer library, measured on the real
 * hymenoptera photos: `sharp` (libvips, what `decodeImage` uses in Node)
 * against the pure-JS `jpeg-js` and `pngjs`. Each decoder turns every image
 * into a 224×224 RGB centre crop, as feature extraction needs:
 *
 * - sharp: decode + crop + resize in one pipeline (JPEG shrink-on-load), one
 *   image at a time and 32 at a time (as `extractFeatures` decodes a batch —
 *   libvips works on libuv's thread pool);
 * - jpeg-js / pngjs: decode on the main thread, then centre crop + bilinear
 *   resize in JS (below).
 *
 * PNG figures use the same photos re-encoded as PNG (written to a temp folder
 * first; hymenoptera ships JPEGs only). Each decoder runs in its own child
 * process, so "peak RSS" is that decoder's own high-water mark. Also prints
 * how far each pure-JS result is from sharp's (mean absolute difference in
 * 0–255 levels), so speed is compared between decoders that agree.
 *
 *   npx tsx tests/bench/decoders.ts [--rounds 3] [--limit N]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import sharp from 'sharp';

const SIZE = 224;
type Decoder = 'sharp' | 'sharp-batch32' | 'jpeg-js' | 'sharp-png' | 'pngjs';
const DECODERS: Decoder[] = ['sharp', 'sharp-batch32', 'jpeg-js', 'sharp-png', 'pngjs'];

interface RunResult {
  decoder: Decoder;
  images: number;
  seconds: number;
  imgPerSec: number;
  peakRssMiB: number;
  /** Mean |pixel − sharp's pixel| over all images, for the pure-JS decoders. */
  meanAbsDiffVsSharp?: number;
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** `public/data/hymenoptera_data` when `npm run assets` filled it, else `$TAILOR_ASSETS ?? ../shared` (not through
 * tests/support/transfer-env.ts: that loads TF.js, whose memory would count in every child's peak RSS). */
function hymenopteraRoot(): string {
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const local = path.join(repo, 'public', 'data', 'hymenoptera_data');
  if (fs.existsSync(local)) return local;
  return path.resolve(repo, process.env.TAILOR_ASSETS ?? '../shared', 'data', 'hymenoptera_data');
}

function listJpegs(): string[] {
  const root = hymenopteraRoot();
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.jpe?g$/i.test(e.name)) out.push(full);
    }
  };
  walk(root);
  return out;
}

/** Centre square crop of an RGB(A) image resized to `SIZE`×`SIZE` RGB with bilinear sampling (pixel centres aligned). */
export function cropResizeBilinear(src: Uint8Array, w: number, h: number, channels: number): Uint8Array {
  const side = Math.min(w, h);
  const x0 = (w - side) / 2;
  const y0 = (h - side) / 2;
  const scale = side / SIZE;
  const out = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    const sy = Math.min(Math.max(y0 + (y + 0.5) * scale - 0.5, 0), h - 1);
    const ya = Math.floor(sy);
    const yb = Math.min(ya + 1, h - 1);
    const fy = sy - ya;
    for (let x = 0; x < SIZE; x++) {
      const sx = Math.min(Math.max(x0 + (x + 0.5) * scale - 0.5, 0), w - 1);
      const xa = Math.floor(sx);
      const xb = Math.min(xa + 1, w - 1);
      const fx = sx - xa;
      const a = (ya * w + xa) * channels;
      const b = (ya * w + xb) * channels;
      const c = (yb * w + xa) * channels;
      const d = (yb * w + xb) * channels;
      const o = (y * SIZE + x) * 3;
      for (let k = 0; k < 3; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * fx;
        const bottom = src[c + k] + (src[d + k] - src[c + k]) * fx;
        out[o + k] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return out;
}

function sharpFit(bytes: Uint8Array): Promise<Uint8Array> {
  return sharp(bytes, { failOn: 'truncated' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(SIZE, SIZE, { fit: 'cover', position: 'centre' })
    .raw()
    .toBuffer()
    .then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

function jpegJsFit(bytes: Uint8Array): Uint8Array {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  return cropResizeBilinear(img.data, img.width, img.height, 3);
}

function pngJsFit(bytes: Uint8Array): Uint8Array {
  const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return cropResizeBilinear(img.data, img.width, img.height, 4);
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Runs one decoder over `files` (already read into memory, so disk is not measured). */
async function runDecoder(decoder: Decoder, files: string[]): Promise<RunResult> {
  const inputs = files.map((f) => new Uint8Array(fs.readFileSync(f)));
  const outputs: Uint8Array[] = new Array(inputs.length);
  const t = performance.now();
  if (decoder === 'sharp-batch32') {
    for (let i = 0; i < inputs.length; i += 32) {
      const part = await Promise.all(inputs.slice(i, i + 32).map(sharpFit));
      part.forEach((o, j) => (outputs[i + j] = o));
    }
  } else {
    for (let i = 0; i < inputs.length; i++) {
      outputs[i] = decoder === 'jpeg-js' ? jpegJsFit(inputs[i]) : decoder === 'pngjs' ? pngJsFit(inputs[i]) : await sharpFit(inputs[i]);
    }
  }
  const seconds = (performance.now() - t) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  let meanAbsDiffVsSharp: number | undefined;
  if (decoder === 'jpeg-js' || decoder === 'pngjs') {
    let s = 0;
    for (let i = 0; i < inputs.length; i++) s += meanAbsDiff(outputs[i], await sharpFit(inputs[i]));
    meanAbsDiffVsSharp = s / inputs.length;
  }
  return { decoder, images: inputs.length, seconds, imgPerSec: inputs.length / seconds, peakRssMiB, meanAbsDiffVsSharp };
}

async function child(): Promise<void> {
  const decoder = process.argv[process.argv.indexOf('--child') + 1] as Decoder;
  const list = JSON.parse(fs.readFileSync(process.argv[process.argv.indexOf('--files') + 1], 'utf8')) as string[];
  process.stdout.write(JSON.stringify(await runDecoder(decoder, list)));
}

async function main(): Promise<void> {
  const rounds = argValue('--rounds', 3);
  const jpegs = listJpegs().slice(0, argValue('--limit', Infinity));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-decoders-'));
  // The PNG set: the same photos, re-encoded losslessly.
  const pngs = await Promise.all(
    jpegs.map(async (f, i) => {
      const out = path.join(tmp, `${i}.png`);
      await sharp(f).rotate().png({ compressionLevel: 6 }).toFile(out);
      return out;
    }),
  );
  const jpegList = path.join(tmp, 'jpegs.json');
  const pngList = path.join(tmp, 'pngs.json');
  fs.writeFileSync(jpegList, JSON.stringify(jpegs));
  fs.writeFileSync(pngList, JSON.stringify(pngs));
  const self = fileURLToPath(import.meta.url);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(
    `${jpegs.length} hymenoptera JPEGs (${pngs.length} as PNG) → 224×224 RGB centre crop; ${os.cpus().length} cores ` +
      `(${os.cpus()[0]?.model}), load average ${load}` + (os.loadavg()[0] > os.cpus().length * 0.5 ? ' — the machine is busy, figures are low' : ''),
  );
  console.log(`sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), libuv threads ${process.env.UV_THREADPOOL_SIZE ?? 4}, node ${process.version}`);
  const results = new Map<Decoder, RunResult[]>();
  for (let r = 0; r < rounds; r++) {
    for (const decoder of DECODERS) {
      const list = decoder === 'sharp-png' || decoder === 'pngjs' ? pngList : jpegList;
      const text = execFileSync(process.execPath, [...process.execArgv, self, '--child', decoder, '--files', list], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const result = JSON.parse(text) as RunResult;
      results.set(decoder, [...(results.get(decoder) ?? []), result]);
      console.log(
        `  round ${r + 1} ${decoder.padEnd(13)} ${result.imgPerSec.toFixed(1).padStart(6)} img/s  peak RSS ${result.peakRssMiB.toFixed(0)} MiB` +
          (result.meanAbsDiffVsSharp !== undefined ? `  |Δ| vs sharp ${result.meanAbsDiffVsSharp.toFixed(2)} levels` : ''),
      );
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`\n${'decoder'.padEnd(14)} ${'img/s median (min–max)'.padEnd(26)} peak RSS MiB (max)`);
  for (const [decoder, runs] of results) {
    const rates = runs.map((x) => x.imgPerSec).sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)];
    const rss = Math.max(...runs.map((x) => x.peakRssMiB));
    const rate = `${median.toFixed(1)} (${rates[0].toFixed(1)}–${rates[rates.length - 1].toFixed(1)})`;
    console.log(`${decoder.padEnd(14)} ${rate.padEnd(26)} ${rss.toFixed(0)}`);
  }
}

if (process.argv.includes('--child')) await child();
else await main();
