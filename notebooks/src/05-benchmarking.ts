// %% [markdown]
// # 5. Benchmarking
//
// So far you measured how *good* a model is. Now: how *fast*, and what the speed costs. You will time a
// network the right way (warm-up first, then many runs), compare ways of running it, and put three backbones
// side by side — accuracy against speed against size — on **this** machine. The numbers are yours: they
// depend on your processor, your browser and what else is running, and that is the point.
//
// Previous: [4. Fine-tuning](04-fine-tuning.ipynb) · Next: [6. Your own images](06-your-own-images.ipynb)

// %% tags=["parameters"]
const backbone = 'mobilenet_v1_0.25_224'; // the network timed in the first sections
const dataset = 'hymenoptera_data';
const backbones = ['mobilenet_v1_0.25_224', 'mobilenet_v1_0.75_224', 'darknet_tiny']; // compared at the end
const photosPerClass = 10; // train and validation photos per class for the comparison (more: slower, surer)
const runs = 5; // timed calls per configuration

// %% [markdown]
// ## Warm-up, and why it matters
//
// The first time a network runs, a lot happens that never happens again: the backend compiles its
// programs, copies the weights where it computes, and reserves memory — and some of it happens again the
// first time the network sees a new *shape* of input, such as a new batch size. Time only the first call and
// you measure all that. Below, a batch of 16 images, a size this network has not seen yet, goes through it
// six times in a row.

// %%
import { loadBackbone, loadImageFolder, extractFeatures, trainHead, evaluate, benchmark, benchmarkBars, check } from 'tailor';
import type { BenchmarkRow } from 'tailor';

const net = await loadBackbone(backbone);
const batch = tf.randomUniform([16, net.info.inputSize, net.info.inputSize, 3], -1, 1) as tf.Tensor4D;
const calls: { call: number; ms: number }[] = [];
for (let call = 1; call <= 6; call++) {
  const started = performance.now();
  const features = net.features(batch);
  await features.data(); // the work is only done when the result is read
  features.dispose();
  calls.push({ call, ms: performance.now() - started });
}
batch.dispose();
net.dispose();
display(
  Plot.plot({
    height: 200,
    x: { label: 'call', tickFormat: 'd' },
    y: { label: 'milliseconds', grid: true },
    marks: [Plot.barY(calls, { x: 'call', y: 'ms', fill: (d) => (d.call === 1 ? 'orange' : 'steelblue') }), Plot.ruleY([0])],
  }),
);
console.log(`first call ${calls[0].ms.toFixed(0)} ms; median of the others ${[...calls.slice(1)].sort((a, b) => a.ms - b.ms)[2].ms.toFixed(0)} ms`);

// %% [markdown]
// How much the first bar stands out depends on the backend: with WebAssembly it is a fraction more; with
// `webgl` in a browser, where programs are compiled for the graphics card, the first call can take seconds.
// (`loadBackbone` runs the network once on a single image before returning, so that part is already paid.)
// Either way: never report a first call as "the speed".
//
// **Try this:** run the cell again. Is the first call still slower? Why not?

// %% [markdown]
// ## Latency and throughput
//
// Two different questions:
//
// - **Latency**: how long does *one* answer take? That is what a person waiting for a webcam prediction feels.
//   We report the **median** (half of the calls were faster) and the **p95** (95 % were faster — the slow
//   moments people remember).
// - **Throughput**: how many images per second when you have many? Batching images together usually helps:
//   the fixed cost of each call is shared.
//
// `benchmark` does it properly: a first call, warm-up calls, then `runs` timed calls, for each **backend**
// (the engine that does the arithmetic: `wasm` is WebAssembly, `cpu` is plain JavaScript, `webgl` uses the
// graphics card in a browser) and each batch size. On `wasm`, Tailor computes features with its own
// SIMD kernels on every core; each row's `engine` says what really ran.

// %%
const small = await loadBackbone(backbone);
const bar = progress(3, { label: 'benchmark' });
const fast = await benchmark(small, { backends: [tf.getBackend()], batchSizes: [1, 8, 32], warmup: 1, runs, signal, onProgress: (p) => bar.set(p.done) });
// Plain JavaScript is much slower: one image per call, three runs, is enough to see it.
const slow = await benchmark(small, { backends: ['cpu'], batchSizes: [1], warmup: 1, runs: 3, signal });
bar.finish();
const rows: BenchmarkRow[] = [...fast.rows, ...slow.rows];
for (const r of rows) console.log(`${r.backend} (${r.engine}) batch ${r.batchSize}: first ${r.firstMs.toFixed(0)} ms, median ${r.medianMs.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms, ${r.imagesPerSecond.toFixed(1)} images/s`);
display(rows.map((r) => ({ backend: r.backend, batch: r.batchSize, 'first ms': r.firstMs.toFixed(0), 'median ms': r.medianMs.toFixed(1), 'p95 ms': r.p95Ms.toFixed(1), 'images/s': r.imagesPerSecond.toFixed(1), 'tensors alive': r.numTensors, MB: (r.numBytes / 1e6).toFixed(1) })));
display(benchmarkBars(rows.map((r) => ({ label: `${r.backend}, batch ${r.batchSize}`, value: r.imagesPerSecond, backend: r.backend })), { group: 'backend', unit: 'images per second', title: `${backbone}: throughput` }));

// %% [markdown]
// Read the table: a bigger batch gives more images per second, but each call takes longer — good for
// processing a folder, bad for a live camera. The `cpu` backend shows why Tailor uses WebAssembly.
// "tensors alive" and "MB" are what the network keeps in memory: mostly its weights.
//
// **Try this:** in the browser, add `'webgl'` to `backends`. Is the graphics card faster here? For batch 1?

// %%
const tensorsBefore = tf.memory().numTensors;
await benchmark(small, { batchSizes: [2], warmup: 0, runs: 2 });
check('benchmark leaves no tensors behind', tf.memory().numTensors, tensorsBefore);
check('p95 is never below the median', rows.every((r) => r.p95Ms >= r.medianMs), true);
check('WebAssembly beats plain JavaScript', fast.rows[0].imagesPerSecond > slow.rows[0].imagesPerSecond, true);
small.dispose();

// %% [markdown]
// ## Three backbones side by side
//
// Bigger networks are usually more accurate and always slower. Is the extra accuracy worth it *for ants and
// bees*? For each backbone we measure its speed (batch of 8 on this machine), its size (what a user must
// download), and its accuracy with a softmax head trained on `photosPerClass` photos per class and tested
// on as many validation photos. With so few photos each one is worth several points of accuracy, so treat
// small differences as noise.

// %%
const data = await loadImageFolder(dataset, { verify: false });
const pick = (set: typeof data.train) => ({
  classes: set.classes,
  items: set.classes.flatMap((_, label) => set.items.filter((item) => item.label === label).slice(0, photosPerClass)),
});
const trainSample = pick(data.train);
const valSample = pick(data.val!);
const compareBar = progress(backbones.length, { label: 'backbones' });
const comparison: { backbone: string; accuracy: number; imagesPerSecond: number; megabytes: number; medianMs: number }[] = [];
for (const id of backbones) {
  const candidate = await loadBackbone(id);
  const [speed] = (await benchmark(candidate, { batchSizes: [8], warmup: 1, runs: 3, signal })).rows;
  const train = await extractFeatures(candidate, trainSample, { signal });
  const val = await extractFeatures(candidate, valSample, { signal });
  const head = await trainHead(train, { kind: 'softmax', epochs: 60, signal });
  const { accuracy } = await evaluate(head, val);
  comparison.push({ backbone: id, accuracy, imagesPerSecond: speed.imagesPerSecond, megabytes: candidate.info.sizeBytes / 1e6, medianMs: speed.medianMs });
  head.dispose();
  candidate.dispose();
  compareBar.tick();
}
compareBar.finish();
for (const c of comparison) console.log(`${c.backbone}: accuracy ${(100 * c.accuracy).toFixed(1)}% on ${valSample.items.length} photos, ${c.imagesPerSecond.toFixed(1)} images/s, ${c.megabytes.toFixed(1)} MB`);
display(comparison.map((c) => ({ backbone: c.backbone, accuracy: `${(100 * c.accuracy).toFixed(1)}%`, 'images/s': c.imagesPerSecond.toFixed(1), 'median ms (batch 8)': c.medianMs.toFixed(0), MB: c.megabytes.toFixed(1) })));

// %% [markdown]
// ## The Pareto chart
//
// A backbone is worth considering only if no other one is both faster *and* more accurate. Those backbones
// form the **Pareto front** (the line). Dot size is the download size.

// %%
const front = comparison
  .filter((a) => !comparison.some((b) => b !== a && b.imagesPerSecond >= a.imagesPerSecond && b.accuracy >= a.accuracy && (b.imagesPerSecond > a.imagesPerSecond || b.accuracy > a.accuracy)))
  .sort((a, b) => a.imagesPerSecond - b.imagesPerSecond);
Plot.plot({
  height: 340,
  width: 640,
  grid: true,
  x: { type: 'log', label: 'images per second (batch 8, this machine)' },
  y: { label: 'validation accuracy', tickFormat: '%' },
  r: { range: [4, 18] },
  marks: [
    Plot.line(front, { x: 'imagesPerSecond', y: 'accuracy', stroke: '#999', strokeDasharray: '4 3' }),
    Plot.dot(comparison, { x: 'imagesPerSecond', y: 'accuracy', r: 'megabytes', fill: 'steelblue', fillOpacity: 0.7 }),
    Plot.text(comparison, { x: 'imagesPerSecond', y: 'accuracy', text: (d) => `${d.backbone} (${d.megabytes.toFixed(1)} MB)`, dy: -16 }),
  ],
})

// %% [markdown]
// The smallest MobileNet is the fastest by far and a fifth of the size of its wider sibling. Whether the
// bigger networks buy accuracy *here* is hard to tell from 20 validation photos — each one is 5 points —
// which is itself a lesson: measure accuracy on enough photos before paying for it in speed. Which point is
// best depends on where the model will run: a phone reading a camera wants the left of the chart to be fast
// enough; a server sorting a photo archive can afford the right.
//
// **Try this:** set `photosPerClass = 40`. Do the accuracies move? Which conclusions survive?

// %%
check('every backbone beats guessing', Math.min(...comparison.map((c) => c.accuracy)), { atLeast: 0.6 });
check('the Pareto front is not empty', front.length, { atLeast: 1 });

// %% [markdown]
// ## This machine
//
// Benchmarks mean little without the machine they ran on. Here is what this kernel runs on; keep it next to
// the numbers when you compare with a classmate's.

// %%
const nav = (globalThis as { navigator?: { hardwareConcurrency?: number; userAgent?: string } }).navigator;
const node = (globalThis as { process?: { versions?: { node?: string }; platform?: string; arch?: string } }).process;
display([
  { item: 'backend', value: tf.getBackend() },
  { item: 'processor threads', value: String(nav?.hardwareConcurrency ?? 'not reported') },
  { item: 'runtime', value: node?.versions?.node ? `Node ${node.versions.node} (${node.platform}, ${node.arch})` : (nav?.userAgent ?? 'unknown') },
  { item: 'TensorFlow.js', value: tf.version.tfjs },
]);

// %% [markdown]
// **Next:** [6. Your own images](06-your-own-images.ipynb) — everything you learned, on photos you choose.
