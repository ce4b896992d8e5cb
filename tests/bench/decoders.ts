/**
 * Node image decoders for the transfer library, measured on the real
 * hymenoptera photos: `sharp` (libvips, what `decodeImage` uses in Node)
 * against the pure-JS `jpeg-js` and `pngjs`. Each turns every image into the
 * 224×224 RGB centre crop feature extraction needs:
 *
 * - sharp-shrink: decode + crop + resize in one libvips pipeline (JPEG
 *   shrink-on-load) — the library's path for images over 16 MP;
 * - sharp+fitRaw: full decode by sharp, then the library's own resampler
 *   (`fitRaw`, the same arithmetic as in the page) — `decodeImage`'s path,
 *   one image at a time and 32 at a time (as `extractFeatures` decodes a
 *   batch; libvips decodes on libuv's thread pool);
 * - jpeg-js+fitRaw / pngjs+fitRaw: pure-JS decode on the main thread, same
 *   resampler.
 *
 * PNG figures use the same photos re-encoded as PNG (written to a temp folder
 * first; hymenoptera ships JPEGs only). Each decoder runs in its own child
 * process, so "peak RSS" is that decoder's own high-water mark (shown next to
 * the RSS with just the encoded files loaded, before decoding). Also prints
 * how far each result is from `decodeImage`'s (mean absolute difference in
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
// Deep imports on purpose: the package index loads TF.js, whose memory would count in every child's peak RSS.
import { decodeImageNode } from '../../kernels/transfer/images/decode-node.ts';
import type { FitSpec, RawImage } from '../../kernels/transfer/images/raw-image.ts';
import { fitRaw } from '../../kernels/transfer/images/resample.ts';

const FIT: FitSpec = { size: 224, crop: 'center' };
type Decoder = 'sharp-shrink' | 'sharp+fitRaw' | 'sharp+fitRaw x32' | 'jpeg-js+fitRaw' | 'sharp-png+fitRaw' | 'pngjs+fitRaw';
const DECODERS: Decoder[] = ['sharp-shrink', 'sharp+fitRaw', 'sharp+fitRaw x32', 'jpeg-js+fitRaw', 'sharp-png+fitRaw', 'pngjs+fitRaw'];
const PNG_DECODERS: Decoder[] = ['sharp-png+fitRaw', 'pngjs+fitRaw'];

interface RunResult {
  decoder: Decoder;
  images: number;
  seconds: number;
  imgPerSec: number;
  /** Peak RSS once the encoded files are in memory, before decoding. */
  baseRssMiB: number;
  peakRssMiB: number;
  /** Mean |pixel − decodeImage's pixel| over all images. */
  meanAbsDiff: number;
  /** Sum of one output byte per image, so no decode can be optimised away. */
  checksum: number;
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

function sharpShrink(bytes: Uint8Array): Promise<Uint8Array> {
  return sharp(bytes, { failOn: 'truncated' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(FIT.size, FIT.size, { fit: 'cover', position: 'centre' })
    .raw()
    .toBuffer()
    .then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

const library = async (bytes: Uint8Array): Promise<Uint8Array> => (await decodeImageNode(bytes, FIT)).data;

function jpegJs(bytes: Uint8Array): Uint8Array {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  return fitRaw({ data: img.data, width: img.width, height: img.height }, FIT).data;
}

function pngJs(bytes: Uint8Array): Uint8Array {
  const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  // pngjs always gives RGBA; these PNGs are opaque, so dropping alpha is exact.
  const rgb: RawImage = { data: new Uint8Array(img.width * img.height * 3), width: img.width, height: img.height };
  for (let i = 0, j = 0; i < img.data.length; i += 4, j += 3) rgb.data.set(img.data.subarray(i, i + 3), j);
  return fitRaw(rgb, FIT).data;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Runs one decoder over `files` (already read into memory, so disk is not measured). */
async function runDecoder(decoder: Decoder, files: string[]): Promise<RunResult> {
  const inputs = files.map((f) => new Uint8Array(fs.readFileSync(f)));
  const one: Record<Decoder, (b: Uint8Array) => Uint8Array | Promise<Uint8Array>> = {
    'sharp-shrink': sharpShrink,
    'sharp+fitRaw': library,
    'sharp+fitRaw x32': library,
    'jpeg-js+fitRaw': jpegJs,
    'sharp-png+fitRaw': library,
    'pngjs+fitRaw': pngJs,
  };
  const baseRssMiB = peakRss();
  let checksum = 0;
  const t = performance.now();
  const step = decoder === 'sharp+fitRaw x32' ? 32 : 1;
  for (let i = 0; i < inputs.length; i += step) {
    const part = await Promise.all(inputs.slice(i, i + step).map((b) => one[decoder](b)));
    for (const o of part) checksum += o[o.length >> 1];
  }
  const seconds = (performance.now() - t) / 1000;
  const peakRssMiB = peakRss();
  let sum = 0;
  for (const bytes of inputs) sum += meanAbsDiff(await one[decoder](bytes), await library(bytes));
  return { decoder, images: inputs.length, seconds, imgPerSec: inputs.length / seconds, baseRssMiB, peakRssMiB, meanAbsDiff: sum / inputs.length, checksum };
}

/**
 * This process's peak resident set in MiB: VmHWM (Linux), which starts afresh at exec — unlike getrusage's
 * maxRSS, which Linux carries over from the parent that forked the child.
 */
function peakRss(): number {
  const status = fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '';
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return (hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) / 1024;
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
      await sharp(f).rotate().toColourspace('srgb').png({ compressionLevel: 6 }).toFile(out);
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
      const list = PNG_DECODERS.includes(decoder) ? pngList : jpegList;
      const text = execFileSync(process.execPath, [...process.execArgv, self, '--child', decoder, '--files', list], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const result = JSON.parse(text) as RunResult;
      results.set(decoder, [...(results.get(decoder) ?? []), result]);
      console.log(
        `  round ${r + 1} ${decoder.padEnd(17)} ${result.imgPerSec.toFixed(1).padStart(6)} img/s  RSS ${result.baseRssMiB.toFixed(0)} → peak ${result.peakRssMiB.toFixed(0)} MiB` +
          `  |Δ| vs decodeImage ${result.meanAbsDiff.toFixed(2)} levels`,
      );
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`\n${'decoder'.padEnd(17)} ${'img/s median (min–max)'.padEnd(26)} ${'RSS MiB: files → peak'.padEnd(22)} |Δ| levels`);
  for (const [decoder, runs] of results) {
    const rates = runs.map((x) => x.imgPerSec).sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)];
    const rss = `${Math.max(...runs.map((x) => x.baseRssMiB)).toFixed(0)} → ${Math.max(...runs.map((x) => x.peakRssMiB)).toFixed(0)}`;
    const diffs = runs.map((x) => x.meanAbsDiff).sort((a, b) => a - b);
    const rate = `${median.toFixed(1)} (${rates[0].toFixed(1)}–${rates[rates.length - 1].toFixed(1)})`;
    console.log(`${decoder.padEnd(17)} ${rate.padEnd(26)} ${rss.padEnd(22)} ${diffs[diffs.length >> 1].toFixed(2)}`);
  }
}

if (process.argv.includes('--child')) await child();
else await main();
