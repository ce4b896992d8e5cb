/**
 * How the SIMD engine's whole chain scales from 1 to 2 threads in headless
 * Chromium (a module worker of an isolated page, as the Tailor kernel runs),
 * for MobileNet 0.25 / 0.75 at batch 8 and 32, with per-call times on 1 and 2
 * threads for `--per-call` (which layers scale badly), or only some calls (`--calls 18-27`;
 * img/s then means images through those calls). 1 and 2 threads
 * alternate round by round, so both see the same machine load.
 *
 *   flock /tmp/bench.lock npx tsx tests/bench/simd-scaling.ts [--rounds 15] [--per-call] [--only mobilenet_v1_0.75_224]
 *     [--batches 8,32] [--calls 18-27] [--runners '[{},{"spinMicros":1000}]'] [--variants '[["grain1",{"pointwiseGrain":1}],["grain6",{}]]']
 *
 * `--variants`: planChain options to compare (same memory layout); `--runners`: 2-thread runners' options (ParallelRunnerOptions).
 */
import { fileURLToPath } from 'node:url';
import { describeChain, loadBackbone } from '../../kernels/transfer/index.ts';
import { buildKernelsModule } from '../../kernels/transfer/simd/kernels-module.ts';
import { planChain, type PlanOptions } from '../../kernels/transfer/simd/plan-chain.ts';
import type { ParallelRunnerOptions } from '../../kernels/transfer/simd/thread-pool.ts';
import { launchChromium } from '../browser/chromium.ts';
import { bundleForPage, serveIsolated } from '../support/isolated-page.ts';
import { setUpTransfer } from '../support/transfer-env.ts';
import type { ScalingModel, ScalingRow } from './simd-scaling-page.ts';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const ROUNDS = Number(opt('rounds', '15'));
const ONLY = opt('only', '');
const PER_CALL = argv.includes('--per-call');
const RUNNERS: ParallelRunnerOptions[] = JSON.parse(opt('runners', '[]'));
const BATCHES = opt('batches', '8,32').split(',').map(Number);
const VARIANTS: Array<[string, PlanOptions]> = JSON.parse(opt('variants', '[["default",{}]]'));
/** `--calls 18-27`: time only these calls of the chain (inclusive), e.g. the late layers. */
const CALL_RANGE = opt('calls', '').split('-').filter(Boolean).map(Number);
const pick = <T,>(calls: T[]) => (CALL_RANGE.length === 2 ? calls.slice(CALL_RANGE[0], CALL_RANGE[1] + 1) : calls);
const IDS = ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224'].filter((id) => !ONLY || id === ONLY);

await setUpTransfer();
const models: ScalingModel[] = [];
const blobs: Record<string, Uint8Array> = {};
for (const id of IDS) {
  const net = await loadBackbone(id, { simd: false });
  const spec = describeChain(net);
  net.dispose();
  const maxBatch = Math.max(...BATCHES);
  const plans = VARIANTS.map(([name, o]) => [name, planChain(spec, maxBatch, 2, o)] as const);
  const base = plans[0][1];
  for (const [name, p] of plans) {
    if (p.memoryBytes !== base.memoryBytes || p.inputOffset !== base.inputOffset) throw new Error(`variant ${name} has another memory layout`);
  }
  const pages = Math.ceil(base.memoryBytes / 65536);
  const total = base.weights.reduce((a, w) => a + w.data.byteLength, 0);
  const weights = new Uint8Array(total);
  let at = 0;
  const weightParts = base.weights.map((w) => {
    weights.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), at);
    const part = { offset: w.offset, at, bytes: w.data.byteLength };
    at += w.data.byteLength;
    return part;
  });
  blobs[id] = weights;
  models.push({
    id,
    macs: spec.macs,
    pages,
    module: buildKernelsModule({ relaxed: true, shared: true, maxPages: pages }),
    weights: new Uint8Array(0),
    weightParts,
    inputOffset: base.inputOffset,
    inputFloats: maxBatch * spec.inputSize ** 2 * 3,
    variants: plans.flatMap(([name, p]) => BATCHES.map((batch) => ({ name, batch, calls: pick(p.callsFor(batch)) }))),
    perCall: PER_CALL,
    ...(RUNNERS.length ? { runners: RUNNERS } : {}),
  });
}

const worker = await bundleForPage(
  `import { timeScaling } from './simd-scaling-page.ts';
const meta = await (await fetch('/models.json')).json();
for (const m of meta) {
  m.module = new Uint8Array(await (await fetch('/module/' + m.id)).arrayBuffer());
  m.weights = new Uint8Array(await (await fetch('/weights/' + m.id)).arrayBuffer());
}
postMessage(await timeScaling(meta, ${ROUNDS}));`,
  fileURLToPath(new URL('.', import.meta.url)),
);
const files: Record<string, [string, string | Uint8Array]> = {
  '/': ['text/html', '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>scaling</title>'],
  '/worker.js': ['text/javascript', worker],
  '/models.json': ['application/json', JSON.stringify(models.map((m) => ({ ...m, module: undefined, weights: undefined })))],
};
for (const m of models) {
  files[`/module/${m.id}`] = ['application/octet-stream', m.module];
  files[`/weights/${m.id}`] = ['application/octet-stream', blobs[m.id]];
}
const server = await serveIsolated(files);
const browser = await launchChromium();
let rows: ScalingRow[];
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  rows = await page.evaluate(
    () =>
      new Promise<ScalingRow[]>((resolve, reject) => {
        if (!crossOriginIsolated) reject(new Error('the bench page is not cross-origin isolated'));
        const w = new Worker('/worker.js', { type: 'module' });
        w.onmessage = (e: MessageEvent<ScalingRow[]>) => resolve(e.data);
        w.onerror = (e) => reject(new Error(`bench worker: ${e.message}`));
      }),
  );
} finally {
  await browser.close();
  await server.close();
}

console.log(`SIMD chain scaling, Chromium, relaxed FMA, median of ${ROUNDS} (best)`);
for (const r of rows) {
  const one = rows.find((o) => o.id === r.id && o.variant === r.variant && o.batch === r.batch && o.threads === 1)!;
  const macs = models.find((m) => m.id === r.id)!.macs;
  console.log(
    `  ${r.id.padEnd(22)} ${r.variant.padEnd(10)} batch ${String(r.batch).padStart(2)}  ${r.threads} thr${r.spin === undefined ? '' : ` ${r.spin}`}  ${r.imgPerSec.toFixed(1).padStart(6)} img/s (best ${r.best.toFixed(1)})` +
      (CALL_RANGE.length ? '' : `  ${((2 * macs * r.imgPerSec) / 1e9).toFixed(1)} GFLOP/s`) + (r.threads > 1 ? `  ×${(r.imgPerSec / one.imgPerSec).toFixed(2)}` : ''),
  );
}
if (PER_CALL) {
  for (const r of rows.filter((x) => x.threads === 2)) {
    const one = rows.find((o) => o.id === r.id && o.variant === r.variant && o.batch === r.batch && o.threads === 1)!;
    const calls = models.find((m) => m.id === r.id)!.variants.find((v) => v.name === r.variant && v.batch === r.batch)!.calls;
    console.log(`\n${r.id} ${r.variant} batch ${r.batch}: per call ms 1 thr / 2 thr (speed-up)`);
    calls.forEach((c, i) => {
      console.log(`  ${String(i).padStart(2)} ${c.fn.padEnd(10)} rows ${String(c.rows).padStart(6)}  ${one.perCallMs![i].toFixed(2).padStart(7)} ${r.perCallMs![i].toFixed(2).padStart(7)}  ×${(one.perCallMs![i] / r.perCallMs![i]).toFixed(2)}`);
    });
    const s1 = one.perCallMs!.reduce((a, b) => a + b, 0), s2 = r.perCallMs!.reduce((a, b) => a + b, 0);
    console.log(`  sum ${s1.toFixed(1)} / ${s2.toFixed(1)} ms ×${(s1 / s2).toFixed(2)}`);
  }
}
