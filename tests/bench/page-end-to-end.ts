/**
 * End-to-end feature extraction in the page (the bench page's worker, set up
 * as the kernel worker is): `extractFeatures` over the ants/bees JPEGs with
 * no cache, against the backbone alone on the same batch size — the figures
 * `npm run bench` reports, without the rest of the bench.
 *
 *   npx tsx tests/bench/page-end-to-end.ts [--backbone id] [--runs N] [--batch N]
 */
import * as path from 'node:path';
import { browserRunner, openBenchBrowser } from '../../bench/browser-runners.ts';
import { parityInputs } from '../../bench/inputs.ts';
import { loadBackbone, loadImageFolder } from '../../kernels/transfer/index.ts';
import { assetsRoot } from '../support/transfer-env.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const id = arg('--backbone', 'mobilenet_v1_0.75_224');
const runs = Number(arg('--runs', '3'));
const batch = Number(arg('--batch', '32'));
process.env.TAILOR_PUBLIC_DIR = assetsRoot();
const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'bench/out');
const net = await loadBackbone(id, { simd: false });
const set = await loadImageFolder('hymenoptera_data', { verify: false });
const inputs = await parityInputs(net, set.all.items.slice(0, 32).map((it) => it.path), outDir);
const browser = await openBenchBrowser(root, outDir);
try {
  const runner = await browserRunner(browser, 'tailor-wasm', id);
  console.log(runner.info.details, 'parity', runner.parity.toExponential(1));
  const timed = await runner.prepare(batch);
  for (let r = 0; r < runs; r++) {
    const seconds = await timed.run(4);
    const e2e = await runner.endToEnd(batch, 1, 1);
    console.log(`backbone ${(4 * batch / seconds).toFixed(1)} img/s · end to end ${e2e.median.toFixed(1)} img/s over ${set.all.items.length} photos`);
  }
  await timed.release();
  await runner.dispose();
} finally {
  await browser.close();
  inputs.batch.dispose();
  net.dispose();
}
process.exit(0);
