/**
 * `npm run bench [-- --quick] [-- --write] [-- --backbones a,b] [-- --no-torch] [-- --no-onnx]
 *  [-- --no-browser] [-- --no-app] [-- --notebooks]`
 *
 * Measures Tailor's backbone inference and end-to-end feature extraction in
 * Node and in headless Chromium (cross-origin isolated, wasm on every core)
 * against its peers on the same shipped weights and real photos — TF.js's
 * layers model, PyTorch eager and optimised, ONNX Runtime in Node,
 * onnxruntime-web and the WebGL reference in the page — and against the
 * machine's FP32 ceilings; then head training, fine-tuning epochs, the app's
 * cold open and JS bytes, and (full run) the guided notebooks' headless wall
 * time. Every peer's features must match Tailor's within 1e-3 before it is
 * timed. Runners are timed interleaved (one run of each in turn), so load
 * from elsewhere skews them alike. Writes `bench/out/results.{json,md,svg}`
 * and prints the Markdown; `--write` (or a full run) also writes the
 * committed `bench/results.{json,md,svg}`.
 *
 * `--quick` (< 5 min on 2 quiet cores): 5 runs of ≥ 4 images per
 * configuration after one warm-up call per runner (at its first batch size);
 * end to end for MobileNet 0.25 and 0.75, its 5 runs over the 5 fifths of
 * the photos; cache and WebGL for 0.25 only; one fine-tuning epoch; no
 * notebooks. Full: 7 runs of ≥ 32 images after 2 warm-up calls per batch
 * size, end-to-end runs over all photos, everything for every backbone.
 * PyTorch runs in one process per mode for all backbones.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeChain, ensureBackend, loadBackbone, modelLocation } from '../kernels/transfer/index.ts';
import { guidedNotebooks, notebookLoad, type LoadFigures, type NotebookFigure } from './app-figures.ts';
import { measureBrowser } from './browser-figures.ts';
import { openBenchBrowser, type BenchBrowser } from './browser-runners.ts';
import { cacheHitVsMiss, endToEnd, type CacheFigures } from './end-to-end.ts';
import { figureOf, ratiosOf, type Figure, type RunnerInfo } from './figures.ts';
import { BACKBONES, loadBenchDataset, parityInputs, pickPhotos } from './inputs.ts';
import { machineInfo, measureCeilings, versionOf } from './machine.ts';
import { tailorOnnxRunner, tailorTfjsFusedRunner, tailorWasmRunner, tfjsLayersRunner, type Runner } from './node-runners.ts';
import { resultsMarkdown, resultsSvg, type BenchResults } from './report.ts';
import { measureInterleaved, type TimingPlan } from './timing.ts';
import { closeTorchServers, exportTorchOnnx, PYTHON, torchRunner, torchVersion } from './torch-runner.ts';
import { fineTuneEpochs, headTraining, type FineTuneFigures, type HeadFigures } from './training.ts';

const PARITY = 1e-3;
const BATCHES = [1, 8, 32];
const PARITY_PHOTOS = 32;

function parseArgs(argv: string[]) {
  const has = (flag: string) => argv.includes(flag);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const known = new Set(['--quick', '--write', '--no-torch', '--no-onnx', '--no-browser', '--no-app', '--notebooks', '--backbones']);
  for (const a of argv) {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`Unknown option ${a}; options: ${[...known].join(', ')}.`);
  }
  const backbones = value('--backbones')?.split(',') ?? [...BACKBONES];
  for (const b of backbones) {
    if (!(BACKBONES as readonly string[]).includes(b)) throw new Error(`Unknown backbone '${b}'; the bench knows ${BACKBONES.join(', ')}.`);
  }
  return { quick: has('--quick'), write: has('--write') || !has('--quick'), torch: !has('--no-torch'), onnx: !has('--no-onnx'), browser: !has('--no-browser'), app: !has('--no-app'), notebooks: has('--notebooks') || (!has('--quick') && !has('--no-app')), backbones };
}

const runStart = performance.now();
/** Progress on stderr, each line with the seconds since the start (where a slow run spends its time). */
const log = (...m: unknown[]) => console.error(`[bench ${((performance.now() - runStart) / 1000).toFixed(0).padStart(3)} s]`, ...m);

/** Wall seconds per phase of the run, for the notes (what makes `--quick` long). */
const phases: Array<[string, number]> = [];
let phaseStart = performance.now();
function phaseDone(name: string): void {
  const now = performance.now();
  phases.push([name, (now - phaseStart) / 1000]);
  phaseStart = now;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = path.resolve(import.meta.dirname, '..');
  const outDir = path.join(root, 'bench', 'out');
  fs.mkdirSync(outDir, { recursive: true });
  process.env.TAILOR_CACHE_DIR ??= path.join(outDir, 'cache');
  const plan: TimingPlan = args.quick ? { runs: 5, warmup: 1, imagesPerRun: 4 } : { runs: 7, warmup: 2, imagesPerRun: 32 };
  // Quick: a runner warms up at its first batch size only (a later size's first-call cost lands in one of ≥ 5 runs, not the median).
  const planFor = (batch: number): TimingPlan => (args.quick && batch !== BATCHES[0] ? { ...plan, warmup: 0 } : plan);
  const e2ePlan: TimingPlan = { runs: 5, warmup: 0, imagesPerRun: 0 };
  // Quick: the 5 end-to-end runs go over the 5 fifths of the photos (each photo once); full: every run over all of them.
  const e2eParts = args.quick ? e2ePlan.runs : 1;
  const started = performance.now();

  const machine = machineInfo();
  log(`${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverage.join(' ')}`);
  if (!fs.existsSync(path.join(await modelLocation('mobilenet_v1_0.25_224'), 'model.json'))) {
    throw new Error('The shipped weights are missing: run `npm run assets` (with TAILOR_ASSETS set to a local copy, or online) first.');
  }
  log('measuring the FP32 ceilings');
  const ceilings = measureCeilings(outDir, args.quick);
  const startCeilings = { native: ceilings.native.gflops, simd128: ceilings.simd128.gflops };
  phaseDone('ceilings');
  const ceilingGflops = { native: ceilings.native.gflops, simd128: ceilings.simd128.gflops };
  log(`ceilings: native ${ceilings.native.gflops.toFixed(0)} GFLOP/s, simd128 ${ceilings.simd128.gflops.toFixed(0)} GFLOP/s`);

  // PyTorch imports itself (two processes, one per mode) while the page is built.
  const torchReady = args.torch ? torchVersion() : Promise.resolve({ problem: 'PyTorch peers turned off (--no-torch).' } as { version?: string; problem?: string });
  await ensureBackend('wasm');
  const skipped: string[] = [];
  const set = await loadBenchDataset();
  const figures: Figure[] = [];
  const runners: Record<string, RunnerInfo> = {};
  const cache: CacheFigures[] = [];
  const backends: Record<string, unknown> = {
    tfjs: { backend: tf.getBackend(), simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') },
  };

  let browser: BenchBrowser | undefined;
  if (args.browser) {
    try {
      log('building and opening the browser bench page');
      browser = await openBenchBrowser(root, outDir);
      backends.browser = browser.info;
      log(`Chromium ${browser.info.chromium}, cross-origin isolated: ${browser.info.isolated}, ${browser.info.cores} cores`);
      phaseDone('browser page build');
    } catch (error) {
      skipped.push(`browser figures: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  const torch = await torchReady;
  if (torch.problem) skipped.push(torch.problem);
  for (const id of args.backbones) {
    log(`— ${id}`);
    const net = await loadBackbone(id);
    log(`features on: ${net.info.engine}`);
    // The parity reference: Tailor's fused chain on TF.js (what its SIMD engine is checked against too).
    const reference = await loadBackbone(id, { simd: false });
    const macs = describeChain(net).macs;
    const inputs = await parityInputs(reference, pickPhotos(set, PARITY_PHOTOS), outDir);
    const base = { backbone: id, where: 'node' as const, macsPerImage: macs };
    const record = (info: RunnerInfo, parity: number, t: Parameters<typeof figureOf>[0], scope: 'backbone' | 'end-to-end' = 'backbone') => {
      runners[info.runner] = info;
      const f = figureOf(t, { ...base, scope, parity }, info, ceilingGflops);
      figures.push(f);
      log(`${info.runner.padEnd(16)} ${scope === 'backbone' ? '' : 'end-to-end '}batch ${String(t.batch).padStart(2)}: ${t.median.toFixed(1)} img/s [${t.min.toFixed(1)}–${t.max.toFixed(1)}]`);
    };
    // Create every runner first (each checks parity), then time them interleaved per batch size.
    const ready: Runner[] = [];
    const add = async (name: string, make: () => Promise<Runner>) => {
      let runner: Runner | undefined;
      try {
        runner = await make();
        log(`${name} ready, parity ${runner.parity.toExponential(1)}`);
        if (runner.parity <= PARITY) {
          ready.push(runner);
          return;
        }
        skipped.push(`${name} on ${id}: features differ from Tailor's by ${runner.parity} (> ${PARITY}); not timed.`);
      } catch (error) {
        skipped.push(`${name} on ${id}: ${(error as Error).message.split('\n')[0]}`);
      }
      await runner?.dispose();
    };
    await add('tailor-wasm', async () => tailorWasmRunner(net, inputs));
    await add('tailor-tfjs-fused', async () => tailorTfjsFusedRunner(reference, inputs));
    await add('tfjs-layers', () => tfjsLayersRunner(id, inputs));
    if (args.onnx) await add('tailor-onnx', () => tailorOnnxRunner(net, inputs));
    if (!torch.problem) {
      const modelDir = await modelLocation(id);
      if (args.onnx) {
        await add('onnxruntime', async () => {
          const { onnxRuntimePeer } = await import('./onnx-peer.ts');
          return onnxRuntimePeer(await exportTorchOnnx(net, modelDir, outDir), inputs);
        });
      }
      for (const mode of ['eager', 'optimised'] as const) {
        await add(`torch-${mode}`, async () => {
          const runner = await torchRunner(net, modelDir, inputs, mode, outDir);
          backends[`torch-${mode}`] = { torch: runner.torch, threads: runner.info.threads, python: PYTHON };
          return runner;
        });
      }
    }
    try {
      for (const batch of BATCHES) {
        const measured = await measureInterleaved(ready.map((r) => ({ key: r.info.runner, prepare: () => r.prepare(batch) })), batch, planFor(batch));
        for (const r of ready) record(r.info, r.parity, measured.get(r.info.runner)!);
      }
    } finally {
      for (const r of ready) await r.dispose();
    }
    const endToEndToo = !args.quick || id !== 'darknet_tiny';
    if (endToEndToo && runners['tailor-wasm']) {
      // extractFeatures runs the backbone through ONNX Runtime when it is installed (as tailor-onnx), else TF.js wasm.
      const e2eRunner = runners['tailor-onnx'] && args.onnx ? runners['tailor-onnx'] : runners['tailor-wasm'];
      log('end to end over', set.all.items.length, 'photos');
      record(e2eRunner, 0, await endToEnd(net, set.all, 32, e2ePlan, e2eParts), 'end-to-end');
      if (!args.quick || id === 'mobilenet_v1_0.25_224') {
        cache.push(await cacheHitVsMiss(net, set.all, 32, e2ePlan, Math.ceil(set.all.items.length / e2eParts)));
        log(`cache: miss ${cache.at(-1)!.missImgPerSec.toFixed(0)} img/s, hit ${cache.at(-1)!.hit.median.toFixed(0)} img/s`);
      }
    }
    phaseDone(`${id} node`);
    if (browser) {
      log('in Chromium');
      const measured = await measureBrowser(browser, net, outDir, {
        batches: BATCHES,
        timing: plan,
        timingFor: planFor,
        endToEndParts: e2eParts,
        // Software WebGL (SwiftShader) is a reference only and takes minutes on the larger nets: MobileNet 0.25 shows it.
        webgl: id === 'mobilenet_v1_0.25_224',
        tfjsFused: true,
        endToEndRuns: endToEndToo ? e2ePlan.runs : 0,
        parityLimit: PARITY,
      }, log);
      skipped.push(...measured.skipped);
      backends[`browser ${id}`] = measured.backends;
      for (const t of measured.timed) {
        runners[`${t.info.runner} (browser)`] = t.info;
        figures.push(figureOf(t.throughput, { ...base, where: 'browser', scope: t.scope, parity: t.parity }, t.info, ceilingGflops));
      }
      phaseDone(`${id} browser`);
    }
    inputs.batch.dispose();
    reference.dispose();
    net.dispose();
  }
  await browser?.close();
  await closeTorchServers();
  // Other load at the start would lower the ceiling and flatter every fraction: the ceiling is the best of the start and now.
  const again = measureCeilings(outDir, args.quick);
  for (const kind of ['native', 'simd128'] as const) {
    if (again[kind].gflops > ceilings[kind].gflops) ceilings[kind] = again[kind];
    ceilingGflops[kind] = ceilings[kind].gflops;
  }
  for (const f of figures) f.fractionOfCeiling = f.gflops / ceilingGflops[f.ceiling];
  log(`ceilings again: native ${again.native.gflops.toFixed(0)} GFLOP/s, simd128 ${again.simd128.gflops.toFixed(0)} GFLOP/s (start: ${startCeilings.native.toFixed(0)}, ${startCeilings.simd128.toFixed(0)}); fractions use the best`);

  // Training, app and notebook figures (Node; the app's in Chromium).
  let training: { head?: HeadFigures; fineTune: FineTuneFigures[] } | undefined;
  try {
    log('training: softmax head on MobileNet 0.75 features, fine-tuning epochs');
    const head = await headTraining(set, args.quick ? 3 : 5);
    log(`head: ${head.seconds.median.toFixed(2)} s for ${head.epochs} epochs on ${head.rows} × ${head.dim}`);
    const fineTune: FineTuneFigures[] = [];
    for (const id of args.quick ? ['mobilenet_v1_0.25_224'] : ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224']) {
      fineTune.push(await fineTuneEpochs(set, id, args.quick ? 1 : 2, args.quick ? 64 : undefined));
      log(`fine-tune ${id}: ${fineTune.at(-1)!.secondsPerEpoch.toFixed(1)} s per epoch of ${fineTune.at(-1)!.images} photos`);
    }
    training = { head, fineTune };
    phaseDone('training');
  } catch (error) {
    skipped.push(`training figures: ${(error as Error).message.split('\n')[0]}`);
  }
  let app: { load?: LoadFigures; notebooks?: NotebookFigure[] } | undefined;
  if (args.app) {
    app = {};
    try {
      log('app: cold open and JS bytes (tests/bench/notebook-load.ts)');
      app.load = await notebookLoad(root);
      phaseDone('app load');
    } catch (error) {
      skipped.push(`app load figures: ${(error as Error).message.split('\n')[0]}`);
    }
    if (args.notebooks) {
      log('guided notebooks, headless (tailor run --grade, cold cache)');
      app.notebooks = await guidedNotebooks(root, log);
      phaseDone('guided notebooks');
    } else skipped.push('guided notebooks\' wall time: only in the full run (or with --notebooks).');
  }

  const ort = versionOf('onnxruntime-node');
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    machine,
    versions: {
      node: process.version,
      '@tensorflow/tfjs': versionOf('@tensorflow/tfjs'),
      '@tensorflow/tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm'),
      'onnxruntime-node': ort,
      torch: torch.version,
      gcc: ceilings.native.compiler,
    },
    backends: { ...backends, onnxruntime: ort ? { version: ort, executionProvider: 'cpu', intraOpThreads: machine.cores } : undefined },
    ceilings,
    referenceCeilings: { native: 407, simd128: 106, note: 'issue 9, measured on this machine type when quiet (2 Zen 5 cores, AVX-512)' },
    runners,
    figures,
    ratios: ratiosOf(figures),
    cache,
    training,
    app,
    skipped,
    notes: [
      `TF.js wasm in Node runs on ${(backends.tfjs as { multithread: boolean }).multithread ? 'several threads' : '1 thread'} (TF.js disables wasm threads outside the page); native runners use ${machine.cores}.`,
      `Load average at the start was ${machine.loadAverage.join(' / ')} on ${machine.cores} cores: absolute figures are only comparable within one run.`,
      browser
        ? `Browser figures: headless Chromium ${browser.info.chromium}, cross-origin isolated ${browser.info.isolated}; Tailor's SIMD kernels run on ${browser.info.cores} threads, and its TF.js wasm paths too (TF.js's half-the-cores cap lifted, as the kernel worker does); onnxruntime-web gets the same thread count; WebGL there is software (SwiftShader), a reference only.`
        : 'Browser figures were not measured (--no-browser or Chromium missing).',
      `Wall time ${((performance.now() - started) / 1000).toFixed(0)} s (${phases.map(([n, t]) => `${n} ${t.toFixed(0)} s`).join(', ')}).`,
    ],
  };
  const markdown = resultsMarkdown(results);
  const svg = resultsSvg(results);
  const targets = args.write ? [outDir, path.join(root, 'bench')] : [outDir];
  for (const dir of targets) {
    fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, 'results.md'), markdown);
    fs.writeFileSync(path.join(dir, 'results.svg'), `${svg}\n`);
  }
  console.log(markdown);
  log(`wrote ${targets.map((d) => path.relative(root, path.join(d, 'results.{json,md,svg}'))).join(' and ')}`);
}

main()
  .catch((error) => {
    console.error(`bench failed: ${(error as Error).message}`);
    process.exitCode = 1;
  })
  // The PyTorch processes hold pipes open: stop them however the run ended, so the process exits.
  .finally(() => closeTorchServers());
