/**
 * Feature-extraction speed per shipped backbone, in Node on the wasm backend:
 * backbone only (batch 32, preprocessed input), end to end (JPEG files →
 * decode with sharp → backbone, batch 32, no cache), fused vs plain layers,
 * and the cache speed-up (second extraction of the same images).
 *
 *   npx tsx tests/bench/extract-speed.ts [--images N]   (default 128 images end to end)
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import {
  createNodeFeatureStore,
  ensureBackend,
  extractFeatures,
  loadBackbone,
  loadImageFolder,
} from '../../kernels/transfer/index.ts';
import { assetsRoot } from '../support/transfer-env.ts';

const arg = process.argv.indexOf('--images');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 128;
process.env.TAILOR_PUBLIC_DIR = assetsRoot();
const backend = await ensureBackend();
const ds = await loadImageFolder('hymenoptera_data', { verify: false });
const set = { classes: ds.classes, items: ds.all.items.slice(0, N) };
console.log(`backend ${backend}, ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg()[0].toFixed(1)}; ${set.items.length} hymenoptera images end to end, batch 32`);

const rows: string[][] = [['backbone', 'form', 'backbone img/s', 'end-to-end img/s', 'cached img/s', 'cache speed-up']];
for (const id of ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224', 'darknet_tiny']) {
  for (const fused of [true, false]) {
    const net = await loadBackbone(id, { fused });
    const x = tf.randomUniform([32, 224, 224, 3], net.info.inputRange[0], net.info.inputRange[1]) as tf.Tensor4D;
    net.features(x).dispose(); // warm-up
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      const out = net.features(x);
      await out.data();
      out.dispose();
      times.push(performance.now() - t);
    }
    x.dispose();
    const backboneRate = 32 / (times.sort((a, b) => a - b)[1] / 1000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-bench-'));
    const store = await createNodeFeatureStore(dir);
    let t = performance.now();
    await extractFeatures(net, set, { batchSize: 32, cache: store });
    const cold = (performance.now() - t) / 1000;
    t = performance.now();
    const again = await extractFeatures(net, set, { batchSize: 32, cache: store });
    const warm = (performance.now() - t) / 1000;
    if (again.cache?.hits !== set.items.length) throw new Error('second extraction did not hit the cache for every image');
    fs.rmSync(dir, { recursive: true, force: true });
    rows.push([
      id,
      fused ? 'fused' : 'layers',
      backboneRate.toFixed(1),
      (set.items.length / cold).toFixed(1),
      (set.items.length / warm).toFixed(0),
      `${(cold / warm).toFixed(0)}×`,
    ]);
    console.log(rows[rows.length - 1].join('  '));
    net.dispose();
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`\n${rows.map((r) => `| ${r.map((v, c) => v.padEnd(widths[c])).join(' | ')} |`).join('\n')}`);
console.log('\nsharp vs jpeg-js: not measured (jpeg-js is not installed); sharp decodes + crops + resizes in one libvips pass off the JS thread.');
