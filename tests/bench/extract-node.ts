/**
 * Where Node's end-to-end feature extraction spends its time, and how close
 * it gets to backbone-only throughput: JPEG files → features over the 397
 * ants/bees photos with `extractFeatures` (no cache; ONNX Runtime backbone
 * when installed), against the same backbone on preprocessed batches of 32.
 *
 * 1. Stages, one image at a time in this thread (ms per image, median of the
 *    photos' own times): read the file, SHA-256 (the cache key), the full
 *    decode (`decodeImageNode` without fit: sharp), the shared resampler
 *    (`fitRaw`), both at once as `decodeImage` runs them (`decodeImageNode`
 *    with fit: header read, sharp, `fitRaw`), scaling to a float32 batch, and
 *    inference per image at batch 32.
 * 2. End to end vs backbone only, interleaved (run r of each in turn), for
 *    each configuration `pool:spin` given: decode-pool threads
 *    (`TAILOR_DECODE_THREADS`, 0 = decode in the main thread) and whether
 *    ORT's threads spin during extraction (`TAILOR_ONNX_SPIN`); each in a
 *    fresh child process, since both are read once per process.
 *
 *   npx tsx tests/bench/extract-node.ts [--backbones a,b] [--configs 0:1,2:1,2:0] [--runs 3] [--images N] [--no-stages]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import {
  ensureBackend,
  extractFeatures,
  loadBackbone,
  loadImageFolder,
  loadOnnxFeatures,
  releaseOnnxFeatures,
  type Backbone,
  type ImageSet,
} from '../../kernels/transfer/index.ts';
import { decodeImageNode } from '../../kernels/transfer/images/decode-node.ts';
import { closeDecodePool } from '../../kernels/transfer/images/decode-pool.ts';
import { rawImagesToPixels } from '../../kernels/transfer/images/pixel-batch.ts';
import { fitRaw } from '../../kernels/transfer/images/resample.ts';
import { assetsRoot } from '../support/transfer-env.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const BACKBONES = arg('--backbones', 'mobilenet_v1_0.25_224,mobilenet_v1_0.75_224').split(',');
/** `pool:spin` pairs: decode-pool threads (`TAILOR_DECODE_THREADS`) and whether ORT spins (`TAILOR_ONNX_SPIN`) during extraction. */
const CONFIGS = arg('--configs', '0:1,2:1,2:0').split(',').map((c) => c.split(':').map(Number) as [number, number]);
const RUNS = Number(arg('--runs', '3'));
const IMAGES = Number(arg('--images', '0'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

process.env.TAILOR_PUBLIC_DIR = assetsRoot();
await ensureBackend('wasm');
const ds = await loadImageFolder('hymenoptera_data', { verify: false });
const set: ImageSet = { classes: ds.classes, items: IMAGES > 0 ? ds.all.items.slice(0, IMAGES) : ds.all.items };

/**
 * Backbone only on what extraction runs: ONNX Runtime (ORT's defaults, as the bench's tailor-onnx runner),
 * or with `TAILOR_ONNX=0` the backbone's own `features` (TF.js wasm or the SIMD engine).
 */
async function backboneRunner(net: Backbone): Promise<{ label: string; run(x: Float32Array): Promise<void>; dispose(): Promise<void> }> {
  if (process.env.TAILOR_ONNX !== '0') {
    const onnx = await loadOnnxFeatures(net);
    return { label: `ONNX Runtime, ${onnx.threads} threads`, run: async (x) => void (await onnx.features(x)), dispose: () => onnx.dispose() };
  }
  const size = net.info.inputSize;
  return {
    label: `net.features (${net.info.engine})`,
    run: async (x) => {
      const batch = tf.tensor4d(x, [x.length / (size * size * 3), size, size, 3]);
      const out = net.features(batch);
      await out.data();
      tf.dispose([batch, out]);
    },
    dispose: async () => {},
  };
}

/** Stage costs, serial, in this thread. */
async function stages(): Promise<void> {
  const net = await loadBackbone(BACKBONES[0]);
  const fit = { size: net.info.inputSize, crop: net.info.crop };
  const t = { read: [] as number[], hash: [] as number[], decode: [] as number[], resample: [] as number[], 'decode + fit': [] as number[] };
  const fitted = [];
  for (const item of set.items) {
    let t0 = performance.now();
    const bytes = new Uint8Array(fs.readFileSync(item.path));
    t.read.push(performance.now() - t0);
    t0 = performance.now();
    await crypto.subtle.digest('SHA-256', bytes);
    t.hash.push(performance.now() - t0);
    t0 = performance.now();
    const full = await decodeImageNode(bytes);
    t.decode.push(performance.now() - t0);
    t0 = performance.now();
    fitRaw(full, fit);
    t.resample.push(performance.now() - t0);
    t0 = performance.now();
    fitted.push(await decodeImageNode(bytes, fit));
    t['decode + fit'].push(performance.now() - t0);
  }
  let t0 = performance.now();
  const batches: Float32Array[] = [];
  for (let i = 0; i < fitted.length; i += 32) batches.push(rawImagesToPixels(fitted.slice(i, i + 32), net.info.inputRange));
  const scale = (performance.now() - t0) / fitted.length;
  const lines = [`stages (${set.items.length} photos, one at a time in this thread; ms per image: median / mean):`];
  for (const [name, xs] of Object.entries(t)) lines.push(`  ${name.padEnd(22)} ${median(xs).toFixed(2)} / ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)}`);
  lines.push(`  ${'scale to float32'.padEnd(22)} ${scale.toFixed(2)} (mean)`);
  for (const id of BACKBONES) {
    const b = id === net.info.id ? net : await loadBackbone(id);
    const runner = await backboneRunner(b);
    await runner.run(batches[0]);
    t0 = performance.now();
    for (const x of batches) await runner.run(x);
    lines.push(`  ${`inference ${id}`.padEnd(22)} ${((performance.now() - t0) / fitted.length).toFixed(2)} (mean, batch 32, ${runner.label})`);
    await runner.dispose();
    b.dispose();
  }
  console.log(lines.join('\n'));
}

/** One pool size: end to end and backbone only, interleaved. */
async function child(): Promise<void> {
  const out: Record<string, { e2e: number[]; backbone: number[] }> = {};
  for (const id of BACKBONES) {
    const net = await loadBackbone(id);
    // Backbone only on what extraction runs; extractFeatures opens its own ORT session.
    const runner = await backboneRunner(net);
    const size = net.info.inputSize;
    const x = new Float32Array(32 * size * size * 3).map((_, i) => ((i * 7919) % 255) / 127.5 - 1);
    await extractFeatures(net, { classes: set.classes, items: set.items.slice(0, 64) }, { cache: false });
    const e2e: number[] = [];
    const backbone: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      let t0 = performance.now();
      const got = await extractFeatures(net, set, { cache: false, batchSize: 32 });
      e2e.push(got.items.length / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      const calls = Math.ceil(set.items.length / 32);
      for (let c = 0; c < calls; c++) await runner.run(x);
      backbone.push((calls * 32) / ((performance.now() - t0) / 1000));
    }
    out[id] = { e2e, backbone };
    await runner.dispose();
    await releaseOnnxFeatures(net);
    net.dispose();
  }
  await closeDecodePool();
  process.stdout.write(JSON.stringify(out));
}

if (process.argv.includes('--child')) await child();
else {
  console.log(`${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (!process.argv.includes('--no-stages')) await stages();
  const self = fileURLToPath(import.meta.url);
  console.log(`\nend to end (extractFeatures, no cache, batch 32) vs backbone only (${process.env.TAILOR_ONNX === '0' ? 'TAILOR_ONNX=0: net.features' : 'ONNX Runtime'}, batch 32), img/s median of ${RUNS}:`);
  for (const [pool, spin] of CONFIGS) {
    const text = execFileSync(process.execPath, [...process.execArgv, self, ...process.argv.slice(2), '--child'], {
      encoding: 'utf8',
      env: { ...process.env, TAILOR_DECODE_THREADS: String(pool), TAILOR_ONNX_SPIN: String(spin) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out = JSON.parse(text) as Record<string, { e2e: number[]; backbone: number[] }>;
    for (const [id, r] of Object.entries(out)) {
      const e = median(r.e2e);
      const b = median(r.backbone);
      console.log(`  pool ${pool} spin ${spin}  ${id.padEnd(22)} end to end ${e.toFixed(1).padStart(6)}  backbone ${b.toFixed(1).padStart(6)}  ratio ${(e / b).toFixed(2)}×`);
    }
  }
}
