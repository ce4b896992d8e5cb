/**
 * Where the time of the fused backbone goes on TF.js wasm in Node (1 thread:
 * TF.js runs no wasm threads outside the page): per kernel and per kind of
 * kernel (first conv, depthwise, pointwise, other, dispatch), on real
 * ants/bees photos, and what single convolutions reach alone in this wasm
 * build (the GEMM and depthwise ceilings of TF.js wasm here).
 *
 *   npx tsx tests/bench/wasm-op-profile.ts [--backbones a,b] [--batches 1,8] [--detail] [--no-kernels] [--peak-only]
 *   npx tsx tests/bench/wasm-op-profile.ts --rates 1,2,4,8,32   (img/s per batch size, interleaved, instead of the profile)
 *   npx tsx tests/bench/wasm-op-profile.ts --variants 8,32 [--only name,name]   (img/s of the run strategies, interleaved)
 *
 * (`node --experimental-wasm-relaxed-simd --import tsx …` adds the Relaxed SIMD FMA peak in Node 20.)
 *
 * Run timings under `flock /tmp/bench.lock` on a shared machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compareRates, profilePass, profileTable, ratesByBatch, timeKernels, variantCases } from '../../bench/browser/op-profile.ts';
import { measureSimdPeak } from '../../bench/browser/simd-peak.ts';
import { ensureBackend, loadBackbone } from '../../kernels/transfer/index.ts';
import { assetsRoot } from '../support/transfer-env.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const backbones = option('--backbones', 'mobilenet_v1_0.75_224,mobilenet_v1_0.25_224').split(',');
const batches = option('--batches', '1,8').split(',').map(Number);
const detail = process.argv.includes('--detail');
process.env.TAILOR_PUBLIC_DIR = assetsRoot();
const backend = await ensureBackend();
console.log(`backend ${backend}, ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const photoDir = path.join(assetsRoot(), 'data/hymenoptera_data/train/ants');
const rates = process.argv.includes('--rates') ? option('--rates', '1,8,32').split(',').map(Number) : undefined;
const variants = process.argv.includes('--variants') ? option('--variants', '8,32').split(',').map(Number) : undefined;
const only = process.argv.includes('--only') ? option('--only', '').split(',') : undefined;
const photos = fs.readdirSync(photoDir).slice(0, Math.max(...batches, ...(rates ?? []), ...(variants ?? []))).map((f) => path.join(photoDir, f));

const peak = await measureSimdPeak();
console.log(`wasm SIMD peak, 1 thread: f32x4.mul+add ${peak.mulAdd.toFixed(1)} GFLOP/s; f32x4.relaxed_madd ${peak.relaxedMadd?.toFixed(1) ?? 'not available'} GFLOP/s`);
if (process.argv.includes('--peak-only')) process.exit(0);

for (const id of backbones) {
  const net = await loadBackbone(id);
  const all = await net.preprocess(photos);
  if (variants) {
    const v = variantCases(net, variants, only);
    console.log(`\n## ${id}: run strategies, img/s (median [min–max] of ${option('--runs', '5')}, interleaved)\n`);
    for (const r of await compareRates(v.cases, all, Number(option("--runs", "5")), Math.max(16, ...variants))) console.log(`batch ${r.batch} ${r.name}: ${r.imgPerSec.toFixed(1)} [${r.min.toFixed(1)}–${r.max.toFixed(1)}]`);
    v.dispose();
    all.dispose();
    net.dispose();
    continue;
  }
  if (rates) {
    console.log(`\n## ${id} fused: img/s by batch size (median [min–max] of 5, interleaved)\n`);
    for (const r of await ratesByBatch((x) => net.features(x), all, rates)) console.log(`batch ${r.batch}: ${r.imgPerSec.toFixed(1)} [${r.min.toFixed(1)}–${r.max.toFixed(1)}]`);
    all.dispose();
    net.dispose();
    continue;
  }
  for (const batch of batches) {
    const x = all.slice(0, batch);
    const profile = await profilePass(() => net.features(x), batch);
    console.log(`\n## ${id} fused (wasm, ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : '1 thread'})\n`);
    console.log(profileTable(profile, detail));
    x.dispose();
  }
  all.dispose();
  net.dispose();
}

if (!process.argv.includes('--no-kernels')) {
  console.log('\n## Single kernels alone (relu6 fused, median of 7)\n');
  console.log('| kernel | ms | GFLOP/s |\n| --- | ---: | ---: |');
  for (const k of await timeKernels()) console.log(`| ${k.what} | ${k.ms.toFixed(2)} | ${k.gflops.toFixed(1)} |`);
}
